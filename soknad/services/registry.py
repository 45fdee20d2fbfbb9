"""The registry of national services: import, search, and the entries the rules check against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select

from soknad import clock
from soknad.domain import dates, decisions, icd10, lifecycle, permissions
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import EventKind, ServiceState, ServiceStatus
from soknad.domain.organisations import Region
from soknad.domain.registry import RegistryService, coverage, read_registry
from soknad.domain.search import ListQuery
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, NationalService, NationalServiceEvent, User
from soknad.models.registry import IMPORTED_COLUMNS
from soknad.models.types import utcnow
from soknad.services import applications, audit, catalogue
from soknad.services.listing import Page, page_of, sort_key, words_match


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unparsed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    notes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


def _columns(entry: RegistryService) -> dict[str, object]:
    return {
        "service_type": entry.service_type.value,
        "regions": [region.value for region in entry.regions],
        "name_nb": entry.name_nb, "name_en": entry.name_en, "location": entry.location,
        "description": entry.description, "icd10_text": entry.icd10_text,
        "icd10_codes": list(entry.codes), "icd10_unparsed": list(entry.unparsed),
        "icd10_notes": list(entry.notes), "approved_from": entry.approved_from,
        "source_line": entry.source_line,
    }


def import_file(path: Path, actor_id: int | None = None) -> ImportReport:
    """Create or update the services in the CSV; the same file again changes nothing."""
    report = ImportReport()
    existing = {row.key: row for row in db.session.scalars(select(NationalService))}
    for entry in read_registry(path):
        values = _columns(entry)
        row = existing.get(entry.key)
        if row is None:
            row = NationalService(key=entry.key, source="vedlegg", **values)
            db.session.add(row)
            _mark_published_termination(row)
            report.created += 1
        elif row.values() != values:
            for name in IMPORTED_COLUMNS:
                setattr(row, name, values[name])
            row.updated_at = utcnow()
            _mark_published_termination(row)
            report.updated += 1
        else:
            report.unchanged += 1
        if entry.unparsed:
            report.unparsed.append((entry.name_nb, entry.unparsed))
        if entry.notes:
            report.notes.append((entry.name_nb, entry.notes))
    if report.created or report.updated:
        audit.record(actor_id, "registry_import", "registry", None, file=path.name,
                     created=report.created, updated=report.updated)
    db.session.commit()
    return report


def _mark_published_termination(row: NationalService) -> None:
    """«Tjenesten er avviklet f.o.m. …» in the published description: the service is
    terminated from that day (the same rule as migration e4c2a9f1b7d3)."""
    day = lifecycle.published_termination(row.description or "")
    if day is None or row.status is ServiceStatus.TERMINATED:
        return
    row.status, row.terminated_from = ServiceStatus.TERMINATED, day
    db.session.flush()
    db.session.add(NationalServiceEvent(
        service_id=row.id, day=day, kind=EventKind.TERMINATED,
        summary="Avviklet ifølge den publiserte oversikten over nasjonale tjenester."))


def entries() -> tuple[RegistryService, ...]:
    """Every service, as the overlap rule sees them (kept per process: see ``catalogue``)."""
    return catalogue.current().registry


def active_entries(today: date | None = None) -> tuple[RegistryService, ...]:
    """The services that still count as national services on ``today`` (default: today): a
    terminated service does not, from the day its termination takes effect. The overlap check
    compares an application with these."""
    day = today or clock.today()
    return tuple(entry for entry in entries() if entry.active_on(day))


REGISTRY_SORT_KEYS = ("navn", "type", "godkjent", "virketid")


def registry_filters() -> dict[str, set[str]]:
    return {"type": {item.value for item in ServiceType},
            "region": {item.value for item in Region},
            "status": {item.value for item in ServiceState}}


def _in_state(state: ServiceState, today: date) -> list[int]:
    """The ids of the services in ``state`` on ``today``: a state depends on the day and on
    terms counted from approval dates, and the registry is small (about a hundred rows)."""
    return [row.id for row in db.session.scalars(select(NationalService))
            if row.state_on(today) is state]


def search(query: ListQuery, *, icd10_text: str = "", year: int | None = None,
           per_page: int | None = None) -> Page[NationalService]:
    """One page of the services matching every criterion, filtered and sorted in SQL: the
    words (in the names, the description or the place), the type, the region, the year of
    approval and ``icd10_text``, a code ("C40"), a range ("Q20-Q28") or a chapter ("II"): a
    service matches when one of its codes overlaps it."""
    statement = select(NationalService).where(*words_match(query.text, [
        NationalService.name_nb, NationalService.name_en, NationalService.description,
        NationalService.location]))
    if query.get("type"):
        statement = statement.where(NationalService.service_type == query.get("type"))
    if query.get("region"):
        # The regions are a JSON list of fixed slugs: the quoted slug is in its text.
        statement = statement.where(cast(NationalService.regions, String).like(
            f'%"{query.get("region")}"%'))
    if query.get("status"):
        statement = statement.where(NationalService.id.in_(
            _in_state(ServiceState(query.get("status")), clock.today())))
    if year is not None:
        statement = statement.where(NationalService.approved_from.between(
            date(year, 1, 1), date(year, 12, 31)))
    wanted = _wanted_coverage(icd10_text)
    if wanted is not None:
        statement = statement.where(NationalService.id.in_(_overlapping(wanted)))
    sorts: dict[str, ColumnElement[Any]] = {
        "navn": sort_key(NationalService.name_nb), "type": NationalService.service_type,
        "godkjent": NationalService.approved_from, "virketid": NationalService.term_ends}
    key = sorts[query.sort] if query.sort in sorts else sorts["navn"]
    statement = statement.order_by(key.is_(None), key.desc() if query.descending else key.asc(),
                                   sort_key(NationalService.name_nb), NationalService.id)
    total = db.session.scalar(select(func.count(NationalService.id))) or 0
    return page_of(statement, query.page, of=total, per_page=per_page)


def _overlapping(wanted: tuple[int, int]) -> list[int]:
    """The ids of the services with a code that overlaps ``wanted``: ICD-10 ranges do not fit
    a portable SQL comparison, and the registry is small (about a hundred rows)."""
    rows = db.session.execute(select(NationalService.id, NationalService.icd10_codes))
    return [service_id for service_id, codes in rows
            if any(_meets(coverage(code), wanted) for code in codes or [])]


def _wanted_coverage(text: str) -> tuple[int, int] | None:
    code = icd10.read_query(text)
    return coverage(code) if code else None


def _meets(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def terms_ending(within_days: int, today: date) -> Sequence[NationalService]:
    """Active competence services whose term ends within ``within_days`` (18 months: «minst
    18 måneder», Kriterier for etablering, endring og avvikling). The term is the one a
    decision recorded, else counted from the registry's approval date (``lifecycle.term_end``),
    so imported services are listed too; a terminated service is not."""
    rows = db.session.scalars(select(NationalService).where(
        NationalService.service_type == ServiceType.NATIONAL_COMPETENCE.value,
        NationalService.status == ServiceStatus.ACTIVE))
    found = [(row.term_end, row) for row in rows]
    return [row for end, row in sorted(found, key=lambda item: (item[0] or date.max,
                                                                 item[1].name_nb))
            if end is not None and 0 <= (end - today).days <= within_days]


# --------------------------------------------------------------------------- establishment


def approved_application(row: NationalService) -> Application | None:
    """The application the service was approved from (None for an imported service)."""
    return db.session.get(Application, row.application_id) if row.application_id else None


def may_record_establishment(row: NationalService, user: User) -> bool:
    application = approved_application(row)
    return application is not None and permissions.can_record_establishment(
        user.actor(), application.facts())


def check_establishment(row: NationalService, day: date | None) -> date:
    """The establishment date as typed, checked (``domain.decisions.check_established_on``)."""
    approved = row.approved_from or row.effective_from
    assert approved is not None
    return decisions.check_established_on(day, approved, clock.today())


def record_establishment(row: NationalService, day: date | None, user: User) -> None:
    """The region's RHF records that the approved service was established on ``day``: the
    application becomes «Etablert», the registry keeps the date, the audit log both. It
    cannot be undone."""
    application = approved_application(row)
    if application is None or not permissions.can_record_establishment(
            user.actor(), application.facts()):
        raise DomainError("Du kan ikke registrere at denne tjenesten er etablert.")
    established = check_establishment(row, day)
    applications.change_state(application, Action.ESTABLISH, user,
                              f"Etablert {dates.long_date(established)}")
    row.established_on = established
    row.updated_at = utcnow()
    audit.record(user.id, "service_established", "national_service", row.id,
                 application_id=application.id, established_on=established.isoformat())
    db.session.commit()
