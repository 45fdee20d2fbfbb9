"""Helsedirektoratet's case work: the case handler (audited) and internal notes (append-only,
author and time), on an application and on a joint submission. Never visible to the health
trust or the RHF; a note that cannot be saved keeps the text typed, with a Norwegian message."""

from __future__ import annotations

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad.domain.casework import NOTE_MAX_CHARS
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Application, AuditEntry, CaseNote, JointSubmission
from soknad.services import casework
from soknad.services import users as user_service
from soknad.services.demo import PASSWORD
from tests.factories import login, page, sent_and_postponed, user

HDIR, SIV = "hdir@demo.no", "siv.saksbehandler@demo.no"
SECRET = "Internt: ring fagdirektøren før vedtaket"


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def case(app: Flask) -> dict[str, int]:
    application_id, _, joint_id = sent_and_postponed(user("soker.ous@demo.no"))
    siv = user_service.create_user("Siv Saksbehandler", SIV, Role.DIRECTORATE,
                                   user(HDIR).organisation, PASSWORD)
    return {"application": application_id, "joint": joint_id, "siv": siv.id}


def notes_shown(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [" ".join(item.text_content().split()) for item in tree.xpath(
        "//ol[@class='case-notes']/li")]


def test_notes_are_added_in_order_with_author_and_time(app: Flask,
                                                       case: dict[str, int]) -> None:
    url = f"/hdir/soknader/{case['application']}"
    hanne, siv = signed_in(app, HDIR), signed_in(app, SIV)
    assert "Ingen interne notater ennå." in page(hanne.get(url))
    first = hanne.post(url + "/notater", data={"notat": "  Første notat  "},
                       follow_redirects=True)
    assert "Notatet er lagret." in page(first)
    siv.post(url + "/notater", data={"notat": "Andre notat"})
    shown = notes_shown(page(hanne.get(url)))
    assert len(shown) == 2
    assert shown[0].startswith("Hanne Dahl, ")
    assert shown[0].endswith("Første notat")
    assert shown[1].startswith("Siv Saksbehandler, ")
    assert " kl. " in shown[1]
    assert shown[1].endswith("Andre notat")


def test_a_joint_submission_has_its_own_handler_and_notes(app: Flask,
                                                          case: dict[str, int]) -> None:
    client = signed_in(app, HDIR)
    client.post("/hdir/runder/2027/notater", data={"notat": "Pakken er kontrollert"})
    response = client.post("/hdir/runder/2027/saksbehandler",
                           data={"saksbehandler": str(case["siv"])}, follow_redirects=True)
    html = page(response)
    assert "Siv Saksbehandler er saksbehandler." in html
    assert notes_shown(html)[0].endswith("Pakken er kontrollert")
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//select[@id='saksbehandler']/option[@selected]")[0].text_content() \
        == "Siv Saksbehandler"
    assert db.session.get(JointSubmission, case["joint"]).case_handler_id == case["siv"]
    # The application's notes are its own.
    assert notes_shown(page(client.get(f"/hdir/soknader/{case['application']}"))) == []


def test_assigning_a_case_handler_is_audited_and_shown_in_the_inbox(
        app: Flask, case: dict[str, int]) -> None:
    client = signed_in(app, HDIR)
    url = f"/hdir/soknader/{case['application']}/saksbehandler"
    response = client.post(url, data={"saksbehandler": str(case["siv"])}, follow_redirects=True)
    assert "Siv Saksbehandler er saksbehandler." in page(response)
    client.post(url, data={"saksbehandler": ""})
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "case_handler").order_by(AuditEntry.id)).all()
    assert [(entry.object_type, entry.object_id, entry.actor_id, entry.data["before"],
             entry.data["after"]) for entry in entries] == [
        ("application", case["application"], user(HDIR).id, None, case["siv"]),
        ("application", case["application"], user(HDIR).id, case["siv"], None)]
    client.post(url, data={"saksbehandler": str(user(HDIR).id)})
    mine = page(client.get("/hdir?saksbehandler=mine"))
    assert "1 av 1 søknad" in mine or "1 søknad" in mine
    assert "Hanne Dahl" in mine
    log = page(signed_in(app, "admin@demo.no").get("/admin/logg?handling=case_handler"))
    assert "Saksbehandler satt" in log


@pytest.mark.parametrize("email", ["soker.ous@demo.no", "koordinator.sorost@demo.no",
                                   "admin@demo.no"])
def test_only_a_directorate_user_can_be_the_case_handler(app: Flask, case: dict[str, int],
                                                        email: str) -> None:
    response = signed_in(app, HDIR).post(
        f"/hdir/soknader/{case['application']}/saksbehandler",
        data={"saksbehandler": str(user(email).id)})
    assert response.status_code == 422
    assert "Velg en saksbehandler i Helsedirektoratet fra listen." in page(response)
    assert db.session.get(Application, case["application"]).case_handler_id is None


@pytest.mark.parametrize(("typed", "message"), [
    ("   ", "Skriv notatet før du lagrer det."),
    ("x" * (NOTE_MAX_CHARS + 1),
     f"Notatet er {NOTE_MAX_CHARS + 1} tegn. Et notat kan ha høyst {NOTE_MAX_CHARS} tegn"),
])
def test_a_note_that_is_refused_keeps_the_text(app: Flask, case: dict[str, int], typed: str,
                                               message: str) -> None:
    response = signed_in(app, HDIR).post(f"/hdir/soknader/{case['application']}/notater",
                                         data={"notat": typed})
    assert response.status_code == 422
    tree = lxml.html.fromstring(page(response))
    assert message in tree.xpath("//p[@id='notat-feil']")[0].text_content()
    assert tree.xpath("//textarea[@id='notat']")[0].text_content() == typed
    assert tree.xpath("//title")[0].text_content().startswith("Feil: ")
    assert db.session.query(CaseNote).count() == 0


def test_a_note_sent_with_an_expired_form_keeps_the_text(
        app: Flask, case: dict[str, int], request: pytest.FixtureRequest) -> None:
    client = signed_in(app, HDIR)
    request.getfixturevalue("csrf_on")
    for url in (f"/hdir/soknader/{case['application']}/notater", "/hdir/runder/2027/notater"):
        response = client.post(url, data={"notat": SECRET, "csrf_token": "utløpt"})
        assert response.status_code == 422
        html = page(response)
        assert "Skjemaet var utløpt" in html
        assert lxml.html.fromstring(html).xpath("//textarea[@id='notat']")[0].text_content() \
            == SECRET
    assert db.session.query(CaseNote).count() == 0


def test_notes_and_the_handler_never_reach_the_health_trust_or_the_rhf(
        app: Flask, case: dict[str, int]) -> None:
    hanne = signed_in(app, HDIR)
    application_id = case["application"]
    hanne.post(f"/hdir/soknader/{application_id}/notater", data={"notat": SECRET})
    hanne.post("/hdir/runder/2027/notater", data={"notat": SECRET})
    hanne.post(f"/hdir/soknader/{application_id}/saksbehandler",
               data={"saksbehandler": str(case["siv"])})
    pages = {
        "soker.ous@demo.no": ["/soknader/", f"/soknader/{application_id}",
                              f"/soknader/{application_id}/innsendt/1"],
        "koordinator.sorost@demo.no": ["/rhf", f"/rhf/soknader/{application_id}",
                                       f"/soknader/{application_id}/innsendt/1",
                                       "/rhf/nasjonal-liste"],
    }
    for email, urls in pages.items():
        client = signed_in(app, email)
        for url in urls:
            html = page(client.get(url, follow_redirects=True))
            assert SECRET not in html, (email, url)
            assert "Siv Saksbehandler" not in html, (email, url)
            assert "Interne notater" not in html, (email, url)
    # And the service refuses them whoever calls it.
    application = db.session.get(Application, application_id)
    for email in ("soker.ous@demo.no", "koordinator.sorost@demo.no", "admin@demo.no"):
        with pytest.raises(PermissionError):
            casework.notes(application, user(email))
        with pytest.raises(PermissionError):
            casework.add_note(application, "Nei", user(email))
