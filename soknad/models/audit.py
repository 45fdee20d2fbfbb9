from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column

from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """Append-only record of who did what, when, from where, and with what outcome: logins,
    state changes, reads across organisations, downloads, exports, admin changes.

    The actor's organisation and role are kept as they were at the time (a user may later move
    or change role); the name and e-mail are read through ``actor_id``."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                              index=True)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), default="success",
                                         server_default="success")
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppendOnlyError(RuntimeError):
    """An audit entry was about to be changed or deleted through the ORM."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper: Mapper[Any], connection: Any, target: AuditEntry) -> None:
    raise AppendOnlyError(f"audit entry {target.id} cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """Also ``session.execute(update(AuditEntry)…)`` and ``delete(AuditEntry)``. (The tests'
    Core ``table.delete()`` between tests does not pass through the ORM and still works.)"""
    if (state.is_update or state.is_delete) and any(
            mapper.class_ is AuditEntry for mapper in state.all_mappers):
        raise AppendOnlyError("audit entries cannot be changed or deleted")
