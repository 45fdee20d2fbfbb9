"""The administrator sees the outbox (waiting, failed with the error, sent), notices a dead
SMTP server, and tries a failed message again: with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from soknad import clock
from soknad.extensions import db
from soknad.models import AuditEntry, OutboxMessage
from soknad.services import mail
from tests.factories import login
from tests.mailserver import MailServer


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    login(client, "admin@demo.no")
    return client


def queue(recipient: str, subject: str, age: timedelta = timedelta()) -> None:
    """A message put in the outbox ``age`` ago. (Not by travelling in time: a session cookie
    signed in the future is refused back in the present.)"""
    db.session.add(OutboxMessage(recipient=recipient, subject=subject, body="Hei\n",
                                 created_at=clock.now() - age))
    db.session.commit()


def facts(html: str) -> str:
    """The overview's text, spaces normalised."""
    start = html.index("<h2>Oversikt</h2>")
    return " ".join(html[start:html.index("</dl>", start)].split())


def test_a_dead_smtp_server_is_seen_and_a_retry_sends_once_it_is_back(
        admin: FlaskClient, mail_server: MailServer) -> None:
    queue("a@demo.no", "Første", timedelta(hours=3, minutes=5, seconds=10))
    queue("b@demo.no", "Andre", timedelta(hours=2))
    mail_server.stop()
    assert len(mail.send_pending().failed) == 2
    queue("c@demo.no", "Tredje")
    html = admin.get("/admin/e-post").get_data(as_text=True)
    overview = facts(html)
    assert "<dt>Venter på sending</dt><dd>1</dd>" in overview
    assert "<dt>Feilet, prøves igjen</dt><dd>2</dd>" in overview
    assert "<dt>Sendt</dt><dd>0</dd>" in overview
    assert "(3 timer og 5 minutter siden)" in overview
    assert "E-post kommer ikke ut" in html
    assert "Den eldste meldingen som ikke er sendt, har ventet i 3 timer og 5 minutter." in html
    assert "ConnectionRefusedError" in html
    assert html.count("Prøv igjen<span") == 2

    failed = db.session.query(OutboxMessage).filter_by(recipient="a@demo.no").one()
    again = admin.post(f"/admin/e-post/{failed.id}/prov-igjen", follow_redirects=True)
    assert "Sendingen feilet igjen: a@demo.no: Første" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).attempts == 2

    mail_server.start()
    sent = admin.post(f"/admin/e-post/{failed.id}/prov-igjen", follow_redirects=True)
    assert "Sendt: a@demo.no: Første." in sent.get_data(as_text=True)
    assert [message["To"] for message in mail_server.inbox.messages] == ["a@demo.no"]
    assert db.session.query(AuditEntry).filter_by(action="mail_retried",
                                                  object_id=failed.id).count() == 2
    html = admin.get("/admin/e-post").get_data(as_text=True)
    assert "<dt>Sendt</dt><dd>1</dd>" in facts(html)
    assert "<dt>Feilet, prøves igjen</dt><dd>1</dd>" in facts(html)


def test_all_sent_says_so_and_warns_of_nothing(admin: FlaskClient,
                                               mail_server: MailServer) -> None:
    queue("a@demo.no", "Første")
    mail.send_pending()
    html = admin.get("/admin/e-post").get_data(as_text=True)
    assert "ingen: alt er sendt" in facts(html)
    assert "E-post kommer ikke ut" not in html
    assert "Ingen meldinger har feilet." in html


def test_a_message_waiting_a_few_minutes_is_no_alarm(admin: FlaskClient) -> None:
    queue("a@demo.no", "Første", timedelta(minutes=10, seconds=5))
    html = admin.get("/admin/e-post").get_data(as_text=True)
    assert "(10 minutter siden)" in facts(html)
    assert "E-post kommer ikke ut" not in html


def test_retrying_a_sent_or_unknown_message_changes_nothing(
        admin: FlaskClient, mail_server: MailServer) -> None:
    queue("a@demo.no", "Første")
    mail.send_pending()
    row = db.session.query(OutboxMessage).one()
    for message_id in (row.id, 999999):
        html = admin.post(f"/admin/e-post/{message_id}/prov-igjen",
                          follow_redirects=True).get_data(as_text=True)
        assert "Meldingen er allerede sendt eller finnes ikke." in html
    assert len(mail_server.inbox.messages) == 1
