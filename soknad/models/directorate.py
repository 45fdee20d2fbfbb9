"""Helsedirektoratet's side of a round: questions to the RHFs and the decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.decisions import FUNCTION_NAMES, DecisionKind
from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class InformationRequest(db.Model):
    """Helsedirektoratet asks the RHF for more information on one application, with a due
    date; the RHF or the health trust answers in the app."""

    __tablename__ = "information_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id], lazy="joined")
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id],
                                                    lazy="joined")


_KINDS = ", ".join(f"'{kind.value}'" for kind in DecisionKind)


class Decision(db.Model):
    """One decision by Helsedirektoratet on one application, with the dates that follow
    (``soknad.domain.decisions``). A postponed application gets a second, final decision."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint(f"kind IN ({_KINDS})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text, default="")
    function: Mapped[str | None] = mapped_column(String(40))
    after_postponement: Mapped[bool] = mapped_column(Boolean, default=False)
    effective_from: Mapped[date | None] = mapped_column(Date)
    establish_by: Mapped[date | None] = mapped_column(Date)
    term_years: Mapped[int | None] = mapped_column(Integer)
    term_ends: Mapped[date | None] = mapped_column(Date)
    final_decision_by: Mapped[date | None] = mapped_column(Date)
    #: An approved termination: the service is terminated from this day (``domain.lifecycle``).
    terminated_from: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The letter's contact person and signatory, as typed with the decision (LetterPeople).
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="", server_default="")

    decided_by: Mapped[User] = relationship(lazy="joined")

    @property
    def kind_enum(self) -> DecisionKind:
        return DecisionKind(self.kind)

    @property
    def function_name(self) -> str:
        """«Opplæring» or «Kompetanseoppbygging» for a competence service, else empty."""
        return FUNCTION_NAMES.get(self.function or "", "")


class JointSubmission(db.Model):
    """The round's joint, prioritised application as sent to Helsedirektoratet (copy to the
    ministry): when, by whom, and the package's SHA-256 and size, so that everyone can tell
    they hold the same package. The package itself is kept under the instance folder."""

    __tablename__ = "joint_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_list_id: Mapped[int] = mapped_column(ForeignKey("national_list.id"), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    package_name: Mapped[str] = mapped_column(String(200))
    package_sha256: Mapped[str] = mapped_column(String(64))
    package_size: Mapped[int] = mapped_column(Integer)
    copy_to: Mapped[str] = mapped_column(String(300), default="")
    #: Helsedirektoratet's case handler for the joint submission (``services.casework``).
    case_handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id], lazy="joined")
    case_handler: Mapped[User | None] = relationship(foreign_keys=[case_handler_id])
