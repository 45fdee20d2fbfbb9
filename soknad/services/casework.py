"""Helsedirektoratet's case work on an application or a joint submission: who handles it
(audited) and the internal notes (append-only). Only its own users may do either
(``domain.permissions.can_do_casework``); the health trusts and RHFs never see them."""

from __future__ import annotations

from sqlalchemy import select

from soknad.domain import permissions
from soknad.domain.casework import check_note
from soknad.domain.errors import DomainError
from soknad.extensions import db
from soknad.models import Application, CaseNote, User
from soknad.models.directorate import JointSubmission
from soknad.services import audit, users

Subject = Application | JointSubmission


def _refuse_unless_allowed(user: User) -> None:
    if not permissions.can_do_casework(user.actor()):
        raise PermissionError("only Helsedirektoratet does its case work")


def _object(subject: Subject) -> tuple[str, dict[str, int]]:
    if isinstance(subject, Application):
        return "application", {"application_id": subject.id}
    return "joint_submission", {"joint_submission_id": subject.id}


def handlers() -> list[User]:
    """Who can be a case handler: Helsedirektoratet's active users, by name."""
    return [person for person in users.directorate_users()
            if permissions.can_be_case_handler(person.actor(), active=person.active)]


def notes(subject: Subject, user: User) -> list[CaseNote]:
    """The subject's internal notes, oldest first, for a user who may read them."""
    _refuse_unless_allowed(user)
    _, where = _object(subject)
    column = next(iter(where))
    return list(db.session.scalars(select(CaseNote).where(
        getattr(CaseNote, column) == subject.id).order_by(CaseNote.created_at, CaseNote.id)))


def add_note(subject: Subject, text: str, user: User) -> CaseNote:
    """Append a note (``domain.casework.check_note``) and commit; the audit log says a note
    was written, never what it says."""
    _refuse_unless_allowed(user)
    object_type, where = _object(subject)
    note = CaseNote(text=check_note(text), author_id=user.id, **where)
    db.session.add(note)
    db.session.flush()
    audit.record(user.id, "internal_note", object_type, subject.id, note=note.id)
    db.session.commit()
    return note


def assign(subject: Subject, handler_id: int | None, user: User) -> User | None:
    """Make ``handler_id`` (a user of Helsedirektoratet, or None: nobody) the case handler,
    audited with who was handler before; commit."""
    _refuse_unless_allowed(user)
    handler = db.session.get(User, handler_id) if handler_id is not None else None
    if handler_id is not None and (handler is None or not permissions.can_be_case_handler(
            handler.actor(), active=handler.active)):
        raise DomainError("Velg en saksbehandler i Helsedirektoratet fra listen.")
    before = subject.case_handler_id
    if before == handler_id:
        return handler
    object_type, _ = _object(subject)
    subject.case_handler_id = handler_id
    audit.record(user.id, "case_handler", object_type, subject.id, before=before,
                 after=handler_id, name=handler.name if handler else "")
    db.session.commit()
    return handler
