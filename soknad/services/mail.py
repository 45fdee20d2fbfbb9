"""E-mail through an outbox: queued with the change it tells about, sent by a job.

Queueing never talks to SMTP, so a mail server that is down never fails or slows a submission.
``send_pending`` claims each message with a conditional UPDATE before sending, so two senders
running at once (two scheduler processes by mistake) never send the same message twice; a
message whose sending fails is retried later with a growing pause, and nothing is dropped.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from soknad import clock
from soknad.extensions import db
from soknad.models import OutboxMessage
from soknad.services import audit

CLAIM_TIMEOUT = timedelta(minutes=10)  # a sender that died holding a claim is presumed gone
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=2)


def link(endpoint: str, **values: object) -> str:
    """An absolute link for an e-mail, from ``BASE_URL`` (no request needed)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def queue(recipient: str, template: str, *, dedupe_key: str | None = None,
          **context: object) -> None:
    """Add a message to the current transaction (the caller commits). The subject is the
    first line of ``templates/emails/<template>.txt``, the rest is the body."""
    text = render_template(f"emails/{template}.txt", link=link, **context)
    subject, _, body = text.strip().partition("\n")
    db.session.add(OutboxMessage(recipient=recipient, subject=subject.strip(),
                                 body=body.strip() + "\n", dedupe_key=dedupe_key))


def queue_once(recipient: str, template: str, dedupe_key: str, **context: object) -> bool:
    """Queue and commit a message that must exist only once; False if it already did."""
    try:
        with db.session.begin_nested():
            queue(recipient, template, dedupe_key=dedupe_key, **context)
    except IntegrityError:
        return False
    db.session.commit()
    return True


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # "recipient: subject"
    failed: list[str] = field(default_factory=list)


def _claim(message_id: int) -> bool:
    now = clock.now()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.claimed_at.is_(None),
                   OutboxMessage.claimed_at < now - CLAIM_TIMEOUT))
        .values(claimed_at=now)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _message(row: OutboxMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="soknad.invalid")
    message.set_content(row.body)
    return message


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    connection = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=15)
    if config.get("MAIL_USE_TLS"):
        connection.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return connection


def send_pending(limit: int = 200, *, only: int | None = None) -> SendReport:
    """Send what is due (``only``: just that message, if due); safe to run from several
    processes at once, and again and again."""
    report = SendReport()
    statement = (select(OutboxMessage.id)
                 .where(OutboxMessage.sent_at.is_(None), OutboxMessage.send_after <= clock.now())
                 .order_by(OutboxMessage.id).limit(limit))
    if only is not None:
        statement = statement.where(OutboxMessage.id == only)
    due = list(db.session.scalars(statement))
    connection: smtplib.SMTP | None = None
    try:
        for message_id in due:
            if not _claim(message_id):
                continue
            row = db.session.get(OutboxMessage, message_id)
            assert row is not None
            try:
                connection = connection or _smtp()
                connection.send_message(_message(row))
            except (OSError, smtplib.SMTPException) as error:
                connection = None
                row.attempts += 1
                row.last_error = f"{type(error).__name__}: {error}"
                row.claimed_at = None
                row.send_after = clock.now() + min(RETRY_BASE * 2 ** (row.attempts - 1),
                                                   RETRY_MAX)
                report.failed.append(f"{row.recipient}: {row.subject} ({row.last_error})")
            else:
                row.attempts += 1
                row.sent_at = clock.now()
                report.sent.append(f"{row.recipient}: {row.subject}")
            db.session.commit()
    finally:
        if connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.quit()
    return report


# --------------------------------------------------------------------------- the admin's view

SHOWN = 50  # of each kind, newest sent and oldest waiting first


@dataclass(frozen=True)
class OutboxState:
    waiting: int  # not sent, not failed yet
    failed: int  # not sent, the last attempt failed (tried again later by itself)
    sent: int
    oldest_unsent_at: datetime | None
    oldest_unsent_age: timedelta | None
    waiting_rows: list[OutboxMessage]
    failed_rows: list[OutboxMessage]
    sent_rows: list[OutboxMessage]


def outbox_state() -> OutboxState:
    """What the outbox holds: counts, the oldest message not yet sent, and the latest of each."""
    unsent = OutboxMessage.sent_at.is_(None)
    failed = OutboxMessage.last_error.is_not(None)
    kind = case((~unsent, "sent"), (failed, "failed"), else_="waiting").label("kind")
    counts: dict[str, int] = dict(db.session.execute(  # type: ignore[arg-type]
        select(kind, func.count()).group_by(kind)).all())
    oldest = db.session.scalar(select(func.min(OutboxMessage.created_at)).where(unsent))
    return OutboxState(
        waiting=counts.get("waiting", 0), failed=counts.get("failed", 0),
        sent=counts.get("sent", 0), oldest_unsent_at=oldest,
        oldest_unsent_age=clock.now() - oldest if oldest else None,
        waiting_rows=list(db.session.scalars(select(OutboxMessage).where(
            unsent, ~failed).order_by(OutboxMessage.id).limit(SHOWN))),
        failed_rows=list(db.session.scalars(select(OutboxMessage).where(
            unsent, failed).order_by(OutboxMessage.id).limit(SHOWN))),
        sent_rows=list(db.session.scalars(select(OutboxMessage).where(~unsent).order_by(
            OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(SHOWN))),
    )


def retry(message_id: int, actor_id: int) -> SendReport | None:
    """Try a message that has not gone out again, now; None when there is no such message
    (unknown, or already sent)."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.sent_at is not None:
        return None
    row.send_after = clock.now()
    audit.record(actor_id, "mail_retried", "outbox_message", row.id, attempts=row.attempts)
    db.session.commit()
    return send_pending(only=message_id)
