"""The rows behind the statistics (``soknad.domain.statistics``): a round's applications with
the day they were sent to Helsedirektoratet and the day of their final decision, the reports
owed on a year with their first sending, and one service's reports year over year. Read-only:
nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from soknad import clock
from soknad.domain import reports as report_rules
from soknad.domain import statistics as rules
from soknad.domain.decisions import DecisionKind
from soknad.domain.permissions import Actor
from soknad.domain.workflow import VISIBLE_TO_DIRECTORATE, State
from soknad.extensions import db
from soknad.models import (
    AnnualReport,
    Application,
    AuditEntry,
    Decision,
    NationalService,
    ReportAssessment,
    Round,
)
from soknad.services import joint
from soknad.services import reports as report_service

_FINAL = (DecisionKind.APPROVED.value, DecisionKind.REJECTED.value)


def rounds() -> list[Round]:
    """Every round, newest first (the page's choice of round)."""
    return list(db.session.scalars(select(Round).order_by(Round.year.desc())))


def default_round() -> Round | None:
    return Round.current() or next(iter(rounds()), None)


def _oslo_day(moment: datetime | None) -> date | None:
    return moment.astimezone(clock.OSLO).date() if moment is not None else None


def _sent_days(application_ids: Sequence[int]) -> dict[int, date]:
    """When the joint submission is not on record (an application moved on by other means),
    the first time the application was moved to «sent to Helsedirektoratet» in the audit log."""
    found: dict[int, date] = {}
    if not application_ids:
        return found
    entries = db.session.execute(
        select(AuditEntry.object_id, AuditEntry.at).where(
            AuditEntry.object_type == "application",
            AuditEntry.object_id.in_(application_ids),
            AuditEntry.to_state == State.SENT_TO_DIRECTORATE.value,
        ).order_by(AuditEntry.at))
    for application_id, at in entries:
        if application_id is not None and application_id not in found:
            day = _oslo_day(at)
            if day is not None:
                found[application_id] = day
    return found


def _final_decision_days(application_ids: Sequence[int]) -> dict[int, date]:
    found: dict[int, date] = {}
    if not application_ids:
        return found
    for application_id, decided_on in db.session.execute(
            select(Decision.application_id, Decision.decided_on).where(
                Decision.application_id.in_(application_ids), Decision.kind.in_(_FINAL))
            .order_by(Decision.id)):
        found[application_id] = decided_on  # the latest final decision counts
    return found


def application_rows(round_: Round) -> list[rules.ApplicationRow]:
    """The round's applications that reached Helsedirektoratet, as plain rows. The sending day
    is the joint submission's (in Oslo), else the audit log's (``_sent_days``)."""
    found = list(db.session.scalars(select(Application).where(
        Application.round_id == round_.id,
        Application.state.in_([state.value for state in VISIBLE_TO_DIRECTORATE]))
        .order_by(Application.id)))
    ids = [application.id for application in found]
    sent = joint.sent_for(round_)
    joint_day = _oslo_day(sent.sent_at) if sent else None
    logged = {} if joint_day else _sent_days(ids)
    decided = _final_decision_days(ids)
    rows = []
    for application in found:
        region = application.organisation.region_enum
        assert region is not None, "an applicant belongs to a region"
        rows.append(rules.ApplicationRow(
            application.service_type_enum, region, application.state_enum,
            joint_day or logged.get(application.id), decided.get(application.id)))
    return rows


@dataclass(frozen=True)
class RoundStatistics:
    round: Round
    by_type: list[rules.RoundFigures]
    by_region: list[rules.RoundFigures]
    total: rules.RoundFigures
    report_year: int
    reports: list[rules.ReportFigures]
    reports_total: rules.ReportFigures


def report_rows(year: int) -> list[rules.ReportRow]:
    """Every report owed on ``year`` (``services.reports.owed``) with its first sending day."""
    return [rules.ReportRow(item.region,
                            _oslo_day(item.report.first_sent_at) if item.report else None)
            for item in report_service.owed(year)]


def round_statistics(round_: Round) -> RoundStatistics:
    """The round's figures, and the reports owed on the year before the round (due 15 March
    of the round's year)."""
    rows = application_rows(round_)
    year = round_.year - 1
    reports = report_rows(year)
    return RoundStatistics(round_, rules.by_service_type(rows), rules.by_region(rows),
                           rules.figures("Alle", rows), year,
                           rules.reports_by_region(reports, year),
                           rules.report_figures("Alle", reports, year))


# --------------------------------------------------------------------------- year over year


def _latest_assessments(report_ids: Sequence[int]) -> dict[int, ReportAssessment]:
    found: dict[int, ReportAssessment] = {}
    if not report_ids:
        return found
    for row in db.session.scalars(select(ReportAssessment).where(
            ReportAssessment.report_id.in_(report_ids))
            .order_by(ReportAssessment.assessed_at, ReportAssessment.id)):
        found[row.report_id] = row
    return found


def year_over_year(service: NationalService, reader: Actor | None = None) -> rules.YearTable:
    """The service's reports that Helsedirektoratet has received (forwarded, supplement asked
    for, or assessed), one column per year, with the report form's activity figures and the
    latest assessment; each column names its report when ``reader`` may open it."""
    found = list(db.session.scalars(select(AnnualReport).where(
        AnnualReport.service_id == service.id,
        AnnualReport.state.in_(report_rules.VISIBLE_TO_DIRECTORATE))
        .order_by(AnnualReport.year)))
    assessed = _latest_assessments([report.id for report in found])
    fields = rules.merged_fields(rules.number_fields(report_service.spec_of(report))
                                 for report in found)
    return rules.year_over_year(
        [rules.YearReport(report.year, report.answers or {},
                          report.id if reader and report_rules.can_view(reader, report.facts())
                          else None,
                          assessed[report.id].outcome if report.id in assessed else None)
         for report in found], fields)
