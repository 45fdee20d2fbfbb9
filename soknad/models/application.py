from __future__ import annotations

import json
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

from soknad.domain.permissions import ApplicationFacts
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models.organisation import Organisation
from soknad.models.round import Round
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User

_STATES = ", ".join(f"'{state.value}'" for state in State)


class Application(db.Model):
    """One application from a health trust. Its draft lives in ``ApplicationSection`` rows (one
    per point, each with its own version); what it has submitted lives in ``Submission``."""

    __tablename__ = "application"
    __table_args__ = (CheckConstraint(f"state IN ({_STATES})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    form_id: Mapped[str] = mapped_column(String(80))
    form_version: Mapped[int] = mapped_column(Integer)
    service_type: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(30), default=State.DRAFT.value, index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: Counts every change of the answers or the attachments: the draft's content as a whole
    #: is known by (id, created_at, revision).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The place among the region's accepted applications (1 is first); None when not ranked.
    regional_rank: Mapped[int | None] = mapped_column(Integer)
    #: Granted by the coordinator: the health trust may submit until the end of this day even
    #: though the region's internal deadline has passed.
    submit_extended_to: Mapped[date | None] = mapped_column(Date)
    #: Helsedirektoratet's case handler for the application (``services.casework``).
    case_handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    round: Mapped[Round] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    case_handler: Mapped[User | None] = relationship(foreign_keys=[case_handler_id])
    sections: Mapped[list[ApplicationSection]] = relationship(
        back_populates="application", order_by="ApplicationSection.id"
    )
    submissions: Mapped[list[Submission]] = relationship(
        back_populates="application", order_by="Submission.number"
    )

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def kind_enum(self) -> ApplicationKind:
        return ApplicationKind(self.kind)

    @property
    def service_type_enum(self) -> ServiceType:
        return ServiceType(self.service_type)

    @property
    def display_title(self) -> str:
        return self.title or f"{self.service_type_enum.label} (uten navn ennå)"

    @property
    def latest_submission(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    def facts(self) -> ApplicationFacts:
        region = self.organisation.region_enum
        assert region is not None
        return ApplicationFacts(self.organisation_id, region, self.state_enum)

    def answers(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for section in self.sections:
            merged.update(section.data)
        return merged


class ApplicationSection(db.Model):
    """The draft answers of one point. ``version`` grows with every save, so two people editing
    the same point never overwrite each other unknowingly (see services.applications)."""

    __tablename__ = "application_section"
    __table_args__ = (UniqueConstraint("application_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    section_id: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship(back_populates="sections")
    updated_by: Mapped[User | None] = relationship()


class Submission(db.Model):
    """A submitted, frozen version: the exchange document as canonical JSON, and its SHA-256."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship(back_populates="submissions")
    submitted_by: Mapped[User] = relationship(lazy="joined")

    def data(self) -> dict[str, Any]:
        return json.loads(self.document)
