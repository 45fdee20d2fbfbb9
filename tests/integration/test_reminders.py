"""Reminders arrive exactly once: across a restart mid-day, after a scheduler was down at the
due moment, with two schedulers at once, and with the SMTP server down for a while. A real SMTP
server on loopback (aiosmtpd) counts what arrives; the clock is fixed with time-machine."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from soknad import clock
from soknad.cli import main
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import OutboxMessage, Reminder, RoundDate
from soknad.services import applications, coordination, reminders
from soknad.services import calendar as calendar_service
from tests.calendar_helpers import (
    clear_outbox,
    draft,
    remind_at,
    remind_in,
    round_2027,
    set_internal_deadline,
    submitted,
    users_exist_since,
    utc,
)
from tests.factories import make_application, user
from tests.mailserver import MailServer

# Round 2027's joint deadline is 15 January 2027 (winter time, UTC+1): its reminders fall at
# 08:00 Oslo = 07:00 UTC on 16 December (30 days), 1 January (14), 8 January (7), 14 January (1).
THIRTY_DAYS = utc(2026, 12, 16, 7, 0)
FOURTEEN_DAYS = utc(2027, 1, 1, 7, 0)
SEVEN_DAYS = utc(2027, 1, 8, 7, 0)
JOINT_SUBJECT = ("Påminnelse: Samlet søknad fra RHF-ene til Helsedirektoratet (kopi til HOD) – "
                 "frist fredag 15. januar 2027")


@pytest.fixture(autouse=True)
def _long_standing_users(app: Flask) -> None:
    users_exist_since()


@pytest.fixture
def one_waiting() -> None:
    """One application from Helse Bergen HF waits for Helse Vest's coordinator: before
    15 January, koordinator.vest@demo.no is the one person with something to do."""
    submitted("soker.bergen@demo.no")
    clear_outbox()


def work_in_two_regions() -> None:
    """Oslo universitetssykehus HF has a draft (internal deadline 8 January) and one
    application waiting for Helse Sør-Øst; Helse Bergen HF has one waiting for Helse Vest."""
    draft("soker.ous@demo.no")
    submitted("soker.ous@demo.no")
    submitted("soker.bergen@demo.no")
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    clear_outbox()


def reminder_rows() -> list[tuple[str, int, str, str]]:
    return sorted((row.user.email, row.offset_days, row.status, row.deadline_key)
                  for row in db.session.scalars(select(Reminder)))


# --------------------------------------------------------------------------- restart


@pytest.mark.usefixtures("one_waiting")
def test_a_reminder_due_during_a_restart_is_sent_once(
        app: Flask, mail_server: MailServer, other_process: Flask) -> None:
    assert remind_at(THIRTY_DAYS - timedelta(minutes=5)).queued == []  # 07:55 Oslo: not yet
    # The scheduler stops at 07:58 and comes back, as a new process, at 08:30.
    report = remind_in(other_process, THIRTY_DAYS + timedelta(minutes=30))
    assert len(report.queued) == len(report.sent) == 1
    # It restarts again mid-day; the old process also runs once more before it stops.
    assert remind_in(other_process, utc(2026, 12, 16, 11)).sent == []
    assert remind_at(utc(2026, 12, 16, 11, 5)).sent == []
    assert remind_at(utc(2026, 12, 17, 7)).queued == []
    assert mail_server.inbox.subjects() == [JOINT_SUBJECT]
    assert mail_server.inbox.messages[0]["To"] == "koordinator.vest@demo.no"
    assert reminder_rows() == [("koordinator.vest@demo.no", 30, "queued",
                                "joint_submission@2027-01-15")]


@pytest.mark.usefixtures("one_waiting")
def test_each_offset_is_sent_once_on_its_day(app: Flask, mail_server: MailServer) -> None:
    for moment in (THIRTY_DAYS, THIRTY_DAYS + timedelta(hours=3), FOURTEEN_DAYS,
                   FOURTEEN_DAYS + timedelta(hours=1), SEVEN_DAYS, SEVEN_DAYS,
                   utc(2027, 1, 14, 7), utc(2027, 1, 15, 22, 59), utc(2027, 1, 16, 7)):
        remind_at(moment)
    assert [row[1] for row in reminder_rows()] == [1, 7, 14, 30]
    bodies = [message.get_content() for message in mail_server.inbox.messages]
    assert [body.split("(")[1].split(")")[0] for body in bodies] == [
        "om 30 dager", "om 14 dager", "om 7 dager", "i morgen"]
    assert "- 1 søknad venter på behandling" in bodies[0]
    assert "Påminnelser sendes 30, 14, 7 og 1 dager før" in bodies[0]
    assert "http://127.0.0.1:5000/kalender" in bodies[0]


def test_an_extension_reminds_its_health_trust_until_the_application_is_sent(
        app: Flask, mail_server: MailServer) -> None:
    late = make_application("soker.ous@demo.no", complete=True)
    set_internal_deadline(Region.SOR_OST, date(2026, 12, 20))
    with time_machine.travel(utc(2026, 12, 21, 11)):
        coordination.grant_extension(late, date(2027, 1, 5), user("koordinator.sorost@demo.no"))
    clear_outbox()
    subject = ("Påminnelse: Utsatt frist: " + late.display_title
               + " – frist tirsdag 5. januar 2027")
    both = [("soker.ous@demo.no", subject), ("soker2.ous@demo.no", subject)]

    def received() -> list[tuple[str, str]]:
        return sorted((message["To"], message["Subject"])
                      for message in mail_server.inbox.messages)

    remind_at(utc(2026, 12, 21, 12))  # the first run after the grant catches up, once
    remind_at(utc(2026, 12, 21, 15))
    assert received() == both
    assert "- 1 søknad er ikke sendt til RHF" in mail_server.inbox.messages[0].get_content()
    remind_at(utc(2026, 12, 29, 7, 5))  # 7 days before: 08:05 Oslo
    remind_at(utc(2026, 12, 29, 12))
    assert received() == sorted(both * 2)

    with time_machine.travel(utc(2027, 1, 2, 11)):
        applications.submit(late, user("soker.ous@demo.no"))  # allowed: the extension holds
    remind_at(utc(2027, 1, 4, 7, 5))  # the day before: nothing is left to do
    assert [row for row in received() if row[1] == subject] == sorted(both * 2)


# --------------------------------------------------------------------------- catch-up


@pytest.mark.usefixtures("one_waiting")
def test_a_scheduler_that_was_down_at_the_moment_catches_up(
        app: Flask, mail_server: MailServer) -> None:
    # Down from before 16 December until 2 January 10:00: the 30- and 14-day moments passed.
    report = remind_at(utc(2027, 1, 2, 10))
    assert len(report.queued) == len(report.sent) == 1
    assert "erstatter påminnelsen 30 dager før" in report.queued[0]
    assert reminder_rows() == [
        ("koordinator.vest@demo.no", 14, "queued", "joint_submission@2027-01-15"),
        ("koordinator.vest@demo.no", 30, "superseded", "joint_submission@2027-01-15"),
    ]
    assert "(om 13 dager)" in mail_server.inbox.messages[0].get_content()
    assert remind_at(utc(2027, 1, 2, 10, 5)).queued == []
    assert len(remind_at(SEVEN_DAYS).sent) == 1
    assert len(mail_server.inbox.messages) == 2


@pytest.mark.usefixtures("one_waiting")
def test_nothing_is_caught_up_after_the_deadline(app: Flask, mail_server: MailServer) -> None:
    assert remind_at(utc(2027, 1, 15, 23, 0)).queued == []  # 00:00 on the 16th in Oslo
    assert remind_at(utc(2027, 1, 15, 22, 59)).queued != []  # 23:59 on the 15th: still owed


def test_no_reminder_for_a_moment_before_the_account_existed(
        app: Flask, mail_server: MailServer) -> None:
    submitted("soker.bergen@demo.no")
    clear_outbox()
    coordinator = user("koordinator.vest@demo.no")
    coordinator.created_at = utc(2027, 1, 5)  # after the 30- and 14-day moments
    db.session.commit()
    assert remind_at(utc(2027, 1, 6)).queued == []
    assert len(remind_at(SEVEN_DAYS).sent) == 1
    assert [row[1:3] for row in reminder_rows()] == [(7, "queued")]


def test_only_people_with_something_to_do_are_reminded(
        app: Flask, mail_server: MailServer) -> None:
    work_in_two_regions()
    user("soker2.ous@demo.no").active = False
    db.session.commit()
    report = remind_at(FOURTEEN_DAYS)  # the joint deadline's 14 days = the internal one's 7
    assert len(report.sent) == 4
    assert Counter(message["To"] for message in mail_server.inbox.messages) == {
        "soker.ous@demo.no": 1,  # internal deadline: 1 draft
        "koordinator.sorost@demo.no": 2,  # internal + joint: 1 waiting
        "koordinator.vest@demo.no": 1,  # joint: 1 waiting
    }
    to_applicant = mail_server.inbox.to("soker.ous@demo.no")[0]
    assert to_applicant["Subject"] == (
        "Påminnelse: Intern frist i Helse Sør-Øst: søknader fra helseforetakene til RHF – "
        "frist fredag 8. januar 2027")
    assert "- 1 utkast er ikke sendt til RHF" in to_applicant.get_content()


# --------------------------------------------------------------------------- two schedulers


def test_two_schedulers_at_once_send_each_reminder_once(
        app: Flask, mail_server: MailServer) -> None:
    work_in_two_regions()
    barrier = threading.Barrier(2)
    reports: list[reminders.RemindReport] = []

    def scheduler() -> None:
        with app.app_context():
            barrier.wait()
            reports.append(reminders.run())
            db.session.remove()

    with time_machine.travel(FOURTEEN_DAYS):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    # soker.ous and soker2.ous (internal), koordinator.sorost (internal, joint), vest (joint)
    assert len(mail_server.inbox.messages) == 5
    assert len({(str(m["To"]), str(m["Subject"])) for m in mail_server.inbox.messages}) == 5
    assert sum(len(report.sent) for report in reports) == 5
    assert sum(len(report.queued) for report in reports) == 5  # each won by one of the two
    assert len([row for row in reminder_rows() if row[2] == "queued"]) == 5
    assert db.session.query(OutboxMessage).filter(OutboxMessage.sent_at.is_(None)).count() == 0


@pytest.mark.slow
def test_two_scheduler_processes_send_each_reminder_once(
        app: Flask, mail_server: MailServer, database_url: str, tmp_path: Path) -> None:
    """Two real ``soknad remind`` processes on the real clock: an administrator's date six days
    from now for the coordinators is owed (7 days before) to the four of them."""
    today = clock.today()
    db.session.add(RoundDate(round_id=round_2027().id, day=today + timedelta(days=6),
                             title="Koordinatormøte", roles=[Role.COORDINATOR.value],
                             remind=True, created_by_id=user("admin@demo.no").id))
    db.session.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SOKNAD_MAIL_SERVER": "127.0.0.1",
           "SOKNAD_MAIL_PORT": str(mail_server.port),
           "SOKNAD_SECRET_KEY": "test-secret-key-not-for-production"}
    command = [str(Path(sys.executable).with_name("soknad")), "remind"]
    processes = [subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sorted(str(message["To"]) for message in mail_server.inbox.messages) == [
        "koordinator.midt@demo.no", "koordinator.nord@demo.no", "koordinator.sorost@demo.no",
        "koordinator.vest@demo.no"]
    db.session.expire_all()
    assert [row[1:3] for row in reminder_rows() if row[2] == "queued"] == [(7, "queued")] * 4


# --------------------------------------------------------------------------- SMTP down


@pytest.mark.usefixtures("one_waiting")
def test_smtp_down_then_up_sends_the_reminder_once_later(
        app: Flask, mail_server: MailServer, other_process: Flask) -> None:
    mail_server.stop()
    report = remind_at(THIRTY_DAYS)
    assert (len(report.queued), len(report.sent), len(report.failed)) == (1, 0, 1)
    report = remind_in(other_process, THIRTY_DAYS + timedelta(seconds=30))  # a restart too
    assert (report.queued, report.sent, report.failed) == ([], [], [])  # waits before retrying
    mail_server.start()
    report = remind_at(THIRTY_DAYS + timedelta(minutes=5))
    assert (len(report.queued), len(report.sent)) == (0, 1)
    assert remind_at(THIRTY_DAYS + timedelta(minutes=10)).sent == []
    assert mail_server.inbox.subjects() == [JOINT_SUBJECT]
    assert len(reminder_rows()) == 1


# --------------------------------------------------------------------------- daylight saving


def test_reminders_follow_0800_oslo_time_across_both_dst_changes(
        app: Flask, mail_server: MailServer) -> None:
    admin = user("admin@demo.no")
    for day in (date(2027, 4, 4), date(2027, 11, 7)):
        calendar_service.add_round_date(round_2027(), day, f"Møte {day}",
                                        roles=[Role.DIRECTORATE], actor=admin)
    clear_outbox()
    steps = [
        (utc(2027, 3, 5, 7), 1),  # 4 April − 30 days, 08:00 CET
        (utc(2027, 3, 21, 6, 59), 0),  # − 14 days, 07:59 CET
        (utc(2027, 3, 21, 7, 0), 1),
        (utc(2027, 3, 28, 5, 59), 0),  # − 7 days: summer time began at 02:00 that morning
        (utc(2027, 3, 28, 6, 0), 1),  # 08:00 CEST
        (utc(2027, 10, 8, 6, 0), 1),  # 7 November − 30 days, 08:00 CEST
        (utc(2027, 10, 24, 5, 59), 0),
        (utc(2027, 10, 24, 6, 0), 1),  # − 14 days, 08:00 CEST
        (utc(2027, 10, 31, 6, 0), 0),  # − 7 days: winter time since 03:00 → still 07:00 CET
        (utc(2027, 10, 31, 7, 0), 1),  # 08:00 CET
    ]
    # The annual reports due 15 March 2027 remind the health trusts and RHFs meanwhile:
    # count Helsedirektoratet's meetings only.
    for moment, expected in steps:
        sent = [item for item in remind_at(moment).sent if item.startswith("hdir@demo.no:")]
        assert (moment, len(sent)) == (moment, expected)
    assert all(message["Subject"].startswith("Påminnelse: Møte")
               for message in mail_server.inbox.to("hdir@demo.no"))


# --------------------------------------------------------------------------- commands and job


def run_cli(app: Flask, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("one_waiting")
def test_remind_command_dry_run_then_for_real(app: Flask, mail_server: MailServer) -> None:
    with time_machine.travel(THIRTY_DAYS):
        dry = run_cli(app, "remind", "--dry-run")
        assert ("Ville lagt i kø: koordinator.vest@demo.no: Samlet søknad fra RHF-ene til "
                "Helsedirektoratet (kopi til HOD) (15. januar 2027, 30 dager før)") in dry
        assert "1 påminnelse er forfalt. Ingenting er sendt (--dry-run)." in dry
        assert reminder_rows() == []
        assert mail_server.inbox.messages == []
        real = run_cli(app, "remind")
        assert f"Sendt: koordinator.vest@demo.no: {JOINT_SUBJECT}" in real
        assert "1 påminnelse lagt i kø, 1 e-post sendt, 0 feilet." in real
        again = run_cli(app, "remind")
        assert "0 påminnelser lagt i kø, 0 e-poster sendt, 0 feilet." in again
    assert len(mail_server.inbox.messages) == 1


@pytest.mark.usefixtures("one_waiting")
def test_the_scheduler_job_runs_in_its_own_app_context(
        app: Flask, mail_server: MailServer) -> None:
    with time_machine.travel(THIRTY_DAYS):
        reminders.job(app)
        reminders.job(app)
    assert len(mail_server.inbox.messages) == 1


def test_no_in_process_scheduler_in_tests(app: Flask) -> None:
    assert reminders.start_in_process(app) is None
    saved = app.config["SCHEDULER"]
    app.config["SCHEDULER"] = "inprocess"
    try:
        assert reminders.start_in_process(app) is None  # TESTING wins
    finally:
        app.config["SCHEDULER"] = saved


def test_the_scheduler_runs_the_job_now_and_then_every_interval(app: Flask) -> None:
    scheduler = reminders.make_scheduler(app, blocking=False)
    job = scheduler.get_job("reminders")
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=5)
    assert scheduler.state == 0  # made, not started: a test never starts one


@pytest.mark.usefixtures("one_waiting")
def test_offsets_and_hour_come_from_the_config(app: Flask, mail_server: MailServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "REMINDER_OFFSETS_DAYS", [3])
    monkeypatch.setitem(app.config, "REMINDER_HOUR", 9)
    assert remind_at(utc(2027, 1, 12, 7, 59)).queued == []  # 12 January 08:59 Oslo
    assert len(remind_at(utc(2027, 1, 12, 8, 0)).sent) == 1
    assert [row[1] for row in reminder_rows()] == [3]
    monkeypatch.setitem(app.config, "REMINDER_OFFSETS_DAYS", [-1])
    with pytest.raises(ValueError, match="REMINDER_OFFSETS_DAYS"):
        reminders.settings()
