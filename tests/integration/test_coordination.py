"""The RHF coordinators' work through the pages: review, comment, return, resubmit, accept,
decline, rank, the internal deadline, and the national list the four RHFs agree on."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad import clock
from soknad.domain.dates import long_date
from soknad.domain.organisations import Region
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, AuditEntry, NationalList
from soknad.services import applications, coordination, mail, rounds
from soknad.web.filters import day
from tests.factories import client_for, make_application, page, user
from tests.mailserver import MailServer

SOR_OST = "koordinator.sorost@demo.no"
VEST = "koordinator.vest@demo.no"
MIDT = "koordinator.midt@demo.no"
NORD = "koordinator.nord@demo.no"
TRUSTS = {SOR_OST: "soker.ous@demo.no", VEST: "soker.bergen@demo.no",
          MIDT: "soker.stolav@demo.no", NORD: "soker.unn@demo.no"}


def text_of(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, spaces collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def submitted(owner: str = "soker.ous@demo.no", name: str = "") -> Application:
    application = make_application(owner, ServiceType.NATIONAL_TREATMENT, complete=True,
                                   answers={"navn_nb": name} if name else None)
    applications.submit(application, user(owner))
    return db.session.get(Application, application.id)


def state_of(application: Application) -> State:
    db.session.expire_all()
    return db.session.get(Application, application.id).state_enum


def accepted(coordinator: str, name: str) -> Application:
    application = submitted(TRUSTS[coordinator], name)
    coordination.accept(application, user(coordinator))
    return application


# --------------------------------------------------------------------------- review


def test_the_inbox_lists_submitted_applications_of_the_region_only(app: Flask) -> None:
    own = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sjeldne beinsykdommer")
    other = submitted("soker.bergen@demo.no", "Nasjonal behandlingstjeneste for Vest-saker")
    make_application("soker.ous@demo.no", answers={"navn_nb": "Hemmelig utkast"})
    html = page(client_for(app, SOR_OST).get("/rhf"))
    assert f'href="/rhf/soknader/{own.id}"' in html
    assert "Vest-saker" not in html
    assert f"/rhf/soknader/{other.id}" not in html
    assert "Hemmelig utkast" not in html  # drafts are counted, never shown
    progress = text_of(html)
    assert "Oslo universitetssykehus HF 1 0" in progress  # one draft, none returned


def test_a_coordinator_comments_and_returns_and_the_applicant_sees_it(
        app: Flask, mail_server: MailServer) -> None:
    application = submitted()
    coordinator = client_for(app, SOR_OST)
    response = coordinator.post(f"/rhf/soknader/{application.id}/kommentar",
                                data={"punkt": "p7", "kommentar": "Oppgi stillingsandeler."})
    assert response.status_code == 302
    # While the RHF is still reviewing, the comment is not shown to the health trust.
    applicant = client_for(app, "soker.ous@demo.no")
    assert "Oppgi stillingsandeler." not in page(applicant.get(
        f"/soknader/{application.id}/punkt/p7"))

    response = coordinator.post(f"/rhf/soknader/{application.id}/behandling",
                                data={"handling": "returner",
                                      "begrunnelse": "Fagmiljøet er for tynt beskrevet."})
    assert response.status_code == 302
    assert state_of(application) is State.RETURNED

    point = page(applicant.get(f"/soknader/{application.id}/punkt/p7"))
    assert "Kommentarer fra det regionale helseforetaket" in point
    assert "Oppgi stillingsandeler." in point
    assert "Anne Berg" in point
    overview = text_of(page(applicant.get(f"/soknader/{application.id}")))
    assert "Søknaden er sendt tilbake til dere for endring" in overview
    assert "Returnert for endring av Anne Berg (Helse Sør-Øst RHF)" in overview
    assert "Begrunnelse: «Fagmiljøet er for tynt beskrevet.»" in overview
    dashboard = page(applicant.get("/soknader/"))
    assert "Les hvorfor RHF sendte den tilbake" in dashboard

    mail.send_pending()
    notice = next(message for message in mail_server.inbox.to("soker.ous@demo.no")
                  if str(message["Subject"]).startswith("Søknaden er returnert"))
    body = notice.get_content()
    assert "Fagmiljøet er for tynt beskrevet." in body
    assert f"http://127.0.0.1:5000/soknader/{application.id}" in body


def test_return_and_decline_need_a_reason_and_keep_what_was_typed(app: Flask) -> None:
    application = submitted()
    coordinator = client_for(app, SOR_OST)
    for action in ("returner", "avsla"):
        response = coordinator.post(f"/rhf/soknader/{application.id}/behandling",
                                    data={"handling": action, "begrunnelse": "   "})
        assert response.status_code == 422
        assert "Oppgi en begrunnelse." in page(response)
    assert state_of(application) is State.SUBMITTED


def test_an_empty_comment_is_refused_with_a_message(app: Flask) -> None:
    application = submitted()
    response = client_for(app, SOR_OST).post(f"/rhf/soknader/{application.id}/kommentar",
                                             data={"punkt": "p3", "kommentar": " "})
    assert response.status_code == 422
    assert "Skriv en kommentar før du lagrer den." in page(response)


def test_the_resubmission_shows_what_changed_point_by_point(app: Flask) -> None:
    application = submitted()
    coordination.return_for_revision(application, "Mer om volum", user(SOR_OST))
    applicant = client_for(app, "soker.ous@demo.no")
    version = re.search(r'name="version" value="(\d+)"',
                        page(applicant.get(f"/soknader/{application.id}/punkt/p2")))
    assert version is not None
    applicant.post(f"/soknader/{application.id}/punkt/p2", data={
        "version": version.group(1), "pasientvolum": "80",
        "volum_beskrivelse": "Om lag 80 nye pasienter i året.",
        "p2_dokumentasjon": "Norsk pasientregister 2025"})
    response = applicant.post(f"/soknader/{application.id}/send-inn")
    assert response.status_code == 302
    assert state_of(application) is State.SUBMITTED

    coordinator = client_for(app, SOR_OST)
    review = page(coordinator.get(f"/rhf/soknader/{application.id}"))
    assert "Se hva som er endret siden versjon 1" in review
    html = page(coordinator.get(f"/rhf/soknader/{application.id}/endringer"))
    assert "Hva er endret fra versjon 1 til versjon 2" in html
    assert "1 punkt er endret." in html
    assert re.search(r"<del>.*?60.*?</del>", html)
    assert re.search(r"<ins>.*?80.*?</ins>", html)
    assert "Mer om volum" not in html  # reasons are in the history, comments listed here


def test_accept_ranks_last_and_decline_tells_the_applicant(app: Flask,
                                                          mail_server: MailServer) -> None:
    first, second, third = (submitted(name=f"Nasjonal behandlingstjeneste for sak {n}")
                            for n in "ABC")
    coordinator = client_for(app, SOR_OST)
    for item in (first, second):
        coordinator.post(f"/rhf/soknader/{item.id}/behandling",
                         data={"handling": "godta", "bekreftet": "ja"})
    coordinator.post(f"/rhf/soknader/{third.id}/behandling",
                     data={"handling": "avsla", "bekreftet": "ja",
                           "begrunnelse": "Dekkes av en eksisterende tjeneste."})
    assert [state_of(item) for item in (first, second, third)] == [
        State.ACCEPTED, State.ACCEPTED, State.DECLINED]
    ranking = text_of(page(coordinator.get("/rhf/prioritering")))
    assert ranking.index("sak A") < ranking.index("sak B")
    assert "sak C" not in ranking
    mail.send_pending()
    subjects = mail_server.inbox.subjects()
    assert subjects.count("Søknaden er godtatt for prioritering: Nasjonal behandlingstjeneste "
                          "for sak A") == 1
    assert ("Søknaden er avslått av det regionale helseforetaket: Nasjonal "
            "behandlingstjeneste for sak C") in subjects


@pytest.mark.parametrize(("action", "state"), [
    ("godta", State.ACCEPTED), ("returner", State.RETURNED), ("avsla", State.DECLINED)])
def test_a_decision_records_who_when_and_why(app: Flask, action: str, state: State) -> None:
    application = submitted()
    client_for(app, SOR_OST).post(f"/rhf/soknader/{application.id}/behandling",
                                  data={"handling": action, "begrunnelse": "Fordi.",
                                        "bekreftet": "ja"})
    assert state_of(application) is state
    entry = db.session.query(AuditEntry).filter_by(
        object_type="application", object_id=application.id,
        to_state=state.value).one()
    assert entry.actor_id == user(SOR_OST).id
    assert entry.at is not None
    if action != "godta":
        assert entry.data["reason"] == "Fordi."


def test_a_decided_application_cannot_be_decided_again(app: Flask) -> None:
    application = submitted()
    coordinator = client_for(app, SOR_OST)
    coordinator.post(f"/rhf/soknader/{application.id}/behandling",
                     data={"handling": "godta", "bekreftet": "ja"})
    response = coordinator.post(f"/rhf/soknader/{application.id}/behandling",
                                data={"handling": "avsla", "begrunnelse": "Likevel ikke"})
    assert response.status_code == 422
    assert "Handlingen er ikke mulig når søknaden har status «Godtatt av RHF for " \
           "prioritering»." in page(response)


# --------------------------------------------------------------------------- ranking


def version_on(html: str) -> str:
    found = re.search(r'name="versjon" value="(\d+)"', html)
    assert found is not None
    return found.group(1)


def test_ranking_moves_with_buttons_and_refuses_a_stale_version(app: Flask) -> None:
    first = accepted(SOR_OST, "Nasjonal behandlingstjeneste for sak A")
    second = accepted(SOR_OST, "Nasjonal behandlingstjeneste for sak B")
    one, two = client_for(app, SOR_OST), client_for(app, SOR_OST)
    stale = version_on(page(two.get("/rhf/prioritering")))
    version = version_on(page(one.get("/rhf/prioritering")))
    response = one.post("/rhf/prioritering/flytt", data={
        "soknad": second.id, "retning": "opp", "versjon": version})
    assert response.status_code == 302
    db.session.expire_all()
    assert [item.id for item in coordination.regional_ranking(
        first.round, first.organisation.region_enum)] == [second.id, first.id]
    # The second tab still shows the old order: its move is refused, not applied blindly.
    refused = two.post("/rhf/prioritering/flytt", data={
        "soknad": first.id, "plass": "2", "versjon": stale}, follow_redirects=True)
    assert "Prioriteringen ble endret av noen andre etter at du åpnet siden." in page(refused)
    db.session.expire_all()
    assert [item.id for item in coordination.regional_ranking(
        first.round, first.organisation.region_enum)] == [second.id, first.id]


# --------------------------------------------------------------------------- deadline


def test_after_the_internal_deadline_only_an_extended_application_can_be_submitted(
        app: Flask) -> None:
    coordinator = client_for(app, SOR_OST)
    yesterday = clock.today() - timedelta(days=1)
    response = coordinator.post("/rhf/frist", data={"frist": yesterday.isoformat()},
                                follow_redirects=True)
    assert f"Intern frist for helseforetakene er satt til {long_date(yesterday)}." in page(response)
    late = make_application(complete=True)
    applicant = client_for(app, "soker.ous@demo.no")
    refused = applicant.post(f"/soknader/{late.id}/send-inn")
    assert refused.status_code == 409
    assert (f"Fristen for å sende inn søknader til Helse Sør-Øst RHF gikk ut "
            f"{long_date(yesterday)}.") in page(refused)
    assert state_of(late) is State.DRAFT

    inbox = page(coordinator.get("/rhf"))
    assert f"Søknad nr. {late.id}" in inbox
    until = clock.today() + timedelta(days=3)
    coordinator.post(f"/rhf/soknader/{late.id}/utsatt-frist", data={"til": until.isoformat()})
    assert applicant.post(f"/soknader/{late.id}/send-inn").status_code == 302
    assert state_of(late) is State.SUBMITTED


def test_the_health_trust_sees_its_deadline_and_is_told_of_an_extension(
        app: Flask, mail_server: MailServer) -> None:
    draft = make_application(answers={"navn_nb": "Nasjonal behandlingstjeneste for sene"})
    applicant = client_for(app, "soker.ous@demo.no")
    assert ("Ikke satt ennå av det regionale helseforetaket"
            in page(applicant.get(f"/soknader/{draft.id}")))

    coordinator = client_for(app, SOR_OST)
    deadline = clock.today() + timedelta(days=10)
    coordinator.post("/rhf/frist", data={"frist": deadline.isoformat()})
    overview = page(applicant.get(f"/soknader/{draft.id}"))
    assert f"Til og med {day(deadline)}</dd>" in overview

    until = deadline + timedelta(days=5)
    coordinator.post(f"/rhf/soknader/{draft.id}/utsatt-frist", data={"til": until.isoformat()})
    overview = page(applicant.get(f"/soknader/{draft.id}"))
    assert (f"Til og med {day(until)} (utsatt frist gitt av det regionale helseforetaket)"
            in overview)

    mail.send_pending()
    notice = next(message for message in mail_server.inbox.to("soker.ous@demo.no")
                  if message["Subject"].startswith("Søknaden har fått utsatt frist"))
    assert notice["Subject"] == ("Søknaden har fått utsatt frist: Nasjonal behandlingstjeneste "
                                 "for sene")
    assert (f"Helse Sør-Øst RHF har gitt Oslo universitetssykehus HF utsatt frist for søknaden "
            f"«Nasjonal behandlingstjeneste for sene». Dere kan sende den inn til og med "
            f"{long_date(until)}.") in notice.get_content()


@pytest.mark.parametrize(("typed", "message"), [
    ("i morgen", "«i morgen» er ikke en dato."),
    ("31.02.2027", "«31.02.2027» er ikke en dato."),
])
def test_a_bad_deadline_is_refused_and_kept_in_the_field(app: Flask, typed: str,
                                                         message: str) -> None:
    response = client_for(app, SOR_OST).post("/rhf/frist", data={"frist": typed})
    assert response.status_code == 422
    html = page(response)
    assert message in html
    assert f'value="{typed}"' in html


def test_a_coordinator_cannot_extend_another_regions_application(app: Flask) -> None:
    draft = make_application("soker.bergen@demo.no")
    response = client_for(app, SOR_OST).post(f"/rhf/soknader/{draft.id}/utsatt-frist",
                                             data={"til": "2099-01-01"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Application, draft.id).submit_extended_to is None


# --------------------------------------------------------------------------- national list


def four_regions_accepted() -> dict[str, Application]:
    return {coordinator: accepted(coordinator, f"Nasjonal behandlingstjeneste for {key}")
            for coordinator, key in ((SOR_OST, "øst"), (VEST, "vest"), (MIDT, "midt"),
                                     (NORD, "nord"))}


def answer(client: FlaskClient, choice: str, comment: str = "") -> Any:
    version = version_on(page(client.get("/rhf/nasjonal-liste")))
    return client.post("/rhf/nasjonal-liste/svar",
                       data={"svar": choice, "kommentar": comment, "versjon": version})


def test_the_national_list_from_proposal_to_lock(app: Flask, mail_server: MailServer) -> None:
    accepted_ = four_regions_accepted()
    clients = {email: client_for(app, email) for email in (SOR_OST, VEST, MIDT, NORD)}
    lead = clients[SOR_OST]  # Helse Sør-Øst coordinates the demo round

    html = page(lead.get("/rhf/nasjonal-liste"))
    assert "først hver regions nummer 1, i rekkefølgen Helse Sør-Øst, Helse Vest" in html
    assert lead.post("/rhf/nasjonal-liste/forslag").status_code == 302
    listed = text_of(page(lead.get("/rhf/nasjonal-liste")))
    assert "koordinatorene i de andre regionene får beskjed på e-post" in listed
    order = [listed.index(f"for {key}") for key in ("øst", "vest", "midt", "nord")]
    assert order == sorted(order)

    # Only the coordinating RHF edits; the others are told why.
    refused = clients[VEST].post("/rhf/nasjonal-liste/forslag")
    assert refused.status_code == 422
    assert "Bare Helse Sør-Øst RHF, som koordinerer runden, kan endre listen." in page(refused)

    for email in (SOR_OST, VEST, MIDT):
        assert answer(clients[email], "consent").status_code == 302
    # Helse Nord dissents, and must say why; what it typed is kept if it forgets.
    missing = answer(clients[NORD], "dissent")
    assert missing.status_code == 422
    assert "Skriv en kommentar som forklarer dissensen." in page(missing)
    answer(clients[NORD], "dissent", "Nord-saken bør stå først.")
    status = text_of(page(lead.get("/rhf/nasjonal-liste")))
    assert "Helse Nord RHF Samtykker ikke (dissens) Nils Eira" in status
    assert "Nord-saken bør stå først." in status

    # The lead moves Nord's application to the top: every consent is cleared.
    version = version_on(page(lead.get("/rhf/nasjonal-liste")))
    lead.post("/rhf/nasjonal-liste/flytt", data={
        "soknad": accepted_[NORD].id, "plass": "1", "versjon": version})
    status = text_of(page(lead.get("/rhf/nasjonal-liste")))
    assert "Samtykker til versjon 2" in status
    assert status.count("Venter på svar") == 4
    assert "Flyttet «Nasjonal behandlingstjeneste for nord» fra plass 4 til plass 1." in status

    for email in (SOR_OST, VEST, MIDT, NORD):
        assert answer(clients[email], "consent").status_code == 302
    db.session.expire_all()
    found = db.session.query(NationalList).one()
    assert found.locked_at is not None
    assert found.entries[0] == accepted_[NORD].id
    assert all(state_of(item) is State.IN_JOINT_SUBMISSION for item in accepted_.values())
    locked = page(lead.get("/rhf/nasjonal-liste"))
    assert "Listen ble låst" in locked
    assert "Send svaret" not in locked

    # A locked list cannot change.
    refused = lead.post("/rhf/nasjonal-liste/flytt", data={
        "soknad": accepted_[SOR_OST].id, "retning": "opp", "versjon": str(found.version)})
    assert refused.status_code == 422
    assert "Listen er låst" in page(refused)

    # The health trusts are told their place, by e-mail and on the dashboard.
    mail.send_pending()
    notice = next(message for message in mail_server.inbox.to("soker.unn@demo.no")
                  if "samlede søknaden" in str(message["Subject"]))
    assert "står som nummer 1 av 4 i den samlede søknaden" in notice.get_content()
    dashboard = page(client_for(app, "soker.unn@demo.no").get("/soknader/"))
    assert "Nummer 1 i den samlede søknaden" in dashboard
    assert "Med i samlet søknad" in dashboard


def test_two_coordinators_never_overwrite_each_others_list_changes(app: Flask) -> None:
    accepted_ = four_regions_accepted()
    lead = client_for(app, SOR_OST)
    lead.post("/rhf/nasjonal-liste/forslag")
    tab_one, tab_two = client_for(app, SOR_OST), client_for(app, SOR_OST)
    seen = version_on(page(tab_two.get("/rhf/nasjonal-liste")))
    version = version_on(page(tab_one.get("/rhf/nasjonal-liste")))
    tab_one.post("/rhf/nasjonal-liste/flytt", data={
        "soknad": accepted_[VEST].id, "retning": "opp", "versjon": version})
    refused = tab_two.post("/rhf/nasjonal-liste/flytt", data={
        "soknad": accepted_[NORD].id, "retning": "opp", "versjon": seen})
    assert refused.status_code == 409
    assert "Listen ble endret av Anne Berg etter at du åpnet den (nå versjon 2)." in page(refused)
    db.session.expire_all()
    found = db.session.query(NationalList).one()
    assert found.entries == [accepted_[key].id for key in (VEST, SOR_OST, MIDT, NORD)]


def test_a_consent_to_an_old_version_is_refused(app: Flask) -> None:
    four_regions_accepted()
    lead = client_for(app, SOR_OST)
    lead.post("/rhf/nasjonal-liste/forslag")
    vest = client_for(app, VEST)
    old = version_on(page(vest.get("/rhf/nasjonal-liste")))
    version = version_on(page(lead.get("/rhf/nasjonal-liste")))
    lead.post("/rhf/nasjonal-liste/forslag", data={"versjon": version})  # start over
    response = vest.post("/rhf/nasjonal-liste/svar",
                         data={"svar": "consent", "kommentar": "", "versjon": old})
    assert response.status_code == 409
    assert "Se den nye rekkefølgen før du endrer eller samtykker." in page(response)


def test_an_application_accepted_after_the_proposal_is_flagged_and_added(app: Flask) -> None:
    four_regions_accepted()
    lead = client_for(app, SOR_OST)
    lead.post("/rhf/nasjonal-liste/forslag")
    late = accepted(VEST, "Nasjonal behandlingstjeneste for en sen sak")
    html = text_of(page(lead.get("/rhf/nasjonal-liste")))
    assert ("1 søknad som regionene har godtatt, står ikke i listen: Nasjonal "
            "behandlingstjeneste for en sen sak.") in html
    version = version_on(page(lead.get("/rhf/nasjonal-liste")))
    lead.post("/rhf/nasjonal-liste/oppdater", data={"versjon": version})
    db.session.expire_all()
    assert db.session.query(NationalList).one().entries[-1] == late.id


def test_the_admin_sets_the_coordinating_rhf(app: Flask) -> None:
    admin = client_for(app, "admin@demo.no")
    round_id = make_application().round_id
    response = admin.post("/admin/runder", data={"runde": round_id, "koordinerende": "helse-vest"},
                          follow_redirects=True)
    assert "Søknadsrunden 2027: Helse Vest RHF koordinerer runden." in page(response)
    four_regions_accepted()
    refused = client_for(app, SOR_OST).post("/rhf/nasjonal-liste/forslag")
    assert "Bare Helse Vest RHF, som koordinerer runden, kan endre listen." in page(refused)
    vest = client_for(app, VEST)
    assert vest.post("/rhf/nasjonal-liste/forslag").status_code == 302
    assert "Listen, versjon 1" in page(vest.get("/rhf/nasjonal-liste"))


def test_the_internal_deadline_is_a_date_of_the_round(app: Flask) -> None:
    client_for(app, VEST).post("/rhf/frist", data={"frist": "1.12.2026"})
    round_ = make_application().round
    assert rounds.internal_deadline(round_, Region.VEST) == date(2026, 12, 1)
    assert rounds.internal_deadline(round_, Region.NORD) is None
