"""The RHFs' side of a round: each region's settings, reviewers' comments, and the national
priority list the four RHFs agree on. The rules (merge, consent, ranking) are in
``soknad.domain.coordination``; these tables only hold what was decided, by whom and when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class RegionRound(db.Model):
    """One region in one round: its internal deadline for the health trusts, and the version
    of its ranking (grows with every move, so two coordinators never overwrite each other)."""

    __tablename__ = "region_round"
    __table_args__ = (UniqueConstraint("round_id", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    region: Mapped[str] = mapped_column(String(40))
    internal_deadline: Mapped[date | None] = mapped_column(Date)
    ranking_version: Mapped[int] = mapped_column(Integer, default=0)
    #: The region's reason for the order of its ranking, quoted in the joint cover letter.
    ranking_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def region_enum(self) -> Region:
        return Region(self.region)


class ReviewComment(db.Model):
    """A coordinator's comment on one point (``section_id``) of a submitted version, or on the
    application as a whole (``section_id`` empty). The health trust sees them when returned."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    submission_number: Mapped[int] = mapped_column(Integer)
    section_id: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class NationalList(db.Model):
    """The joint, prioritised list of one round. ``entries`` is the ordered list of application
    ids; ``version`` grows with every change, and a consent counts only for the version it was
    given to. ``locked_at`` is set when all four regions have consented to the same version."""

    __tablename__ = "national_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), unique=True)
    entries: Mapped[list[int]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The joint submission's contact person, named in the cover letter.
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")

    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id], lazy="joined")
    consents: Mapped[list[Consent]] = relationship(back_populates="national_list",
                                                   order_by="Consent.id")
    events: Mapped[list[NationalListEvent]] = relationship(
        back_populates="national_list", order_by="NationalListEvent.id")


class Consent(db.Model):
    """One region's answer to one version of the national list: consent, or dissent with a
    comment. Only the answers to the current version count."""

    __tablename__ = "consent"
    __table_args__ = (
        UniqueConstraint("national_list_id", "region", "list_version"),
        CheckConstraint("decision IN ('consent', 'dissent')", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    national_list_id: Mapped[int] = mapped_column(ForeignKey("national_list.id"), index=True)
    region: Mapped[str] = mapped_column(String(40))
    list_version: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    national_list: Mapped[NationalList] = relationship(back_populates="consents")
    user: Mapped[User] = relationship(lazy="joined")


class NationalListEvent(db.Model):
    """The list's history as people see it: proposed, moved, consented, dissented, locked."""

    __tablename__ = "national_list_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_list_id: Mapped[int] = mapped_column(ForeignKey("national_list.id"), index=True)
    list_version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    national_list: Mapped[NationalList] = relationship(back_populates="events")
    user: Mapped[User] = relationship(lazy="joined")
