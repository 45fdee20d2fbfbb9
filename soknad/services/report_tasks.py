"""The annual reports' part of «Dine oppgaver» (``soknad.domain.tasks``): one query per kind of
task, never one per report, and where each task is done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import ColumnElement, select

from soknad.domain import reports as report_rules
from soknad.domain import tasks as rules
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportState
from soknad.domain.tasks import Due, Link, Task, TaskKind
from soknad.extensions import db
from soknad.models import AnnualReport, Organisation
from soknad.services import reports as report_service


def for_health_trust(organisation_id: int, today: date) -> list[Task]:
    """Reports not sent to the RHF (while they are owed), returned ones and supplements."""
    found = []
    year = rules.reports_owed_now(today)
    if year is not None:
        unsent = [Due(item.report.id if item.report else 0, report_rules.due_date(year), year)
                  for item in report_service.owed(year, organisation_id=organisation_id)
                  if item.report is None or item.report.state is ReportState.DRAFT]
        found += rules.grouped(TaskKind.REPORT_UNSENT, unsent, today,
                               one=lambda item: _write(item) if item.item_id else _list(item),
                               many=_list)
    of_trust = AnnualReport.organisation_id == organisation_id
    found += rules.grouped(TaskKind.REPORT_RETURNED,
                           _due(of_trust, ReportState.RETURNED, report_rules.due_date), today,
                           one=_write, many=_list)
    found += rules.grouped(TaskKind.REPORT_SUPPLEMENT,
                           _due(of_trust, ReportState.SUPPLEMENT_REQUESTED,
                                report_rules.supplement_date), today, one=_write, many=_list)
    return found


def for_region(region: Region, today: date) -> list[Task]:
    """Reports the RHF has received and not forwarded to Helsedirektoratet."""
    def inbox(item: Due) -> Link:
        return Link("report_inbox.index", {"ar": item.round_year})

    return rules.grouped(TaskKind.REPORT_TO_FORWARD,
                         _due(Organisation.region == region.value, ReportState.SENT,
                              report_rules.due_date), today, one=inbox, many=inbox)


def for_directorate(today: date) -> list[Task]:
    """Forwarded reports Helsedirektoratet has not assessed (due 1 June)."""
    return rules.grouped(
        TaskKind.REPORT_TO_ASSESS,
        _due(None, ReportState.FORWARDED, report_rules.assessment_date),
        today,
        one=lambda item: Link("report_assessment.report", {"report_id": item.item_id}),
        many=lambda item: Link("report_assessment.index", {"ar": item.round_year}))


def _due(within: ColumnElement[bool] | None, state: ReportState,
         deadline_of: Callable[[int], date]) -> list[Due]:
    """The reports in ``state`` within reach (None: all), each due by ``deadline_of(year)``
    (one query). ``Due.round_year`` holds the year reported on (the tasks group by deadline,
    so it never names a round in their text)."""
    query = select(AnnualReport.id, AnnualReport.year).where(AnnualReport.state == state)
    if within is not None:
        query = query.join(Organisation, AnnualReport.organisation_id == Organisation.id
                           ).where(within)
    rows = db.session.execute(query.order_by(AnnualReport.year, AnnualReport.id)).all()
    return [Due(report_id, deadline_of(year), year) for report_id, year in rows]


def _write(item: Due) -> Link:
    return Link("reports.overview", {"report_id": item.item_id})


def _list(item: Due) -> Link:
    return Link("reports.index", {"ar": item.round_year})
