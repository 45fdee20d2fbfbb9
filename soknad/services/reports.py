"""The annual reports: who owes one, and loading and starting them. The steps of each role live
beside this module (the health trust's writing and sending, the RHF's inbox, Helsedirektoratet's
assessment); they all read who must report from ``owed``."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from soknad.domain import reports as rules
from soknad.domain.formspec import FieldKind, FormPurpose, FormSpec
from soknad.domain.organisations import OrgKind, Region
from soknad.extensions import db
from soknad.models import AnnualReport, Application, NationalService, Organisation, User
from soknad.services import forms
from soknad.services import registry as registry_service


@dataclass(frozen=True)
class Owed:
    """A service that owes a report on the year, the health trust that writes it, and the
    report once it is started."""

    service: NationalService
    host: Organisation | None  # None: no health trust matches the registry's place
    report: AnnualReport | None

    @property
    def region(self) -> Region | None:
        return self.host.region_enum if self.host else None

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.state in rules.REPORTED


def _trusts() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(
        Organisation.kind == OrgKind.HF.value, Organisation.active.is_(True))))


def host_of(service: NationalService, trusts: Sequence[Organisation] | None = None,
            applicants: Mapping[int, int] | None = None) -> Organisation | None:
    """The health trust that hosts the service: the one that applied for it, else the one its
    registry place names (``domain.reports.host_trust``). ``trusts`` and ``applicants``
    (application id → organisation id) are what ``owed`` reads once for every service."""
    if service.application_id is not None:
        if applicants is None:
            applicants = _applicants([service.application_id])
        return db.session.get(Organisation, applicants[service.application_id])
    by_name = {trust.name: trust for trust in (trusts if trusts is not None else _trusts())}
    name = rules.host_trust(service.location, by_name)
    return by_name[name] if name else None


def _applicants(application_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(select(Application.id, Application.organisation_id).where(
        Application.id.in_(application_ids)))
    return {row.id: row.organisation_id for row in rows}


def owed(year: int, *, organisation_id: int | None = None,
         region: Region | None = None) -> list[Owed]:
    """Every service that owes a report on ``year`` (``domain.reports.must_report``), in name
    order, narrowed to one health trust or one region."""
    trusts = _trusts()
    started = {row.service_id: row for row in db.session.scalars(
        select(AnnualReport).where(AnnualReport.year == year))}
    services = db.session.scalars(select(NationalService).order_by(NationalService.name_nb)).all()
    applicants = _applicants([row.application_id for row in services if row.application_id])
    found = []
    for service in services:
        established = rules.established_year(service.established_on, service.effective_from,
                                             service.approved_from)
        if not rules.must_report(service.status, service.terminated_from, established, year):
            continue
        host = host_of(service, trusts, applicants)
        item = Owed(service, host, started.get(service.id))
        if organisation_id is not None and (host is None or host.id != organisation_id):
            continue
        if region is not None and item.region is not region:
            continue
        found.append(item)
    return found


def revision(report: AnnualReport) -> tuple[Hashable, ...]:
    """What the report's answers are known by in a cache key (``memo``): every save counts up
    its version, and the form it is written on is part of it; the database and the creation
    time tell apart reports with the same id (a test database emptied between tests)."""
    return (str(db.engine.url), report.id, report.created_at, report.version, report.form_id,
            report.form_version)


def get(report_id: int, *, answers: bool = True) -> AnnualReport | None:
    """The report; ``answers=False`` leaves its answers unread until they are asked for (a
    page that shows them from a kept rendering does not parse the JSON)."""
    if answers:
        return db.session.get(AnnualReport, report_id)
    return db.session.get(AnnualReport, report_id, options=[defer(AnnualReport.answers)])


def spec_of(report: AnnualReport) -> FormSpec:
    return forms.get(report.form_id, report.form_version)


def spec_for(service: NationalService) -> FormSpec:
    """The report form a new report on the service is written on: the newest of its type."""
    return forms.library().latest(service.service_type_enum, FormPurpose.ANNUAL_REPORT)


def _approved_answers(service: NationalService) -> Mapping[str, Any]:
    application = registry_service.approved_application(service)
    submission = application.latest_submission if application else None
    return submission.data().get("answers", {}) if submission else {}


def prefilled(spec: FormSpec, approved: Mapping[str, Any]) -> dict[str, Any]:
    """A new report's answers: the tables marked ``prefill_from`` start with the approved
    application's rows (its result goals, its plan for spreading competence)."""
    answers: dict[str, Any] = {}
    for _, field in spec.fields():
        if field.kind is FieldKind.TABLE and field.prefill_from:
            rows = rules.prefill_rows([column.id for column in field.columns],
                                      approved.get(field.prefill_from) or ())
            if rows:
                answers[field.id] = rows
    return answers


def start(service: NationalService, year: int, host: Organisation, user: User
          ) -> AnnualReport:
    """The service's report on ``year``, started now if it was not (two people starting it at
    once get the same report)."""
    existing = db.session.scalar(select(AnnualReport).where(
        AnnualReport.service_id == service.id, AnnualReport.year == year))
    if existing is not None:
        return existing
    spec = spec_for(service)
    report = AnnualReport(service_id=service.id, year=year, organisation_id=host.id,
                          form_id=spec.id, form_version=spec.version,
                          answers=prefilled(spec, _approved_answers(service)),
                          updated_by_id=user.id)
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = db.session.scalar(select(AnnualReport).where(
            AnnualReport.service_id == service.id, AnnualReport.year == year))
        assert found is not None
        return found
    return report
