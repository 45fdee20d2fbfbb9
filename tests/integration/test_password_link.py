"""A new user sets their own password with a link e-mailed through the outbox (a real SMTP
server on loopback): once, within SET_PASSWORD_LINK_HOURS, audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from soknad import clock
from soknad.extensions import db
from soknad.models import AuditEntry, User
from soknad.services import mail, organisations
from tests.factories import login
from tests.mailserver import MailServer

LINK = re.compile(r"http://127\.0\.0\.1:5000(/sett-passord/\S+)")


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    login(client, "admin@demo.no")
    return client


def create_without_password(admin: FlaskClient) -> str:
    organisation = organisations.by_name("Helse Stavanger HF")
    response = admin.post("/admin/brukere", data={
        "name": "Siri Nilsen", "email": "siri.nilsen@sus.no", "role": "applicant",
        "organisation": str(organisation.id), "password": ""})
    assert response.status_code == 302
    return admin.get("/admin/brukere").get_data(as_text=True)


def link_in_mail(mail_server: MailServer, to: str = "siri.nilsen@sus.no") -> str:
    assert mail.send_pending().failed == []
    body = mail_server.inbox.to(to)[-1].get_content()
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def test_a_new_user_gets_a_link_and_sets_a_password(app: Flask, admin: FlaskClient,
                                                    mail_server: MailServer) -> None:
    html = create_without_password(admin)
    assert ("Brukeren Siri Nilsen (siri.nilsen@sus.no) er opprettet, og en lenke for å sette "
            "passord sendes til siri.nilsen@sus.no. Lenken virker i 48 timer.") in html
    path = link_in_mail(mail_server)
    message = mail_server.inbox.to("siri.nilsen@sus.no")[0]
    assert message["Subject"] == "Du har fått en bruker i Søknadsportal for nasjonale tjenester"
    assert "Lenken virker én gang og i 48 timer." in message.get_content()

    visitor = app.test_client()
    page = visitor.get(path).get_data(as_text=True)
    assert "Du setter passordet for <strong>Siri Nilsen</strong>" in page
    done = visitor.post(path, data={"password": "et-langt-passord", "repeat": "et-langt-passord"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Passordet ditt er satt. Logg inn med e-postadressen din og det nye passordet." in done
    assert visitor.post("/logg-inn", data={"email": "siri.nilsen@sus.no",
                                           "password": "et-langt-passord"}).status_code == 302
    siri = db.session.query(User).filter_by(email="siri.nilsen@sus.no").one()
    actions = [entry.action for entry in db.session.query(AuditEntry).filter_by(
        object_type="user", object_id=siri.id).order_by(AuditEntry.id)]
    assert actions[:3] == ["user_created", "password_link_sent", "password_set"]

    again = app.test_client().get(path)
    assert again.status_code == 410
    text = again.get_data(as_text=True)
    assert "Lenken er allerede brukt" in text
    assert "Slik får du en ny lenke" in text


def test_before_the_link_is_used_no_password_opens_the_account(
        app: Flask, admin: FlaskClient, mail_server: MailServer) -> None:
    create_without_password(admin)
    for guess in ("", "demo-passord-2027", "et-langt-passord"):
        response = app.test_client().post("/logg-inn", data={"email": "siri.nilsen@sus.no",
                                                             "password": guess})
        assert response.status_code == 422


def test_an_expired_link_says_how_to_get_a_new_one(app: Flask, admin: FlaskClient,
                                                   mail_server: MailServer) -> None:
    create_without_password(admin)
    path = link_in_mail(mail_server)
    with time_machine.travel(clock.now() + timedelta(hours=49)):
        response = app.test_client().get(path)
    assert response.status_code == 410
    text = response.get_data(as_text=True)
    assert "Lenken har gått ut" in text
    assert "En lenke for å sette passord virker i 48 timer" in text
    assert "«Send lenke for å sette passord»" in text


def test_a_tampered_link_is_refused(app: Flask, admin: FlaskClient,
                                    mail_server: MailServer) -> None:
    create_without_password(admin)
    path = link_in_mail(mail_server)
    response = app.test_client().get(path[:-3] + "abc")
    assert response.status_code == 404
    assert "Lenken virker ikke" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("kort", "kort", "Passordet må ha minst 12 tegn."),
        ("et-langt-passord", "et-annet-passord",
         "Passordene er ikke like. Skriv det samme passordet i begge feltene."),
        ("", "", "Skriv et passord."),
        ("et-langt-passord", "", "Skriv passordet en gang til."),
    ],
)
def test_the_password_rules_on_the_link_page(admin: FlaskClient, mail_server: MailServer,
                                             password: str, repeat: str, message: str) -> None:
    create_without_password(admin)
    path = link_in_mail(mail_server)
    visitor = admin.application.test_client()
    response = visitor.post(path, data={"password": password, "repeat": repeat})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert visitor.get(path).status_code == 200  # the link still works


def test_the_admin_sends_a_new_link_and_the_old_password_works_until_it_is_used(
        app: Flask, admin: FlaskClient, mail_server: MailServer) -> None:
    bergen = db.session.query(User).filter_by(email="soker.bergen@demo.no").one()
    page = admin.post(f"/admin/brukere/{bergen.id}/passordlenke", follow_redirects=True)
    assert ("En lenke for å sette passord sendes til soker.bergen@demo.no. Den virker én gang "
            "og i 48 timer.") in page.get_data(as_text=True)
    path = link_in_mail(mail_server, "soker.bergen@demo.no")
    subject = mail_server.inbox.to("soker.bergen@demo.no")[-1]["Subject"]
    assert subject == "Lenke for å sette passord i Søknadsportal for nasjonale tjenester"
    assert app.test_client().post("/logg-inn", data={
        "email": "soker.bergen@demo.no", "password": "demo-passord-2027"}).status_code == 302
    signed_in = app.test_client()
    login(signed_in, "soker.bergen@demo.no")
    app.test_client().post(path, data={"password": "nytt-langt-passord",
                                       "repeat": "nytt-langt-passord"})
    assert signed_in.get("/kalender").status_code == 302  # every session ended
    assert app.test_client().post("/logg-inn", data={
        "email": "soker.bergen@demo.no", "password": "demo-passord-2027"}).status_code == 422
    assert db.session.query(AuditEntry).filter_by(action="password_link_sent",
                                                  object_id=bergen.id).count() == 1


def test_a_deactivated_user_gets_no_link(admin: FlaskClient, mail_server: MailServer) -> None:
    bergen = db.session.query(User).filter_by(email="soker.bergen@demo.no").one()
    admin.post(f"/admin/brukere/{bergen.id}/aktiv")
    page = admin.post(f"/admin/brukere/{bergen.id}/passordlenke", follow_redirects=True)
    assert ("Ingrid Vik er deaktivert. Aktiver brukeren før du sender en lenke."
            in page.get_data(as_text=True))
    assert mail.send_pending().sent == []
