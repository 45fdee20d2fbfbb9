"""The calendar's own tables: an administrator's dates for a round, each user's private
calendar feed, and the record of every reminder. The dates themselves are computed by
``soknad.domain.calendar``; the RHFs' internal deadlines live in ``RegionRound``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models.round import Round
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class RoundDate(db.Model):
    """A date an administrator added beside the fixed ones (e.g. an extra meeting). ``roles``
    lists the role values it concerns; ``region`` narrows it to one health region's applicants
    and coordinators."""

    __tablename__ = "round_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str | None] = mapped_column(String(40))
    remind: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    round: Mapped[Round] = relationship(lazy="joined")

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(value) for value in self.roles)

    @property
    def region_enum(self) -> Region | None:
        return Region(self.region) if self.region else None


class CalendarFeed(db.Model):
    """A user's private iCal address. The address carries a random token; only its SHA-256 is
    stored, so the address is shown once. Revoking sets ``revoked_at``; a user has at most one
    live feed (making a new one revokes the old)."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class Reminder(db.Model):
    """The record of one reminder: to whom, for which deadline (``deadline_key`` includes the
    date, so a moved deadline gets its own reminders) and which offset. The unique constraint
    makes a second scheduler's insert fail, so a reminder exists once; the e-mail itself is the
    outbox message whose ``dedupe_key`` equals ``outbox_key`` (sent, retried, sent once).

    ``status`` is ``queued`` (an e-mail was queued) or ``superseded`` (the moment passed while
    no scheduler ran, and a nearer reminder went instead: recorded, not sent)."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("round_id", "deadline_key", "offset_days", "user_id"),
        CheckConstraint("status IN ('queued', 'superseded')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(120))
    deadline_day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    offset_days: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    outbox_key: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
