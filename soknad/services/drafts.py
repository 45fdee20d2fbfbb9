"""Deleting a draft that was never sent, for an administrator; the audit trail stays.

Only a draft that has never been submitted can go: once a version is sent, the RHF has it and
it is part of the record. The draft's points, attachments and any comments go with it; the
audit log keeps every entry about it (``models.audit`` refuses deletes, and ``audit_entry``
has no foreign key to ``application``: its ``object_id`` is a plain number), and one more entry
says what was deleted: the title, the organisation and the id.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select

from soknad.domain.errors import DomainError
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, ApplicationSection, Attachment, Submission, User
from soknad.models.coordination import ReviewComment
from soknad.services import attachments, audit

NEVER_SENT = (Application.state == State.DRAFT.value) & ~exists().where(
    Submission.application_id == Application.id)


class NotDeletableError(DomainError):
    """The application has been sent, or is gone."""


@dataclass(frozen=True)
class DraftRow:
    application: Application
    attachments: int


def never_sent(application_id: int | None = None) -> list[DraftRow]:
    """Every draft never submitted (or just that one), the most recently changed first."""
    count = (select(func.count(Attachment.id))
             .where(Attachment.application_id == Application.id,
                    Attachment.removed_at.is_(None))
             .scalar_subquery())
    statement = select(Application, count).where(NEVER_SENT).order_by(
        Application.updated_at.desc(), Application.id.desc())
    if application_id is not None:
        statement = statement.where(Application.id == application_id)
    return [DraftRow(application, files)
            for application, files in db.session.execute(statement).all()]


def deletable(application_id: int) -> Application | None:
    """The draft, if it exists and was never sent."""
    return db.session.scalar(select(Application).where(Application.id == application_id,
                                                        NEVER_SENT))


def delete_draft(application_id: int, actor: User) -> str:
    """Delete the draft with everything that is only its own; its title as it was.
    ``NotDeletableError`` when it has been submitted (also by someone a moment ago) or is gone."""
    application = deletable(application_id)
    if application is None:
        raise NotDeletableError("Søknaden kan ikke slettes: den er sendt inn eller finnes ikke "
                                "lenger. Bare utkast som aldri er sendt, kan slettes.")
    title, organisation = application.display_title, application.organisation.name
    hashes = set(db.session.scalars(select(Attachment.sha256).where(
        Attachment.application_id == application.id)))
    for model in (ApplicationSection, Attachment, ReviewComment):
        db.session.execute(delete(model).where(model.application_id == application.id))  # type: ignore[attr-defined]
    # Conditional: a submission that came in meanwhile stops the delete.
    gone = db.session.execute(delete(Application).where(
        Application.id == application.id, NEVER_SENT).execution_options(
        synchronize_session=False))
    if gone.rowcount != 1:
        db.session.rollback()
        raise NotDeletableError("Søknaden ble sendt inn akkurat nå og kan ikke slettes.")
    audit.record(actor.id, "draft_deleted", "application", application_id, title=title,
                 organisation=organisation, organisation_id=application.organisation_id,
                 attachments=len(hashes))
    db.session.commit()
    _remove_unused_files(hashes)
    return title


def _remove_unused_files(hashes: set[str]) -> None:
    """The stored bytes no other attachment uses (a file is stored once per SHA-256)."""
    still_used = set(db.session.scalars(select(Attachment.sha256).where(
        Attachment.sha256.in_(hashes)))) if hashes else set()
    for sha256 in hashes - still_used:
        with contextlib.suppress(OSError, ValueError):
            attachments.storage_path(sha256).unlink()
