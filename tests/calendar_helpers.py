"""Test data for the calendar and reminder tests: applications in given states, internal
deadlines, users who existed long before the clock the tests travel to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from flask import Flask
from sqlalchemy import delete, select, update

from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, OutboxMessage, Round, User
from soknad.services import applications, directorate, reminders, rounds
from tests.factories import make_application, recommend, user

COORDINATOR_OF = {
    "soker.ous@demo.no": "koordinator.sorost@demo.no",
    "soker2.ous@demo.no": "koordinator.sorost@demo.no",
    "soker.bergen@demo.no": "koordinator.vest@demo.no",
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def users_exist_since(moment: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
    """The demo users were made when the test data was; the tests travel in time, so date
    their accounts back (no reminder is owed for a moment before an account existed)."""
    db.session.execute(update(User).values(created_at=moment))
    db.session.commit()


def round_2027() -> Round:
    found = db.session.scalar(select(Round).where(Round.year == 2027))
    assert found is not None
    return found


def set_internal_deadline(region: Region, day: date | None) -> None:
    """What the coordinator's page stores (owned elsewhere; the calendar only reads it)."""
    rounds.region_round(round_2027(), region).internal_deadline = day
    db.session.commit()


def draft(email: str = "soker.ous@demo.no") -> Application:
    return make_application(email)


def submitted(email: str = "soker.ous@demo.no") -> Application:
    application = make_application(email, complete=True)
    applications.submit(db.session.get(Application, application.id), user(email))
    return db.session.get(Application, application.id)


def approved(email: str = "soker.ous@demo.no", **kwargs: object) -> Application:
    """Submitted, accepted, in the joint submission, sent, approved (now: the clock's now)."""
    application = submitted(email) if not kwargs else _submitted_with(email, **kwargs)
    coordinator = user(COORDINATOR_OF[email])
    for action, actor in ((Action.ACCEPT, coordinator), (Action.INCLUDE_IN_JOINT, coordinator),
                          (Action.SEND_TO_DIRECTORATE, coordinator)):
        applications.change_state(db.session.get(Application, application.id), action, actor)
        db.session.commit()
    application = db.session.get(Application, application.id)
    function = None
    if not application.service_type_enum.is_treatment:
        function = application.answers().get("funksjon") or None
    recommend(application)
    directorate.decide(application, DecisionKind.APPROVED, "", function, user("hdir@demo.no"))
    return db.session.get(Application, application.id)


def _submitted_with(email: str, **kwargs: object) -> Application:
    application = make_application(email, complete=True, **kwargs)  # type: ignore[arg-type]
    applications.submit(db.session.get(Application, application.id), user(email))
    return db.session.get(Application, application.id)


def clear_outbox() -> None:
    """Forget the receipts and notices the set-up queued, so the tests count reminders."""
    db.session.execute(delete(OutboxMessage))
    db.session.commit()


def remind_at(moment: datetime, **kwargs: bool) -> reminders.RemindReport:
    """The scheduler's reminder run at ``moment``, in this process."""
    with time_machine.travel(moment):
        return reminders.run(**kwargs)


def remind_in(process: Flask, moment: datetime) -> reminders.RemindReport:
    """The reminder run at ``moment`` in another process (``other_process``)."""
    with process.app_context(), time_machine.travel(moment):
        try:
            return reminders.run()
        finally:
            db.session.remove()
