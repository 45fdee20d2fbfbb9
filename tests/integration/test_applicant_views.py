"""The health trust's journey through the views: what the pages say after each step."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications
from tests.factories import VALID_ANSWERS, login, make_application, page


def version_of(client: FlaskClient, application_id: int, section_id: str) -> int:
    html = page(client.get(f"/soknader/{application_id}/punkt/{section_id}"))
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


# --------------------------------------------------------------------------- dashboard and new


def test_dashboard_lists_only_the_own_health_trusts_applications(applicant: FlaskClient) -> None:
    own = make_application(answers={"navn_nb": "Tjeneste fra OUS"})
    make_application("soker.bergen@demo.no", answers={"navn_nb": "Tjeneste fra Bergen"})
    html = page(applicant.get("/soknader/"))
    assert f'href="/soknader/{own.id}">Tjeneste fra OUS</a>' in html
    assert "Tjeneste fra Bergen" not in html
    assert "0 % av punktene" in html


def test_the_dashboard_title_follows_the_saved_name_and_no_other_point(
        applicant: FlaskClient) -> None:
    application = make_application(answers={"navn_nb": "Første navn"})
    assert applicant.post(f"/soknader/{application.id}/punkt/om", data={
        "version": "1", "navn_nb": "Nasjonal behandlingstjeneste for nytt navn"}
    ).status_code == 302
    assert applicant.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": "Begrunnelse."}).status_code == 302
    html = page(applicant.get("/soknader/"))
    assert (f'href="/soknader/{application.id}">Nasjonal behandlingstjeneste for nytt navn</a>'
            in html)
    assert "Første navn" not in html


@pytest.mark.parametrize(
    ("service_type", "points"),
    [
        (ServiceType.NATIONAL_TREATMENT, 12),
        (ServiceType.MULTIREGIONAL_TREATMENT, 12),
        (ServiceType.NATIONAL_COMPETENCE, 11),
    ],
)
def test_new_application_starts_a_draft_with_every_point(applicant: FlaskClient,
                                                        service_type: ServiceType,
                                                        points: int) -> None:
    response = applicant.post("/soknader/ny", data={"service_type": service_type.value,
                                                    "kind": "etablering"})
    assert response.status_code == 302
    html = page(applicant.get(response.headers["Location"]))
    assert "Søknaden er opprettet." in html
    assert service_type.label in html
    numbered = re.findall(r">Punkt (\d+): ", html)
    assert numbered == [str(n) for n in range(1, points + 1)]
    assert "Om søknaden" in html
    assert "Tjenesten søknaden gjelder" not in html  # not asked for an establishment


def test_new_application_for_a_change_of_name_asks_only_what_applies(
        applicant: FlaskClient) -> None:
    response = applicant.post("/soknader/ny", data={
        "service_type": "nasjonal_behandlingstjeneste", "kind": "endring_navn"})
    html = page(applicant.get(response.headers["Location"]))
    assert "Tjenesten søknaden gjelder" in html
    assert "Nytt navn" in html
    assert re.findall(r">Punkt (\d+): ", html) == []  # a rename asks none of the points


def test_new_application_without_a_choice_says_what_to_choose(applicant: FlaskClient) -> None:
    response = applicant.post("/soknader/ny", data={"kind": "etablering"})
    assert response.status_code == 422
    assert "Velg hvilken type tjeneste søknaden gjelder." in page(response)
    assert db.session.query(Application).count() == 0


# --------------------------------------------------------------------------- a point


def test_point_page_quotes_the_regulation_and_shows_the_fields(applicant: FlaskClient) -> None:
    application = make_application()
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p7"))
    assert "<h1>Punkt 7: Behandlere og (tverr)faglig kompetanse</h1>" in html
    assert "forutsetningen er minst tre fagpersoner" in html
    assert 'name="fagpersoner-0-navn"' in html
    assert 'name="fagpersoner-2-stillingsandel"' in html  # three rows offered at once
    # An untouched point shows no findings on arrival (tests/integration/test_findings_shown.py).
    assert "«Fagpersoner som avsettes til tjenesten» må ha minst 3 fullstendige rader" not in html
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p7?sjekk=1"))
    assert "«Fagpersoner som avsettes til tjenesten» må ha minst 3 fullstendige rader" in html


def test_saving_a_point_keeps_exactly_what_was_typed(applicant: FlaskClient) -> None:
    application = make_application()
    pasted = "Første linje\x0bandre linje med\u00a0hardt mellomrom og kompe\u00adtanse"
    response = applicant.post(f"/soknader/{application.id}/punkt/p1", data={
        "version": "1", "beskrivelse": pasted, "icd10": "c 40, q28.2, XYZ",
        "behandlingsmetode": "Kirurgi", "ny_metode": "nei"})
    assert response.status_code == 302
    html = page(applicant.get(response.headers["Location"]))
    assert re.search(r"Lagret kl\. \d\d:\d\d\.", html)
    saved = applications.section_row(application, "p1").data
    assert saved["beskrivelse"] == (
        "Første linje\nandre linje med\u00a0hardt mellomrom og kompetanse")
    assert saved["icd10"] == ["C40", "Q28.2", "XYZ"]
    assert "«XYZ» finnes ikke i WHO ICD-10" in html
    assert "Malignant neoplasm of bone and articular cartilage of limbs" in html
    assert "9 av høyst 100 ord" in html


def test_a_description_over_100_words_is_saved_and_flagged(applicant: FlaskClient) -> None:
    application = make_application()
    text = " ".join(f"ord{n}" for n in range(101))
    applicant.post(f"/soknader/{application.id}/punkt/p1",
                   data={"version": "1", "beskrivelse": text})
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p1"))
    assert applications.section_row(application, "p1").data["beskrivelse"] == text
    assert "har 101 ord; høyst 100 ord er tillatt. Fjern 1 ord." in html
    assert 'class="word-count over"' in html


def test_add_and_remove_rows_without_javascript(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p7"
    rows = {f"fagpersoner-{i}-{col}": f"{col} {i}" for i in range(3)
            for col in ("navn", "yrke", "kompetanse")}
    response = applicant.post(url, data={"version": "1", **rows,
                                         "handling": "legg_til:fagpersoner"})
    assert response.headers["Location"].endswith("#fagpersoner")
    assert len(applications.section_row(application, "p7").data["fagpersoner"]) == 4
    response = applicant.post(url, data={"version": "2", **rows, "fagpersoner-3-navn": "",
                                         "handling": "fjern:fagpersoner:1"})
    stored = applications.section_row(application, "p7").data["fagpersoner"]
    assert [row["navn"] for row in stored] == ["navn 0", "navn 2", ""]


def test_region_table_always_has_the_four_regions(applicant: FlaskClient) -> None:
    application = make_application()
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p4?sjekk=1"))
    for region in ("Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"):
        assert f"{region} mangler i «Regional forankring»" in html
    assert html.count('name="forankring-') == 4 * 4  # region + three columns per row


def test_saving_a_stale_version_is_a_conflict_that_keeps_the_text(applicant: FlaskClient,
                                                                  app: Any) -> None:
    application = make_application()
    other = app.test_client()
    login(other, "soker2.ous@demo.no")
    other.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": "Pers tekst"})
    response = applicant.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": "Karis tekst"})
    html = page(response)
    assert response.status_code == 409
    assert "Noen andre har lagret endringer i dette punktet" in html
    assert ">Karis tekst</textarea>" in html  # her text is still in the form
    assert "Pers tekst" in html  # the saved version is shown for comparison
    assert "lagret av Per Hansen" in html
    assert applications.section_row(application, "p3").data["sentralisering"] == "Pers tekst"
    # Saving again, now knowing about Per's version, is a deliberate choice and is allowed.
    response = applicant.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "2", "sentralisering": "Karis tekst"})
    assert response.status_code == 302
    assert applications.section_row(application, "p3").data["sentralisering"] == "Karis tekst"


def test_a_conflict_with_ones_own_other_tab_says_so(applicant: FlaskClient) -> None:
    application = make_application()
    applicant.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": "Fra fane 1"})
    response = applicant.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": "Fra fane 2"})
    html = page(response)
    assert response.status_code == 409
    assert "Du har selv lagret dette punktet i en annen fane eller et annet vindu" in html
    assert "Noen andre" not in html
    assert ">Fra fane 2</textarea>" in html


def test_two_people_editing_different_points_do_not_conflict(applicant: FlaskClient,
                                                             app: Any) -> None:
    application = make_application()
    other = app.test_client()
    login(other, "soker2.ous@demo.no")
    assert other.post(f"/soknader/{application.id}/punkt/p3",
                      data={"version": "1", "sentralisering": "P3"}).status_code == 302
    assert applicant.post(f"/soknader/{application.id}/punkt/p6",
                          data={"version": "1", "forskningsaktivitet": "P6"}).status_code == 302
    assert applications.section_row(application, "p3").data["sentralisering"] == "P3"
    assert applications.section_row(application, "p6").data["forskningsaktivitet"] == "P6"


# --------------------------------------------------------------------------- autosave


def test_autosave_saves_and_returns_the_new_version(applicant: FlaskClient) -> None:
    application = make_application()
    response = applicant.post(f"/soknader/{application.id}/punkt/p3/autolagre",
                              data={"version": "1", "sentralisering": "Utkast"})
    assert response.status_code == 200
    assert response.json["version"] == 2
    assert re.fullmatch(r"Lagret kl\. \d\d:\d\d", response.json["message"])
    assert applications.section_row(application, "p3").data["sentralisering"] == "Utkast"


def test_autosave_with_a_stale_version_is_refused_and_saves_nothing(
        applicant: FlaskClient) -> None:
    application = make_application()
    applicant.post(f"/soknader/{application.id}/punkt/p3/autolagre",
                   data={"version": "1", "sentralisering": "Første"})
    response = applicant.post(f"/soknader/{application.id}/punkt/p3/autolagre",
                              data={"version": "1", "sentralisering": "Andre"})
    assert response.status_code == 409
    assert response.json["conflict"] is True
    # Kari saved it herself, in another tab: she is told so, not that someone else did.
    assert "Du (i en annen fane eller et annet vindu) lagret dette punktet kl." in (
        response.json["message"])
    assert "Teksten din er ikke lagret, men den står fortsatt i skjemaet." in (
        response.json["message"])
    assert applications.section_row(application, "p3").data["sentralisering"] == "Første"


def test_autosave_ignores_attempts_to_set_state_or_owner(applicant: FlaskClient) -> None:
    application = make_application()
    applicant.post(f"/soknader/{application.id}/punkt/p3/autolagre", data={
        "version": "1", "sentralisering": "x", "state": "approved", "organisation_id": "99"})
    db.session.expire_all()
    stored = db.session.get(Application, application.id)
    assert stored.state == "draft"
    assert stored.organisation.name == "Oslo universitetssykehus HF"


# --------------------------------------------------------------------------- check and submit


def test_check_page_lists_every_blocking_finding_with_a_link(applicant: FlaskClient) -> None:
    application = make_application()
    html = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    assert "ting må rettes før søknaden kan sendes inn" in html
    assert f'href="/soknader/{application.id}/punkt/p7?sjekk=1#felt-fagpersoner"' in html
    assert "Vedlegg 6, punkt 7" in html


def test_submit_is_refused_while_something_blocks(applicant: FlaskClient) -> None:
    application = make_application()
    html = page(applicant.get(f"/soknader/{application.id}/send-inn"))
    assert "Søknaden kan ikke sendes inn ennå" in html
    assert "Send inn til" not in html
    response = applicant.post(f"/soknader/{application.id}/send-inn")
    assert response.status_code == 409
    assert db.session.get(Application, application.id).state == "draft"


def submit_complete(client: FlaskClient, service_type: ServiceType) -> tuple[Application, str]:
    application = make_application(service_type=service_type, complete=True)
    html = page(client.get(f"/soknader/{application.id}/send-inn"))
    assert "Send inn til Helse Sør-Øst RHF" in html
    response = client.post(f"/soknader/{application.id}/send-inn")
    assert response.status_code == 302
    return application, page(client.get(response.headers["Location"]))


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_submitting_a_complete_application_gives_a_receipt(applicant: FlaskClient,
                                                            service_type: ServiceType) -> None:
    application, receipt = submit_complete(applicant, service_type)
    submission = db.session.get(Application, application.id).latest_submission
    assert "Kvittering: søknaden er sendt inn" in receipt
    assert "er sendt til Helse Sør-Øst RHF" in receipt
    assert submission.sha256 in receipt
    assert submission.sha256 == hashlib.sha256(submission.document.encode()).hexdigest()
    document = json.loads(submission.document)
    assert document["answers"]["navn_nb"] == VALID_ANSWERS[service_type]["navn_nb"]
    assert document["submission"]["number"] == 1
    assert document["form"] == {"id": service_type.value, "version": 2}


def test_a_submitted_application_is_read_only(applicant: FlaskClient) -> None:
    application, _ = submit_complete(applicant, ServiceType.NATIONAL_TREATMENT)
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p1"))
    assert "kan ikke endres" in html
    assert "<textarea" not in html
    response = applicant.post(f"/soknader/{application.id}/punkt/p1", data={
        "version": "2", "beskrivelse": "Endret etter innsending"})
    assert response.status_code == 409
    assert "Søknaden er sendt inn og kan ikke endres." in page(response)
    assert "Endret etter innsending" in page(response)
    autosave = applicant.post(f"/soknader/{application.id}/punkt/p1/autolagre",
                              data={"version": "2", "beskrivelse": "x"})
    assert autosave.status_code == 409
    document = json.loads(db.session.get(Application, application.id).latest_submission.document)
    assert document["answers"]["beskrivelse"] == VALID_ANSWERS[
        ServiceType.NATIONAL_TREATMENT]["beskrivelse"]


def test_submitting_twice_gives_the_same_receipt(applicant: FlaskClient) -> None:
    application, _ = submit_complete(applicant, ServiceType.NATIONAL_TREATMENT)
    response = applicant.post(f"/soknader/{application.id}/send-inn", follow_redirects=True)
    assert "Søknaden var allerede sendt inn." in page(response)
    assert len(db.session.get(Application, application.id).submissions) == 1


def test_submitted_version_downloads_as_the_hashed_json(applicant: FlaskClient) -> None:
    application, _ = submit_complete(applicant, ServiceType.NATIONAL_COMPETENCE)
    response = applicant.get(f"/soknader/{application.id}/innsendt/1.json")
    digest = hashlib.sha256(response.data).hexdigest()
    assert digest == db.session.get(Application, application.id).latest_submission.sha256


def test_export_of_a_draft_is_the_exchange_format(applicant: FlaskClient) -> None:
    application = make_application(answers={"navn_nb": "Eksport"})
    data = json.loads(applicant.get(f"/soknader/{application.id}/eksport.json").data)
    assert data["format"] == "soknad/nasjonal-tjeneste"
    assert data["answers"]["navn_nb"] == "Eksport"
    assert data["organisation"] == {"name": "Oslo universitetssykehus HF",
                                    "region": "helse-sor-ost"}
    assert data["state"] == "draft"


def test_import_kinds_are_remembered(applicant: FlaskClient) -> None:
    application = make_application(kind=ApplicationKind.TERMINATION)
    html = page(applicant.get(f"/soknader/{application.id}"))
    assert "Avvikling" in html
    assert application.form_version == 2
