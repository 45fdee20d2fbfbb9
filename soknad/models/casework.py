"""Helsedirektoratet's own case work: internal notes on an application or a joint submission.
Never shown to a health trust or an RHF (``domain.permissions.can_do_casework``). Notes are
only ever added: no code path edits or deletes one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class CaseNote(db.Model):
    """One internal note, on exactly one application or one joint submission."""

    __tablename__ = "case_note"
    __table_args__ = (
        CheckConstraint("(application_id IS NULL) <> (joint_submission_id IS NULL)",
                        name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    joint_submission_id: Mapped[int | None] = mapped_column(ForeignKey("joint_submission.id"),
                                                            index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
