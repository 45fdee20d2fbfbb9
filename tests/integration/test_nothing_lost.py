"""An expired CSRF token or session after an hour of writing loses nothing."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from soknad.extensions import db
from soknad.models import LoginSession
from soknad.models.types import utcnow
from soknad.services import applications
from soknad.services.demo import PASSWORD
from tests.factories import login_with_token, make_application, page, token_of

LONG_TEXT = "Et langt svar skrevet over en time.\n" * 200


@pytest.mark.usefixtures("csrf_on")
def test_a_stale_csrf_token_shows_the_text_again_ready_to_save(client: FlaskClient) -> None:
    application = make_application()
    login_with_token(client)
    response = client.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": LONG_TEXT, "csrf_token": "utløpt-token"})
    html = page(response)
    assert response.status_code == 200
    assert "Teksten du skrev, er satt inn i skjemaet igjen, men den er ikke lagret ennå." in html
    assert LONG_TEXT.strip() in html
    response = client.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": LONG_TEXT, "csrf_token": token_of(html)})
    assert response.status_code == 302
    assert applications.section_row(application, "p3").data["sentralisering"] == (
        LONG_TEXT.strip())


@pytest.mark.usefixtures("csrf_on")
def test_an_ended_session_keeps_the_text_through_a_new_login(client: FlaskClient) -> None:
    application = make_application()
    login_with_token(client)
    token = token_of(page(client.get(f"/soknader/{application.id}/punkt/p3")))
    db.session.execute(update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()

    response = client.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": LONG_TEXT, "csrf_token": token})
    html = page(response)
    assert response.status_code == 401
    assert "Økten din er utløpt, så teksten du prøvde å lagre, er ikke lagret ennå." in html
    assert 'name="rescue__sentralisering"' in html
    assert applications.section_row(application, "p3").data["sentralisering"] == ""

    rescued = dict(re.findall(r'<input type="hidden" name="(rescue__[^"]+)" value="([^"]*)"',
                              html))
    response = client.post("/logg-inn", data={
        "email": "soker.ous@demo.no", "password": PASSWORD, "csrf_token": token_of(html),
        "rescue_target": f"/soknader/{application.id}/punkt/p3", **rescued})
    html = page(response)
    assert response.status_code == 200
    assert "Teksten du skrev, er satt inn i skjemaet igjen" in html
    assert LONG_TEXT.strip() in html
    response = client.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": LONG_TEXT, "csrf_token": token_of(html)})
    assert response.status_code == 302
    assert applications.section_row(application, "p3").data["sentralisering"] == (
        LONG_TEXT.strip())


@pytest.mark.usefixtures("csrf_on")
def test_a_rescue_cannot_be_pointed_at_another_page(client: FlaskClient) -> None:
    token = token_of(page(client.get("/logg-inn")))
    response = client.post("/logg-inn", data={
        "email": "soker.ous@demo.no", "password": PASSWORD, "csrf_token": token,
        "rescue_target": "https://evil.example/", "rescue__x": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.usefixtures("csrf_on")
def test_autosave_after_the_session_ended_says_so_in_json(client: FlaskClient) -> None:
    application = make_application()
    login_with_token(client)
    token = token_of(page(client.get(f"/soknader/{application.id}/punkt/p3")))
    client.post("/logg-ut", data={"csrf_token": token})
    response = client.post(f"/soknader/{application.id}/punkt/p3/autolagre", data={
        "version": "1", "sentralisering": "tekst", "csrf_token": token})
    assert response.status_code == 401
    assert response.json["reason"] == "session"
    assert "Du er logget ut. Teksten din er ikke lagret ennå" in response.json["message"]


@pytest.mark.usefixtures("csrf_on")
def test_the_session_probe_gives_a_fresh_token_only_when_logged_in(client: FlaskClient) -> None:
    assert client.get("/okt").json == {"logged_in": False}
    login_with_token(client)
    state = client.get("/okt").json
    assert state["logged_in"] is True
    application = make_application()
    response = client.post(f"/soknader/{application.id}/punkt/p3/autolagre", data={
        "version": "1", "sentralisering": "tekst", "csrf_token": state["csrf_token"]})
    assert response.status_code == 200


def test_an_absurdly_long_answer_is_refused_but_shown_again(client: FlaskClient) -> None:
    from tests.factories import login

    application = make_application()
    login(client, "soker.ous@demo.no")
    huge = "x" * 200_001
    response = client.post(f"/soknader/{application.id}/punkt/p3", data={
        "version": "1", "sentralisering": huge})
    assert response.status_code == 422
    assert "høyst 30\u00a0000 kan lagres" in page(response)
    assert huge in page(response)
