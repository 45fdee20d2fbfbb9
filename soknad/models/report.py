"""A national service's annual report (``soknad.domain.reports``) and Helsedirektoratet's
assessment of it. One report per service and year; its answers are one JSON document checked
against the report form (``forms/arsrapport_*.toml``), changed under a version number (a
compare-and-swap, as the application's points are)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.organisations import Region
from soknad.domain.reports import (
    AssessmentOutcome,
    ReferenceGroupApproval,
    ReportFacts,
    ReportState,
)
from soknad.extensions import db
from soknad.models.organisation import Organisation
from soknad.models.registry import NationalService
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


def _values(enum: type[ReportState] | type[AssessmentOutcome]) -> list[str]:
    return [item.value for item in enum]


class AnnualReport(db.Model):
    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("service_id", "year", name="one_report_per_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("national_service.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the year the report covers
    #: The hosting health trust, which writes the report.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(80))
    form_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[ReportState] = mapped_column(
        Enum(ReportState, native_enum=False, create_constraint=True, length=30,
             name="annual_report_state", values_callable=_values),
        default=ReportState.DRAFT, server_default=ReportState.DRAFT.value, index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Counts every save: a save names the version it was based on (compare-and-swap).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The reference group's approval (004 kap. 4.4), required before sending.
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: First reached the RHF (on time or not: ``domain.reports.on_time``), latest sending.
    first_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the RHF returned it, or what Helsedirektoratet asks to be supplemented.
    return_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    supplement_request: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    service: Mapped[NationalService] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship()

    @property
    def region(self) -> Region:
        region = self.organisation.region_enum
        assert region is not None, "a health trust belongs to a region"
        return region

    def facts(self) -> ReportFacts:
        return ReportFacts(self.organisation_id, self.region, self.state)

    @property
    def approval(self) -> ReferenceGroupApproval | None:
        if self.approved_on is None:
            return None
        return ReferenceGroupApproval(self.approved_on, self.approved_by)


class ReportAssessment(db.Model):
    """Helsedirektoratet's assessment of one report: the latest row counts (a corrected
    assessment is a new row, the old ones are the history)."""

    __tablename__ = "report_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_report.id"), index=True)
    outcome: Mapped[AssessmentOutcome] = mapped_column(
        Enum(AssessmentOutcome, native_enum=False, create_constraint=True, length=30,
             name="report_assessment_outcome", values_callable=_values))
    #: What to follow up, change, or why to terminate (required for those outcomes).
    points: Mapped[str] = mapped_column(Text, default="", server_default="")
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[AnnualReport] = relationship(lazy="joined")
    assessed_by: Mapped[User] = relationship(lazy="joined")
