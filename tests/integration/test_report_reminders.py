"""The annual reports in the calendar and its reminders: before 15 March the health trusts with
reports not sent and the RHF coordinators (reports not received, or not forwarded) are
reminded, each exactly once, across a restart and with two schedulers at once; a health trust
that has sent everything is not. A real SMTP server on loopback (aiosmtpd) counts what arrives;
the clock is fixed with time-machine."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from soknad import clock
from soknad.domain import calendar as cal
from soknad.domain.reports import ReportState
from soknad.extensions import db
from soknad.models import Reminder, User
from soknad.services import calendar as calendar_service
from soknad.services import reminders, reports
from tests.calendar_helpers import (
    clear_outbox,
    remind_at,
    remind_in,
    users_exist_since,
    utc,
)
from tests.factories import REPORT_YEAR, client_for, page, user
from tests.mailserver import MailServer

# The reports on 2026 are due on Monday 15 March 2027 (winter time, UTC+1): the 30-day reminder
# falls at 08:00 Oslo = 07:00 UTC on 13 February.
THIRTY_DAYS = utc(2027, 2, 13, 7, 0)
SUBJECT = ("Påminnelse: Årsrapporter fra de nasjonale tjenestene til RHF – frist mandag "
           "15. mars 2027")


@pytest.fixture(autouse=True)
def _long_standing_users(app: Flask) -> None:
    users_exist_since()


def all_sent(email: str) -> int:
    """Every report the user's health trust owes on the year, sent to the RHF; their number."""
    owner = user(email)
    owed = reports.owed(REPORT_YEAR, organisation_id=owner.organisation_id)
    for item in owed:
        assert item.host is not None
        report = reports.start(item.service, REPORT_YEAR, item.host, owner)
        report.state, report.first_sent_at = ReportState.SENT, clock.now()
        report.version += 1
    db.session.commit()
    return len(owed)


@pytest.fixture
def unn_has_sent_everything() -> int:
    sent = all_sent("soker.unn@demo.no")
    assert sent > 0
    clear_outbox()
    return sent


def reminder_rows() -> list[tuple[str, int, str]]:
    return sorted((row.user.email, row.offset_days, row.deadline_key)
                  for row in db.session.scalars(select(Reminder)))


def expected_recipients() -> Counter[str]:
    """Whoever has something left before 15 March: the applicants of every health trust with
    an owed report not sent, and the coordinator of every region with a service that owes."""
    calendar = next(item for item in calendar_service.load_all() if item.round.year == 2027)
    deadline = next(item for item in calendar.deadlines if item.key == "annual_reports")
    found: Counter[str] = Counter()
    for person in db.session.scalars(select(User).where(User.active.is_(True))):
        if cal.reminder_recipient(deadline, person.actor(), cal.tasks(
                deadline, person.role_enum, calendar.counts_for(person))):
            found[person.email] += 1
    return found


# --------------------------------------------------------------------------- who is reminded


@pytest.mark.usefixtures("unn_has_sent_everything")
def test_before_15_march_the_health_trusts_and_the_rhfs_are_reminded(
        app: Flask, mail_server: MailServer) -> None:
    report = remind_at(THIRTY_DAYS)
    received = Counter(str(message["To"]) for message in mail_server.inbox.messages)
    assert received == expected_recipients()
    assert len(report.sent) == sum(received.values())
    assert {"soker.ous@demo.no", "soker2.ous@demo.no", "soker.bergen@demo.no",
            "koordinator.sorost@demo.no", "koordinator.nord@demo.no"} <= set(received)
    assert "soker.unn@demo.no" not in received  # everything sent: nothing left to do
    assert "hdir@demo.no" not in received  # nothing of Helsedirektoratet's before 15 March
    assert set(mail_server.inbox.subjects()) == {SUBJECT}
    owed_ous = len(reports.owed(REPORT_YEAR, organisation_id=user("soker.ous@demo.no")
                                .organisation_id))
    to_ous = mail_server.inbox.to("soker.ous@demo.no")[0].get_content()
    assert f"- {owed_ous} årsrapporter er ikke sendt til RHF" in to_ous
    to_nord = mail_server.inbox.to("koordinator.nord@demo.no")[0].get_content()
    assert "årsrapporter er ikke sendt videre til Helsedirektoratet" in to_nord


# --------------------------------------------------------------------------- exactly once


@pytest.mark.usefixtures("unn_has_sent_everything")
def test_a_report_reminder_due_during_a_restart_is_sent_once(
        app: Flask, mail_server: MailServer, other_process: Flask) -> None:
    assert remind_at(THIRTY_DAYS - timedelta(minutes=5)).queued == []  # 07:55 Oslo: not yet
    expected = expected_recipients()
    # The scheduler stops at 07:58 and comes back, as a new process, at 08:30.
    report = remind_in(other_process, THIRTY_DAYS + timedelta(minutes=30))
    assert len(report.sent) == sum(expected.values())
    # It restarts again mid-day; the old process also runs once more before it stops.
    assert remind_in(other_process, utc(2027, 2, 13, 11)).sent == []
    assert remind_at(utc(2027, 2, 13, 11, 5)).sent == []
    assert remind_at(utc(2027, 2, 14, 7)).queued == []
    assert Counter(str(message["To"]) for message in mail_server.inbox.messages) == expected
    rows = reminder_rows()
    assert len(rows) == len(set(rows)) == sum(expected.values())
    assert {row[1:] for row in rows} == {(30, "annual_reports@2027-03-15")}


@pytest.mark.usefixtures("unn_has_sent_everything")
def test_two_schedulers_at_once_send_each_report_reminder_once(
        app: Flask, mail_server: MailServer) -> None:
    expected = expected_recipients()
    barrier = threading.Barrier(2)
    found: list[reminders.RemindReport] = []

    def scheduler() -> None:
        with app.app_context():
            barrier.wait()
            found.append(reminders.run())
            db.session.remove()

    with time_machine.travel(THIRTY_DAYS):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert Counter(str(message["To"]) for message in mail_server.inbox.messages) == expected
    assert sum(len(report.queued) for report in found) == sum(expected.values())
    assert sum(len(report.sent) for report in found) == sum(expected.values())


def test_a_sent_report_is_no_longer_left_for_the_health_trust(
        app: Flask, mail_server: MailServer) -> None:
    """Once everything is sent, the 14-day reminder does not go; the RHF's does, now to
    forward them."""
    remind_at(THIRTY_DAYS)
    assert len(mail_server.inbox.to("soker.unn@demo.no")) == 1
    all_sent("soker.unn@demo.no")
    remind_at(utc(2027, 3, 1, 7, 5))  # 14 days before
    assert len(mail_server.inbox.to("soker.unn@demo.no")) == 1
    assert len(mail_server.inbox.to("soker.ous@demo.no")) == 2
    assert "årsrapporter er ikke sendt videre til Helsedirektoratet" in (
        mail_server.inbox.to("koordinator.nord@demo.no")[-1].get_content())


# --------------------------------------------------------------------------- the pages


def test_the_calendar_shows_what_is_left_per_role(app: Flask) -> None:
    sent = all_sent("soker.unn@demo.no")
    owed_ous = len(reports.owed(REPORT_YEAR, organisation_id=user("soker.ous@demo.no")
                                .organisation_id))
    applicant = page(client_for(app, "soker.ous@demo.no").get("/kalender"))
    assert f"{owed_ous} årsrapporter er ikke sendt til RHF" in applicant
    coordinator = page(client_for(app, "koordinator.nord@demo.no").get("/kalender"))
    forward = "årsrapport er" if sent == 1 else "årsrapporter er"
    assert f"{sent} {forward} ikke sendt videre til Helsedirektoratet" in coordinator
    assert "Tilleggsrapportering til årsrapportene" in coordinator
    directorate = page(client_for(app, "hdir@demo.no").get("/kalender"))
    assert "Tilleggsrapportering til årsrapportene" in directorate
