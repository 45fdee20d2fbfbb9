"""The four kinds of application through the applicant's pages: what each asks, the pick from
the registry, what blocks, and the exchange format that carries the service."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad.domain import exchange as exchange_format
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import exchange
from tests.factories import (
    KIND_ANSWERS,
    TARGET_SERVICES,
    login,
    make_application,
    page,
    user,
)

NT = ServiceType.NATIONAL_TREATMENT
MT = ServiceType.MULTIREGIONAL_TREATMENT
NC = ServiceType.NATIONAL_COMPETENCE
CONTENT = ApplicationKind.CHANGE_OF_CONTENT
RENAME = ApplicationKind.CHANGE_OF_NAME
TERMINATION = ApplicationKind.TERMINATION
REPLANTATION_KEY, REPLANTATION = TARGET_SERVICES[NT]


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


def version_of(client: FlaskClient, application_id: int, section_id: str) -> int:
    html = page(client.get(f"/soknader/{application_id}/punkt/{section_id}"))
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def points_listed(html: str) -> list[str]:
    """The points the overview's table lists, by heading."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


# --------------------------------------------------------------------------- the new page


def test_new_page_offers_the_kinds_and_the_registry_services(applicant: FlaskClient) -> None:
    html = page(applicant.get("/soknader/ny"))
    for kind in ApplicationKind:
        assert kind.label in html
    assert '<select id="tjeneste" name="tjeneste"' in html
    for service_type in ServiceType:
        assert f'<optgroup label="{service_type.label}">' in html
    assert (f'<option value="{REPLANTATION_KEY}" >{REPLANTATION} '
            "(Oslo universitetssykehus HF, Rikshospitalet)</option>") in html


@pytest.mark.parametrize(
    ("kind", "headings", "title"),
    [
        pytest.param(CONTENT, ["Om søknaden", "Tjenesten søknaden gjelder", "Endring av innhold",
                               *(f"Punkt {n}" for n in range(1, 13)),
                               "Varsling ved driftsproblemer", "Faglig referansegruppe",
                               "Privat ideell institusjon"], REPLANTATION,
                     id="change-of-content"),
        pytest.param(RENAME, ["Om søknaden", "Tjenesten søknaden gjelder", "Nytt navn"],
                     "Nasjonal behandlingstjeneste (uten navn ennå)", id="change-of-name"),
        pytest.param(TERMINATION, ["Om søknaden", "Tjenesten søknaden gjelder", "Avvikling"],
                     REPLANTATION, id="termination"),
    ],
)
def test_new_application_of_each_kind_asks_its_own_points(
        applicant: FlaskClient, kind: ApplicationKind, headings: list[str], title: str) -> None:
    response = applicant.post("/soknader/ny", data={
        "service_type": NT.value, "kind": kind.value, "tjeneste": REPLANTATION_KEY})
    assert response.status_code == 302
    html = page(applicant.get(response.headers["Location"]))
    shown = [re.sub(r":.*", "", heading) for heading in points_listed(html)]
    assert shown == headings
    assert f"<h1>{title}</h1>" in html or title in html
    application = db.session.query(Application).one()
    assert application.answers()["gjeldende_tjeneste"] == REPLANTATION_KEY
    point = page(applicant.get(f"/soknader/{application.id}/punkt/endring"))
    assert f'<option value="{REPLANTATION_KEY}" selected>' in point


def test_new_page_refuses_a_service_of_another_type_and_keeps_the_choices(
        applicant: FlaskClient) -> None:
    competence_key, competence = TARGET_SERVICES[NC]
    response = applicant.post("/soknader/ny", data={
        "service_type": NT.value, "kind": TERMINATION.value, "tjeneste": competence_key})
    html = page(response)
    assert response.status_code == 422
    assert (f"«{competence}» er en nasjonal kompetansetjeneste, mens søknaden gjelder en "
            "nasjonal behandlingstjeneste.") in html
    assert f'<option value="{competence_key}" selected>' in html
    assert re.search(r'value="avvikling" checked', html)
    assert db.session.query(Application).count() == 0


# --------------------------------------------------------------------------- the pick


def test_saving_an_unknown_service_is_refused_at_the_field_and_nothing_is_lost(
        applicant: FlaskClient) -> None:
    application = make_application(kind=TERMINATION, answers={"gjeldende_tjeneste": ""})
    version = version_of(applicant, application.id, "endring")
    response = applicant.post(f"/soknader/{application.id}/punkt/endring", data={
        "version": str(version), "gjeldende_tjeneste": "nasjonal_behandlingstjeneste:finnes-ikke"})
    html = page(response)
    assert response.status_code == 422
    assert ("Tjenesten i «Godkjent nasjonal tjeneste» finnes ikke i registeret over godkjente "
            "nasjonale tjenester. Velg tjenesten fra listen.") in html
    assert ('<option value="nasjonal_behandlingstjeneste:finnes-ikke" selected>'
            "nasjonal_behandlingstjeneste:finnes-ikke (finnes ikke i registeret)</option>") in html
    assert db.session.get(Application, application.id).answers()["gjeldende_tjeneste"] == ""


def test_saving_the_service_names_the_application_after_it(applicant: FlaskClient) -> None:
    application = make_application(kind=CONTENT)
    version = version_of(applicant, application.id, "endring")
    response = applicant.post(f"/soknader/{application.id}/punkt/endring", data={
        "version": str(version), "gjeldende_tjeneste": REPLANTATION_KEY})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).title == REPLANTATION


# --------------------------------------------------------------------------- what blocks


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize("kind", [CONTENT, RENAME, TERMINATION])
def test_complete_answers_of_each_kind_can_be_sent(applicant: FlaskClient,
                                                   service_type: ServiceType,
                                                   kind: ApplicationKind) -> None:
    application = make_application(service_type=service_type, kind=kind, complete=True)
    check = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    assert "Hindrer innsending (" not in check
    response = applicant.post(f"/soknader/{application.id}/send-inn")
    assert response.status_code == 302
    document = json.loads(db.session.get(Application, application.id).latest_submission.document)
    key, name = TARGET_SERVICES[service_type]
    assert document["format_version"] == 2
    assert document["service"]["key"] == key
    assert document["service"]["name"] == name


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_termination_is_not_blocked_by_the_rules_of_a_new_service(
        applicant: FlaskClient, service_type: ServiceType) -> None:
    """No English name, function, ICD-10 codes or result goals are asked of a termination."""
    application = make_application(service_type=service_type, kind=TERMINATION,
                                   answers=KIND_ANSWERS[service_type, TERMINATION])
    html = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    for word in ("engelsk", "ICD-10-kode", "Funksjon og virketid", "Resultatmål"):
        assert word not in html, word
    assert applicant.get(f"/soknader/{application.id}/punkt/p1").status_code == 404


def test_termination_too_soon_is_recommended_against_but_not_blocked(
        applicant: FlaskClient) -> None:
    answers = {**KIND_ANSWERS[NT, TERMINATION], "sluttdato": "2027-06-30"}
    application = make_application(kind=TERMINATION, answers=answers)
    html = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    assert "Anbefales:" in html
    assert "Planlagt avvikling 30.06.2027 er mindre enn 18 måneder etter at søknaden kommer" in html
    assert "minst 18 måneder fra søknad/initiativ om dette til gjennomføring" in html
    assert "Hindrer innsending (" not in html
    assert applicant.post(f"/soknader/{application.id}/send-inn").status_code == 302


def test_check_page_says_which_findings_block_and_why(applicant: FlaskClient) -> None:
    answers = {**KIND_ANSWERS[NT, ApplicationKind.ESTABLISHMENT], "icd10": [],
               "pasientvolum": "5", "tverrfaglig": ""}
    application = make_application(answers=answers)
    html = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    assert "Hindrer innsending (forutsetning i veilederen):" in html  # ICD-10
    assert "Hindrer innsending (opplysningen mangler):" in html  # point 7's text
    assert "Anbefales:" in html  # the patient volume
    assert "«Anbefales» står ved det søknaden bør ha med" in html


# --------------------------------------------------------------------------- exchange


def _document(kind: ApplicationKind, answers: dict[str, Any], *, version: int = 1,
              form_version: int = 2) -> exchange_format.ApplicationDocument:
    data = {
        "format": exchange_format.FORMAT, "format_version": version,
        "form": {"id": NT.value, "version": form_version}, "kind": kind.value, "round": 2027,
        "organisation": {"name": "Oslo universitetssykehus HF", "region": "helse-sor-ost"},
        "answers": answers,
    }
    return exchange_format.from_dict(data)


def test_a_v1_file_with_the_services_name_imports_with_the_registry_key(app: Flask) -> None:
    answers = {**KIND_ANSWERS[NT, TERMINATION], "gjeldende_tjeneste": REPLANTATION}
    document = _document(TERMINATION, answers)
    assert document.format_version == 1
    application, notes = exchange.import_document(document, user("soker.ous@demo.no"))
    assert application.answers()["gjeldende_tjeneste"] == REPLANTATION_KEY
    assert any(REPLANTATION_KEY in note for note in notes)
    assert exchange.check(document).findings == []


def test_a_v1_file_with_an_unknown_name_keeps_it_and_flags_it(app: Flask) -> None:
    answers = {**KIND_ANSWERS[NT, TERMINATION], "gjeldende_tjeneste": "Tjeneste som ikke finnes"}
    document = _document(TERMINATION, answers)
    application, notes = exchange.import_document(document, user("soker.ous@demo.no"))
    assert application.answers()["gjeldende_tjeneste"] == "Tjeneste som ikke finnes"
    assert any("er ikke navnet på nøyaktig én godkjent tjeneste" in note for note in notes)
    findings = exchange.check(document).findings
    assert [(f.rule, f.field, f.blocking) for f in findings] == [
        ("registry_service", "gjeldende_tjeneste", True)]


def test_a_v1_form_keeps_the_free_text_name_and_exports_the_service(app: Flask) -> None:
    from soknad.services import forms

    spec = forms.get(NT.value, 1)
    application = make_application(kind=TERMINATION,
                                   answers={"gjeldende_tjeneste": f" {REPLANTATION} "})
    application.form_version = 1  # as an application started on version 1
    db.session.commit()
    assert spec.field("gjeldende_tjeneste").kind.value == "line"
    data = exchange.export(application)
    assert data["format_version"] == 2
    assert data["service"] == {"key": REPLANTATION_KEY, "name": REPLANTATION,
                               "location": "Oslo universitetssykehus HF, Rikshospitalet"}
    round_trip = exchange_format.from_dict(json.loads(json.dumps(data)))
    assert round_trip.service == exchange_format.TargetService(
        REPLANTATION_KEY, REPLANTATION, "Oslo universitetssykehus HF, Rikshospitalet")
