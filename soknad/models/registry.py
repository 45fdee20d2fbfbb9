from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from soknad.domain import lifecycle
from soknad.domain.lifecycle import EventKind, ServiceState, ServiceStatus
from soknad.domain.organisations import Region
from soknad.domain.registry import RegistryService
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow


def _values(enum: type[ServiceStatus] | type[EventKind]) -> list[str]:
    return [item.value for item in enum]


class NationalService(db.Model):
    """An approved national service: imported from the published list, or entered when
    Helsedirektoratet approves an application. ``icd10_text`` keeps the published text; the
    codes it could be read as are in ``icd10_codes``, the rest in ``icd10_unparsed``."""

    __tablename__ = "national_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    service_type: Mapped[str] = mapped_column(String(60), index=True)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    name_nb: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    icd10_text: Mapped[str] = mapped_column(Text, default="")
    icd10_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    icd10_unparsed: Mapped[list[str]] = mapped_column(JSON, default=list)
    icd10_notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    approved_from: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    establish_by: Mapped[date | None] = mapped_column(Date)
    term_ends: Mapped[date | None] = mapped_column(Date)
    established_on: Mapped[date | None] = mapped_column(Date)  # recorded by the region's RHF
    function: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20), default="vedlegg")
    source_line: Mapped[int | None] = mapped_column(Integer)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    #: The service's life (``domain.lifecycle``): active, or terminated from ``terminated_from``
    #: (f.o.m.); the names it had before a change of name, oldest first.
    status: Mapped[ServiceStatus] = mapped_column(
        Enum(ServiceStatus, native_enum=False, create_constraint=True, length=20,
             name="national_service_status", values_callable=_values),
        default=ServiceStatus.ACTIVE, server_default=ServiceStatus.ACTIVE.value)
    terminated_from: Mapped[date | None] = mapped_column(Date)
    former_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def service_type_enum(self) -> ServiceType:
        return ServiceType(self.service_type)

    @property
    def region_labels(self) -> list[str]:
        return [Region(value).label for value in self.regions]

    @property
    def term_end(self) -> date | None:
        """The last day of the term (recorded, or counted from the approval date)."""
        return lifecycle.term_end(self.service_type_enum, self.approved_from, self.function,
                                  self.term_ends)

    def state_on(self, today: date) -> ServiceState:
        return lifecycle.state_on(self.status, self.terminated_from, self.term_end, today)

    def entry(self) -> RegistryService:
        return RegistryService(
            key=self.key, service_type=self.service_type_enum,
            regions=tuple(Region(value) for value in self.regions), name_nb=self.name_nb,
            name_en=self.name_en, location=self.location, description=self.description,
            icd10_text=self.icd10_text, codes=tuple(self.icd10_codes),
            unparsed=tuple(self.icd10_unparsed), notes=tuple(self.icd10_notes),
            approved_from=self.approved_from, source_line=self.source_line,
            status=self.status, terminated_from=self.terminated_from,
        )

    def values(self) -> dict[str, Any]:
        """The columns an import compares, to tell an update from no change."""
        return {name: getattr(self, name) for name in IMPORTED_COLUMNS}


IMPORTED_COLUMNS = (
    "service_type", "regions", "name_nb", "name_en", "location", "description", "icd10_text",
    "icd10_codes", "icd10_unparsed", "icd10_notes", "approved_from", "source_line",
)


class NationalServiceEvent(db.Model):
    """One line in a service's history: a decision that changed it (or, for an imported
    service, what the published list says), with the application it was decided on."""

    __tablename__ = "national_service_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("national_service.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[EventKind] = mapped_column(
        Enum(EventKind, native_enum=False, create_constraint=True, length=20,
             name="national_service_event_kind", values_callable=_values))
    summary: Mapped[str] = mapped_column(Text, default="")
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
