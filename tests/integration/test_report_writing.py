"""The health trust writes and sends its annual report: saving a section (compare-and-swap on
the report's version, text kept when refused), the reference group's approval, sending to the
RHF (what blocks it, the e-mail to the region's coordinators, the state and times after)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from soknad import clock
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, AuditEntry, LoginSession, OutboxMessage
from soknad.models.types import utcnow
from soknad.services import report_writing
from soknad.services.demo import PASSWORD
from tests.factories import (
    REPORT_YEAR,
    client_for,
    login_with_token,
    owed_report,
    page,
    report_answers,
    started_report,
    token_of,
    user,
)
from tests.integration.test_what_users_read import offences, visible_text

COMPETENCE = ServiceType.NATIONAL_COMPETENCE
OWNER = "soker.ous@demo.no"


def fresh(report_id: int) -> AnnualReport:
    db.session.expire_all()
    found = db.session.get(AnnualReport, report_id)
    assert found is not None
    return found


def r1(version: int, status: str = "Tjenesten har holdt kurs.", **extra: str) -> dict[str, str]:
    return {"version": str(version), "handling": "lagre", "status": status,
            "endringer": "Ingen", **extra}


def approved_complete() -> AnnualReport:
    report = started_report(OWNER, COMPETENCE, complete=True, approved=True)
    report.approved_on = clock.today() - timedelta(days=3)
    db.session.commit()
    return report


# --------------------------------------------------------------------------- the list and start


def test_the_list_shows_what_the_trust_owes_and_starting_opens_the_overview(app: Flask) -> None:
    item = owed_report(OWNER, COMPETENCE)
    client = client_for(app, OWNER)
    listing = page(client.get(f"/rapporter/?ar={REPORT_YEAR}"))
    assert f"Årsrapporter {REPORT_YEAR}" in listing
    assert item.service.name_nb in listing
    assert "Ikke startet" in listing
    assert "15. mars 2027" in listing
    response = client.post("/rapporter/start", data={"service_id": item.service.id,
                                                      "year": REPORT_YEAR})
    assert response.status_code == 302
    report = db.session.scalar(select(AnnualReport).where(
        AnnualReport.service_id == item.service.id, AnnualReport.year == REPORT_YEAR))
    assert report is not None
    assert response.location.endswith(f"/rapporter/{report.id}")
    overview = page(client.get(response.location))
    assert "Rapportens deler" in overview
    assert "Referansegruppens godkjenning" in overview
    assert "Fortsett med rapporten" in page(client.get(f"/rapporter/?ar={REPORT_YEAR}"))


def test_another_trusts_service_cannot_be_started(app: Flask) -> None:
    bergen = owed_report("soker.bergen@demo.no")
    client = client_for(app, OWNER)
    response = client.post("/rapporter/start", data={"service_id": bergen.service.id,
                                                     "year": REPORT_YEAR})
    assert response.status_code == 404


# --------------------------------------------------------------------------- saving


def test_a_saved_section_is_stored_and_counts_a_version(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    version = report.version
    client = client_for(app, OWNER)
    response = client.post(f"/rapporter/{report.id}/del/r1", data=r1(version))
    assert response.status_code == 302
    stored = fresh(report.id)
    assert stored.answers["status"] == "Tjenesten har holdt kurs."
    assert stored.version == version + 1
    assert stored.updated_by_id == user(OWNER).id
    assert "Lagret kl." in page(client.get(response.location))


def test_a_stale_version_is_refused_and_the_text_kept(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    version = report.version
    other = client_for(app, "soker2.ous@demo.no")
    assert other.post(f"/rapporter/{report.id}/del/r1",
                      data=r1(version, "Kollegaens tekst.")).status_code == 302
    client = client_for(app, OWNER)
    response = client.post(f"/rapporter/{report.id}/del/r1", data=r1(version, "Min egen tekst."))
    assert response.status_code == 409
    html = page(response)
    assert "Rapporten er endret av noen andre siden du åpnet den" in html
    assert "Teksten din er ikke lagret ennå" in html
    assert "Min egen tekst." in html
    assert "Det som er lagret nå (lagret av" in html
    assert "Kollegaens tekst." in html
    assert fresh(report.id).answers["status"] == "Kollegaens tekst."
    # Saving again on the version shown replaces what the colleague saved.
    again = client.post(f"/rapporter/{report.id}/del/r1",
                        data=r1(fresh(report.id).version, "Min egen tekst."))
    assert again.status_code == 302
    assert fresh(report.id).answers["status"] == "Min egen tekst."


def test_the_service_refuses_a_stale_save_without_storing(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    owner = user(OWNER)
    report_writing.save_section(report, "r1", {"status": "Første"}, report.version, owner)
    with pytest.raises(report_writing.StaleReportError, match="endret av noen andre"):
        report_writing.save_section(report, "r1", {"status": "Andre"}, report.version - 1,
                                    user("soker2.ous@demo.no"))
    assert fresh(report.id).answers["status"] == "Første"


def test_a_save_keeps_the_other_sections(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, complete=True)
    plan = report.answers["plan"]
    client = client_for(app, OWNER)
    client.post(f"/rapporter/{report.id}/del/r1", data=r1(report.version, "Ny status."))
    stored = fresh(report.id)
    assert stored.answers["plan"] == plan
    assert stored.answers["status"] == "Ny status."


def test_a_goal_row_is_added_and_the_goal_findings_are_shown(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    client = client_for(app, OWNER)
    data = {"version": str(report.version), "handling": "legg_til:resultatmal",
            "resultatmal-0-mal": "Kurs i alle regioner", "resultatmal-0-frist": "2026-06-01",
            "resultatmal-0-status": "naadd", "resultat_vurdering": "God"}
    response = client.post(f"/rapporter/{report.id}/del/r5", data=data)
    assert response.status_code == 302
    assert response.location.endswith("#resultatmal")
    stored = fresh(report.id)
    assert len(stored.answers["resultatmal"]) == 2
    html = page(client.get(f"/rapporter/{report.id}/del/r5"))
    assert "Mål 1 («Kurs i alle regioner») er nådd, men det står ikke når" in html


def test_the_regional_representatives_each_have_a_row(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    client = client_for(app, OWNER)
    html = page(client.get(f"/rapporter/{report.id}/del/r6"))
    for region in Region:
        assert region.label in html
    data = {"version": str(report.version), "handling": "lagre", "ref_moter": "4",
            "ref_arbeid": "Fire møter."}
    for index, region in enumerate(Region):
        data[f"ref_regioner-{index}-region"] = region.value
        data[f"ref_regioner-{index}-vurdering"] = f"Fungerer i {region.label}."
    assert client.post(f"/rapporter/{report.id}/del/r6", data=data).status_code == 302
    rows = fresh(report.id).answers["ref_regioner"]
    assert [row["region"] for row in rows] == [region.value for region in Region]
    assert rows[1]["vurdering"] == f"Fungerer i {Region.VEST.label}."
    findings = report_writing.findings(fresh(report.id))
    assert findings.of("r6") == []
    assert next(item for item in findings.sections if item.section_id == "r6").label == (
        "Ingen mangler")


def test_a_sent_report_cannot_be_saved_and_the_text_is_kept(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, complete=True, state=ReportState.SENT)
    client = client_for(app, OWNER)
    response = client.post(f"/rapporter/{report.id}/del/r1",
                           data=r1(report.version, "Skrevet for sent."))
    assert response.status_code == 409
    html = page(response)
    assert "kan ikke endres" in html
    assert fresh(report.id).answers["status"] != "Skrevet for sent."


# --------------------------------------------------------------------------- approval


def test_the_approval_needs_a_date_and_a_name(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE)
    client = client_for(app, OWNER)
    url = f"/rapporter/{report.id}/referansegruppe"
    response = client.post(url, data={"day": "", "by": "Kari Leder"})
    assert response.status_code == 422
    assert "Skriv datoen referansegruppen godkjente rapporten." in page(response)
    assert 'value="Kari Leder"' in page(response)
    future = (clock.today() + timedelta(days=1)).isoformat()
    assert "kan ikke være fram i tid" in page(client.post(url, data={"day": future,
                                                                     "by": "Kari Leder"}))
    early = page(client.post(url, data={"day": f"{REPORT_YEAR - 1}-12-31", "by": "Kari"}))
    assert f"før rapportåret {REPORT_YEAR} begynte" in early
    assert "Skriv hvem som godkjente" in page(client.post(url, data={"day": "2026-11-02",
                                                                     "by": " "}))
    assert "dd.mm.åååå" in page(client.post(url, data={"day": "i går", "by": "Kari"}))
    assert fresh(report.id).approved_on is None
    response = client.post(url, data={"day": "2.11.2026", "by": "Kari Leder"})
    assert response.status_code == 302
    stored = fresh(report.id)
    assert (stored.approved_on, stored.approved_by) == (date(2026, 11, 2), "Kari Leder")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report_approved",
                                                       AuditEntry.object_id == report.id))
    assert entry is not None
    assert entry.object_type == "annual_report"


# --------------------------------------------------------------------------- sending


def test_an_incomplete_report_cannot_be_sent(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, approved=True)
    client = client_for(app, OWNER)
    overview = page(client.get(f"/rapporter/{report.id}"))
    assert "Rapporten kan ikke sendes før alt som hindrer innsending, er rettet" in overview
    assert "Punkt 1: «Status for tjenestens aktivitet og resultater» må fylles ut." in overview
    response = client.post(f"/rapporter/{report.id}/send")
    assert response.status_code == 409
    assert "Rapporten kan ikke sendes før" in page(response)
    assert fresh(report.id).state is ReportState.DRAFT


def test_a_report_without_the_approval_cannot_be_sent(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, complete=True)
    client = client_for(app, OWNER)
    response = client.post(f"/rapporter/{report.id}/send")
    assert response.status_code == 409
    assert "Referansegruppens godkjenning må registreres" in page(response)
    assert fresh(report.id).state is ReportState.DRAFT
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("Årsrapport%"))).all() == []


def test_sending_moves_the_report_and_tells_the_region(app: Flask) -> None:
    report = approved_complete()
    client = client_for(app, OWNER)
    assert "Send rapporten til Helse Sør-Øst RHF" in page(client.get(f"/rapporter/{report.id}"))
    response = client.post(f"/rapporter/{report.id}/send")
    assert response.status_code == 302
    stored = fresh(report.id)
    assert stored.state is ReportState.SENT
    assert stored.first_sent_at is not None
    assert stored.sent_at == stored.first_sent_at
    assert "Rapporten er sendt til Helse Sør-Øst RHF." in page(client.get(response.location))
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "koordinator.sorost@demo.no",
        OutboxMessage.subject.like("Årsrapport%"))).all()
    assert len(mails) == 1
    assert report.service.name_nb in mails[0].subject
    assert f"/rapporter/{report.id}/les" in mails[0].body
    assert not db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "koordinator.vest@demo.no")).all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report_sent"))
    assert entry is not None
    assert (entry.from_state, entry.to_state) == ("utkast", "sendt_rhf")
    again = client.post(f"/rapporter/{report.id}/send")
    assert again.status_code == 409
    assert "Rapporten er allerede sendt." in page(again)


def test_a_returned_report_sent_again_keeps_its_first_sending(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, complete=True, state=ReportState.RETURNED)
    report.approved_on = clock.today() - timedelta(days=3)
    report.return_note = "Skriv mer om forskningen."
    first = report.first_sent_at
    db.session.commit()
    client = client_for(app, OWNER)
    overview = page(client.get(f"/rapporter/{report.id}"))
    assert "Returnert fra Helse Sør-Øst RHF for bearbeiding" in overview
    assert "Skriv mer om forskningen." in overview
    assert client.post(f"/rapporter/{report.id}/send").status_code == 302
    stored = fresh(report.id)
    assert stored.state is ReportState.SENT
    assert stored.first_sent_at == first
    assert stored.sent_at is not None
    assert stored.sent_at >= first  # type: ignore[operator]
    assert stored.return_note == "Skriv mer om forskningen."
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == "koordinator.sorost@demo.no",
        OutboxMessage.subject.like("Årsrapport%")))
    assert mail is not None
    assert "på nytt" in mail.body


def test_a_supplement_request_is_shown_on_the_overview(app: Flask) -> None:
    report = started_report(OWNER, COMPETENCE, complete=True,
                            state=ReportState.SUPPLEMENT_REQUESTED)
    report.supplement_request = "Oppgi antall kurs per region."
    db.session.commit()
    overview = page(client_for(app, OWNER).get(f"/rapporter/{report.id}"))
    assert "Helsedirektoratet ber om tilleggsrapportering" in overview
    assert "Oppgi antall kurs per region." in overview


# --------------------------------------------------------------------------- nothing lost

LONG_TEXT = "Et langt svar skrevet over en time.\n" * 100


@pytest.mark.usefixtures("csrf_on")
def test_a_stale_csrf_token_shows_the_section_again_with_the_text(client: FlaskClient) -> None:
    report = started_report(OWNER, COMPETENCE)
    login_with_token(client)
    response = client.post(f"/rapporter/{report.id}/del/r1", data={
        **r1(report.version, LONG_TEXT), "csrf_token": "utløpt-token"})
    html = page(response)
    assert response.status_code == 200
    assert "Teksten du skrev, er satt inn i skjemaet igjen, men den er ikke lagret ennå." in html
    assert LONG_TEXT.strip() in html
    response = client.post(f"/rapporter/{report.id}/del/r1", data={
        **r1(report.version, LONG_TEXT), "csrf_token": token_of(html)})
    assert response.status_code == 302
    assert fresh(report.id).answers["status"] == LONG_TEXT.strip()


@pytest.mark.usefixtures("csrf_on")
def test_an_ended_session_keeps_the_section_through_a_new_login(client: FlaskClient) -> None:
    report = started_report(OWNER, COMPETENCE)
    login_with_token(client)
    token = token_of(page(client.get(f"/rapporter/{report.id}/del/r1")))
    db.session.execute(update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()
    response = client.post(f"/rapporter/{report.id}/del/r1", data={
        **r1(report.version, LONG_TEXT), "csrf_token": token})
    html = page(response)
    assert response.status_code == 401
    assert 'name="rescue__status"' in html
    rescued = dict(re.findall(r'<input type="hidden" name="(rescue__[^"]+)" value="([^"]*)"',
                              html))
    response = client.post("/logg-inn", data={
        "email": OWNER, "password": PASSWORD, "csrf_token": token_of(html),
        "rescue_target": f"/rapporter/{report.id}/del/r1", **rescued})
    html = page(response)
    assert response.status_code == 200
    assert "Teksten du skrev, er satt inn i skjemaet igjen" in html
    assert LONG_TEXT.strip() in html
    assert "status" not in fresh(report.id).answers


def test_the_report_pages_and_the_mail_show_no_developer_words_or_iso_dates(app: Flask) -> None:
    report = approved_complete()
    report.answers = {**report.answers, "resultatmal": [{"mal": "Kurs", "status": "naadd"}]}
    report.version += 1  # as every save does
    db.session.commit()
    client = client_for(app, OWNER)
    found: list[str] = []
    for url in ("/rapporter/", f"/rapporter/{report.id}", f"/rapporter/{report.id}/del/r5",
                f"/rapporter/{report.id}/del/om", f"/rapporter/{report.id}/les"):
        response = client.get(url)
        assert response.status_code == 200, url
        found += offences(url, visible_text(page(response)))
    report.answers = report_answers(report_writing.spec_of(report))
    report.version += 1
    db.session.commit()
    assert client.post(f"/rapporter/{report.id}/send").status_code == 302
    for message in db.session.scalars(select(OutboxMessage)):
        found += offences(f"e-mail «{message.subject}»", f"{message.subject} {message.body}")
    assert not found, "\n".join(found)


@pytest.mark.usefixtures("csrf_on")
@pytest.mark.parametrize(("email", "path", "form", "told"), [
    (OWNER, "/rapporter/{id}/referansegruppe", {"day": "2027-01-05", "by": "Kari Leder"},
     "Skjemaet var utløpt"),
    (OWNER, "/rapporter/{id}/send", {}, "Skjemaet var utløpt"),
    # What the RHF and Helsedirektoratet wrote comes back in the form, not recorded.
    ("koordinator.sorost@demo.no", "/rhf/arsrapporter/{id}/returner",
     {"merknad": "Tallene for Helse Nord mangler."}, "Tallene for Helse Nord mangler."),
    ("hdir@demo.no", "/hdir/arsrapporter/{id}/vurdering",
     {"vurdering": "oppfolging", "punkter": "Følg opp ventetidene."}, "Følg opp ventetidene."),
    ("hdir@demo.no", "/hdir/arsrapporter/{id}/tillegg",
     {"tillegg": "Mer om aktiviteten."}, "Mer om aktiviteten."),
])
def test_the_report_steps_refuse_a_post_without_a_valid_token_before_the_view(
        app: Flask, email: str, path: str, form: dict[str, str], told: str) -> None:
    """The global CSRF check (``extensions.csrf``) refuses before any view runs, so the views
    have no check of their own; the report is left as it was, and a text written comes back."""
    state = {OWNER: ReportState.DRAFT, "koordinator.sorost@demo.no": ReportState.SENT,
             "hdir@demo.no": ReportState.FORWARDED}[email]
    report = started_report(OWNER, COMPETENCE, complete=True, state=state)
    version = report.version
    client = app.test_client()
    token = token_of(page(client.get("/logg-inn")))
    assert client.post("/logg-inn", data={"email": email, "password": PASSWORD,
                                          "csrf_token": token}).status_code == 302
    response = client.post(path.format(id=report.id), data={**form, "csrf_token": "ugyldig"})
    assert response.status_code == (400 if told == "Skjemaet var utløpt" else 200)
    assert told in html_lib.unescape(page(response))
    after = fresh(report.id)
    assert (after.state, after.version, after.approved_by) == (state, version,
                                                                report.approved_by)
