"""Deadline reminders by e-mail, each exactly once, and the scheduler that sends them.

How "exactly once" holds:

- Each run computes from the database, never from memory, what is owed now: for every deadline
  not yet passed and every user it concerns who still has something to do, the nearest offset
  whose moment (``REMINDER_HOUR`` Oslo time, ``offset`` days before) has come
  (``domain.calendar.due_reminder``). So a restart loses nothing, and a scheduler that was down
  at the moment catches up at its next run.
- A reminder is a ``Reminder`` row plus an outbox message, written in one transaction. The
  row's unique (round, deadline@date, offset, user) and the message's unique ``dedupe_key``
  make a second writer's transaction fail: two schedulers at once queue it once.
- The outbox (``services.mail.send_pending``) claims each message before sending and retries
  a failed one later with a growing pause: an SMTP server that is down delays it, nothing more.

The remaining window is the outbox's: a sender that dies after the SMTP server accepted a
message and before it recorded that is presumed gone after ``mail.CLAIM_TIMEOUT`` and the
message goes again (at least once at that instant; no SMTP transaction can do better).
"""

from __future__ import annotations

import atexit
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from soknad import clock
from soknad.domain import calendar as cal
from soknad.extensions import db
from soknad.models import Reminder, User
from soknad.services import calendar as calendar_service
from soknad.services import mail, pdfs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    offsets: tuple[int, ...]
    hour: int


def settings() -> Settings:
    """``REMINDER_OFFSETS_DAYS`` and ``REMINDER_HOUR`` from the config, checked."""
    config = current_app.config
    offsets = tuple(sorted({int(value) for value in config["REMINDER_OFFSETS_DAYS"]},
                           reverse=True))
    hour = int(config["REMINDER_HOUR"])
    if any(offset < 0 for offset in offsets) or not 0 <= hour <= 23:
        raise ValueError("REMINDER_OFFSETS_DAYS must be days ≥ 0 and REMINDER_HOUR 0–23")
    return Settings(offsets, hour)


@dataclass(frozen=True)
class Planned:
    """A reminder owed now."""

    calendar: calendar_service.RoundCalendar
    deadline: cal.Deadline
    user: User
    due: cal.DueReminder
    tasks: tuple[cal.Task, ...]
    superseded: tuple[int, ...]  # earlier offsets owed but not recorded yet

    @property
    def outbox_key(self) -> str:
        return (f"reminder:{self.calendar.round.year}:{self.deadline.reminder_key}:"
                f"{self.due.offset_days}:{self.user.id}")

    def describe(self) -> str:
        text = (f"{self.user.email}: {self.deadline.title} "
                f"({cal.format_date(self.deadline.day)}, {self.due.offset_days} dager før)")
        if self.superseded:
            text += (" – innhentet; erstatter påminnelsen "
                     + ", ".join(f"{offset}" for offset in self.superseded) + " dager før")
        return text


def plan(now: datetime | None = None) -> list[Planned]:
    """Every reminder owed at ``now`` and not yet recorded."""
    now = now or clock.now()
    config = settings()
    users = list(db.session.scalars(select(User).where(User.active.is_(True))
                                    .order_by(User.id)))
    recorded = {
        (row.round_id, row.deadline_key, row.offset_days, row.user_id)
        for row in db.session.scalars(select(Reminder).where(
            Reminder.deadline_day >= cal.oslo_date(now)))
    }
    found = []
    for calendar in calendar_service.load_all():
        round_id = calendar.round.id
        for deadline in calendar.deadlines:
            if cal.has_passed(deadline.day, now):
                continue
            for user in users:
                due = cal.due_reminder(deadline.day, config.offsets, config.hour, now,
                                       user.created_at)
                key = (round_id, deadline.reminder_key)
                if due is None or (*key, due.offset_days, user.id) in recorded:
                    continue
                actor = user.actor()
                tasks = tuple(cal.tasks(deadline, actor.role, calendar.counts_for(user)))
                if not cal.reminder_recipient(deadline, actor, tasks):
                    continue
                superseded = tuple(offset for offset in due.superseded
                                   if (*key, offset, user.id) not in recorded)
                found.append(Planned(calendar, deadline, user, due, tasks, superseded))
    return found


def queue(item: Planned, now: datetime) -> bool:
    """Record the reminder and queue its e-mail in one transaction; False when another
    scheduler already did (the unique constraints refused the second copy)."""
    deadline, user = item.deadline, item.user
    common = {"round_id": item.calendar.round.id, "deadline_key": deadline.reminder_key,
              "deadline_day": deadline.day, "user_id": user.id,
              "title": deadline.title[:300]}
    summary = "; ".join(task.text for task in item.tasks)
    try:
        db.session.add(Reminder(**common, offset_days=item.due.offset_days, due_at=item.due.moment,
                                status="queued", outbox_key=item.outbox_key, summary=summary))
        for offset in item.superseded:
            db.session.add(Reminder(**common, offset_days=offset,
                                    due_at=cal.reminder_moment(deadline.day, offset,
                                                               settings().hour),
                                    status="superseded", summary=summary))
        mail.queue(user.email, "reminder", dedupe_key=item.outbox_key, user=user,
                   deadline=deadline, round_year=item.calendar.round.year, tasks=item.tasks,
                   day_text=cal.format_date(deadline.day, weekday=True),
                   left_text=cal.days_text(cal.days_left(deadline.day, now)),
                   offsets=settings().offsets)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


@dataclass
class RemindReport:
    queued: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # another scheduler was first
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run(now: datetime | None = None, *, dry_run: bool = False, send: bool = True
        ) -> RemindReport:
    """Queue every reminder owed now, then send what the outbox has due. ``dry_run``: only say
    what would be queued. Safe to run at any time, again and again, and in parallel."""
    now = now or clock.now()
    report = RemindReport()
    for item in plan(now):
        if dry_run or queue(item, now):
            report.queued.append(item.describe())
        else:
            report.already.append(item.describe())
    if send and not dry_run:
        sent = mail.send_pending()
        report.sent, report.failed = sent.sent, sent.failed
    return report


# --------------------------------------------------------------------------- the scheduler


def job(app: Flask) -> None:
    """One scheduler tick: queue what is owed and send the outbox (reminders and notices)."""
    with app.app_context():
        try:
            report = run()
            if report.queued or report.sent or report.failed:
                log.info("reminders: %d queued, %d sent, %d failed", len(report.queued),
                         len(report.sent), len(report.failed))
        except Exception:
            log.exception("the reminder job failed; the next run catches up")
            db.session.rollback()
        finally:
            db.session.remove()


def make_scheduler(app: Flask, *, blocking: bool) -> BaseScheduler:
    """A scheduler that runs ``job`` now and every ``REMINDER_INTERVAL_MINUTES``. Missed runs
    are not replayed one by one (coalesce): every run computes from the database what is owed."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone=cal.OSLO, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    scheduler.add_job(job, "interval", args=[app], id="reminders",
                      minutes=int(app.config["REMINDER_INTERVAL_MINUTES"]),
                      next_run_time=clock.now())
    scheduler.add_job(pdfs.job, "interval", args=[app], id="pdf",
                      seconds=int(app.config["PDF_INTERVAL_SECONDS"]),
                      next_run_time=clock.now())
    return scheduler


_in_process: list[BaseScheduler] = []


def start_in_process(app: Flask) -> BaseScheduler | None:
    """For ``make run``: a background scheduler inside the web process, when ``SCHEDULER`` is
    "inprocess". Never in tests, never in the reloader's watcher process (only in the child that
    serves), and once per process. Production runs ``soknad scheduler`` instead; were two to run
    anyway, the database still lets each reminder out once."""
    if app.config.get("TESTING") or app.config.get("SCHEDULER") != "inprocess":
        return None
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None
    if _in_process:
        return None
    scheduler = make_scheduler(app, blocking=False)
    scheduler.start()
    _in_process.append(scheduler)
    atexit.register(scheduler.shutdown, wait=False)
    log.info("in-process reminder scheduler started")
    return scheduler


def recorded(user: User, limit: int = 20) -> Sequence[Reminder]:
    """The reminders recorded for ``user``, newest first (shown on ``/kalender``)."""
    return list(db.session.scalars(select(Reminder).where(Reminder.user_id == user.id)
                                   .order_by(Reminder.created_at.desc(), Reminder.id.desc())
                                   .limit(limit)))
