"""E-mail goes through the outbox to a real SMTP server on loopback: once each, never lost."""

from __future__ import annotations

import threading
from datetime import timedelta

import time_machine
from flask import Flask

from soknad import clock
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application, OutboxMessage
from soknad.services import applications, mail
from tests.factories import make_application, user
from tests.mailserver import MailServer


def submit_one() -> Application:
    application = make_application(service_type=ServiceType.NATIONAL_TREATMENT, complete=True)
    applications.submit(db.session.get(Application, application.id), user("soker.ous@demo.no"))
    return application


def test_submission_sends_a_receipt_and_tells_the_coordinator(
        app: Flask, mail_server: MailServer) -> None:
    application = submit_one()
    report = mail.send_pending()
    assert len(report.sent) == 2
    receipt = mail_server.inbox.to("soker.ous@demo.no")[0]
    title = application.display_title
    assert receipt["Subject"] == f"Kvittering: {title} er sendt til Helse Sør-Øst RHF"
    body = receipt.get_content()
    sha = db.session.get(Application, application.id).latest_submission.sha256
    assert f"Kontrollsum (SHA-256): {sha}" in body
    assert f"http://127.0.0.1:5000/soknader/{application.id}/innsendt/1" in body
    notice = mail_server.inbox.to("koordinator.sorost@demo.no")[0]
    assert notice["Subject"] == f"Ny søknad fra Oslo universitetssykehus HF: {title}"
    assert mail_server.inbox.to("koordinator.vest@demo.no") == []


def test_sending_again_sends_nothing_more(app: Flask, mail_server: MailServer) -> None:
    submit_one()
    mail.send_pending()
    assert mail.send_pending().sent == []
    assert len(mail_server.inbox.messages) == 2


def test_smtp_down_then_up_delivers_everything_once(app: Flask,
                                                   mail_server: MailServer) -> None:
    submit_one()
    mail_server.stop()
    report = mail.send_pending()
    assert report.sent == []
    assert len(report.failed) == 2
    rows = db.session.query(OutboxMessage).all()
    assert all(row.attempts == 1 and row.sent_at is None and row.last_error for row in rows)
    mail_server.start()
    assert mail.send_pending().sent == []  # not due yet: it waits before trying again
    with time_machine.travel(clock.now() + timedelta(minutes=2)):
        assert len(mail.send_pending().sent) == 2
    assert len(mail_server.inbox.messages) == 2


def test_two_senders_at_once_send_each_message_once(app: Flask,
                                                    mail_server: MailServer) -> None:
    for _ in range(5):
        submit_one()  # ten messages
    barrier = threading.Barrier(2)

    def send() -> None:
        with app.app_context():
            barrier.wait()
            mail.send_pending()
            db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(mail_server.inbox.messages) == 10
    assert len({message["Message-ID"] for message in mail_server.inbox.messages}) == 10


def test_a_message_with_a_dedupe_key_is_queued_once(app: Flask) -> None:
    context = _context()
    first = mail.queue_once("a@demo.no", "new_submission", "nøkkel-1", **context)
    second = mail.queue_once("a@demo.no", "new_submission", "nøkkel-1", **context)
    assert (first, second) == (True, False)
    assert db.session.query(OutboxMessage).count() == 1


def _context() -> dict[str, object]:
    application = submit_one()
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    row = db.session.get(Application, application.id).latest_submission
    return {"application": db.session.get(Application, application.id), "submission": row,
            "submitter": user("soker.ous@demo.no"), "rhf_name": "Helse Sør-Øst RHF"}
