"""Login, logout, sessions and CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from soknad.extensions import db
from soknad.models import LoginSession
from soknad.models.types import utcnow
from soknad.services import users as user_service
from soknad.services.demo import PASSWORD
from tests.factories import login, user

SIGNED_IN = "Kari Nordmann, Oslo universitetssykehus HF"  # the header of every page


@pytest.mark.parametrize(
    ("email", "start_page", "heading"),
    [
        ("soker.ous@demo.no", "/soknader/", "Mine søknader"),
        ("koordinator.sorost@demo.no", "/rhf", "Innkomne søknader – Helse Sør-Øst RHF"),
        ("hdir@demo.no", "/hdir", "Søknader til Helsedirektoratet"),
        ("admin@demo.no", "/admin/brukere", "Brukere"),
    ],
)
def test_login_leads_each_role_to_its_start_page(client: FlaskClient, email: str,
                                                 start_page: str, heading: str) -> None:
    login(client, email)
    response = client.get("/", follow_redirects=True)
    assert response.request.path == start_page
    assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password"),
    [("soker.ous@demo.no", "feil-passord"), ("finnes.ikke@demo.no", PASSWORD),
     ("ikke en adresse", PASSWORD)],
)
def test_login_with_wrong_credentials_is_refused_in_norwegian(client: FlaskClient, email: str,
                                                              password: str) -> None:
    response = client.post("/logg-inn", data={"email": email, "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Feil e-postadresse eller passord." in page
    assert "<title>Feil: Logg inn" in page
    assert client.get("/soknader/").status_code == 302


def test_login_email_is_case_insensitive(client: FlaskClient) -> None:
    response = client.post("/logg-inn", data={"email": "  SOKER.OUS@demo.NO ",
                                              "password": PASSWORD}, follow_redirects=True)
    assert response.request.path == "/soknader/"
    assert SIGNED_IN in response.get_data(as_text=True)


def test_logout_ends_the_session_on_the_server(app: Flask, client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    cookie = client.get_cookie("soknad_session")
    assert cookie is not None
    assert client.get("/soknader/").status_code == 200
    response = client.post("/logg-ut", follow_redirects=True)
    assert "Du er logget ut." in response.get_data(as_text=True)
    replay = app.test_client()
    replay.set_cookie("soknad_session", cookie.value)
    response = replay.get("/soknader/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logg-inn")


def test_logout_must_be_a_post(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    assert client.get("/logg-ut").status_code == 405
    assert SIGNED_IN in client.get("/soknader/").get_data(as_text=True)  # still signed in


def test_deactivating_a_user_ends_their_sessions(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    user_service.set_active(user("soker.ous@demo.no"), False, user("admin@demo.no"))
    assert client.get("/soknader/").headers["Location"].startswith("/logg-inn")
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD})
    assert response.status_code == 422
    assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)


def test_an_expired_session_asks_to_log_in_again(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    db.session.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get("/soknader/", follow_redirects=True)
    assert response.request.path == "/logg-inn"
    assert "Økten din er utløpt. Logg inn på nytt." in response.get_data(as_text=True)


def test_login_returns_to_the_page_asked_for(client: FlaskClient) -> None:
    response = client.get("/soknader/ny")
    assert response.headers["Location"] == "/logg-inn?neste=/soknader/ny"
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD,
                                              "neste": "/soknader/ny"})
    assert response.headers["Location"] == "/soknader/ny"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_login_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD,
                                              "neste": target})
    assert response.headers["Location"] == "/"


def test_login_gives_a_new_session_cookie(client: FlaskClient) -> None:
    client.get("/logg-inn")
    before = client.get_cookie("soknad_session")
    login(client, "soker.ous@demo.no")
    after = client.get_cookie("soknad_session")
    assert after is not None
    assert before is None or before.value != after.value


def test_session_cookie_is_http_only_and_same_site(client: FlaskClient) -> None:
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_session_cookie_is_written_at_login_and_not_on_every_page(
        client: FlaskClient) -> None:
    """The login lasts SESSION_HOURS from the login, as the server records it: reading pages
    neither rewrites the cookie nor stretches the login past what the server allows."""
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD})
    assert "Expires=" in response.headers["Set-Cookie"]
    client.get("/soknader/")  # the first page may add the form token to the session
    assert "Set-Cookie" not in client.get("/soknader/").headers
    assert "Set-Cookie" not in client.get("/kalender").headers


@pytest.mark.usefixtures("csrf_on")
def test_a_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skjemaet var utløpt" in page
    assert client.get("/soknader/").status_code == 302


@pytest.mark.usefixtures("csrf_on")
def test_login_with_the_csrf_token_from_the_page_works(client: FlaskClient) -> None:
    page = client.get("/logg-inn").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/logg-inn", data={"email": "soker.ous@demo.no", "password": PASSWORD,
                                              "csrf_token": token}, follow_redirects=True)
    assert SIGNED_IN in response.get_data(as_text=True)
