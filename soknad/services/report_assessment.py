"""Helsedirektoratet's side of the annual reports: the reports forwarded by the RHFs, grouped
by region, each with its latest assessment; recording an assessment (a new row every time, the
old ones are the history); asking for supplementary reporting by 1 September. A proposal to
change or terminate the service goes on the service's history in the registry
(``domain.report_assessment``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from soknad import clock
from soknad.domain import report_assessment as rules
from soknad.domain import reports as report_rules
from soknad.domain.errors import DomainError, TransitionError
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportAction, ReportState
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import AnnualReport, User
from soknad.models.report import ReportAssessment
from soknad.models.types import utcnow
from soknad.services import audit, lifecycle, mail, reports, users


class AssessmentRefused(DomainError):  # noqa: N818 - reads as what happened
    """The assessment or request as typed cannot be recorded; ``problems`` by form field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())))
        self.problems = problems


@dataclass(frozen=True)
class Assessed:
    """A report Helsedirektoratet has received, with its latest assessment (if any)."""

    report: AnnualReport
    latest: ReportAssessment | None

    @property
    def on_time(self) -> bool:
        sent = self.report.first_sent_at
        return report_rules.on_time(sent.date() if sent else None, self.report.year)


@dataclass(frozen=True)
class RegionReports:
    region: Region
    reports: list[Assessed] = field(default_factory=list)
    #: Services that owe a report on the year and whose report has not reached
    #: Helsedirektoratet (not started, being written, or with the RHF).
    missing: list[reports.Owed] = field(default_factory=list)


def history(report: AnnualReport) -> list[ReportAssessment]:
    """Every assessment of the report, oldest first: the last one counts."""
    return list(db.session.scalars(select(ReportAssessment).where(
        ReportAssessment.report_id == report.id).order_by(
        ReportAssessment.assessed_at, ReportAssessment.id)))


def latest(report: AnnualReport) -> ReportAssessment | None:
    found = history(report)
    return found[-1] if found else None


def _latest_of(report_ids: Sequence[int]) -> dict[int, ReportAssessment]:
    found: dict[int, ReportAssessment] = {}
    if not report_ids:
        return found
    for row in db.session.scalars(select(ReportAssessment).where(
            ReportAssessment.report_id.in_(report_ids)).order_by(
            ReportAssessment.assessed_at, ReportAssessment.id)):
        found[row.report_id] = row  # later rows replace earlier ones
    return found


def for_assessment(year: int) -> list[RegionReports]:
    """Per region, in the regulation's order: every report on ``year`` Helsedirektoratet has
    received (forwarded, a supplement asked for, assessed) in service name order, and the
    services that have not reported to it."""
    rows = list(db.session.scalars(select(AnnualReport).where(
        AnnualReport.year == year,
        AnnualReport.state.in_(list(report_rules.VISIBLE_TO_DIRECTORATE)))))
    rows.sort(key=lambda row: row.service.name_nb)
    assessments = _latest_of([row.id for row in rows])
    owed = reports.owed(year)
    result = []
    for region in Region:
        result.append(RegionReports(
            region,
            [Assessed(row, assessments.get(row.id)) for row in rows if row.region is region],
            [item for item in owed if item.region is region and (
                item.report is None
                or item.report.state not in report_rules.VISIBLE_TO_DIRECTORATE)]))
    return result


def region_reports(year: int, region: Region) -> RegionReports:
    return next(item for item in for_assessment(year) if item.region is region)


def _move(report: AnnualReport, action: ReportAction, field_name: str) -> ReportState:
    try:
        return report_rules.next_state(report.state, action)
    except TransitionError as refused:
        raise AssessmentRefused({field_name: str(refused)}) from None


def assess(report: AnnualReport, outcome_text: str, points: str, user: User) -> ReportAssessment:
    """Record Helsedirektoratet's assessment of ``report``; a proposal to change or terminate
    the service also goes on its history. Commits."""
    problems = rules.assessment_problems(outcome_text, points)
    if problems:
        raise AssessmentRefused(problems)
    outcome = rules.parse_outcome(outcome_text)
    assert outcome is not None
    after = _move(report, ReportAction.ASSESS, "vurdering")
    before = report.state
    row = ReportAssessment(report_id=report.id, outcome=outcome, points=points.strip(),
                           assessed_by_id=user.id, assessed_at=utcnow())
    db.session.add(row)
    report.state, report.updated_at, report.updated_by_id = after, utcnow(), user.id
    event = rules.PROPOSAL_EVENTS.get(outcome)
    if event is not None:
        lifecycle.record_event(report.service, clock.today(), event,
                               rules.proposal_summary(outcome, report.year, points))
    audit.record(user.id, "report_assessed", "annual_report", report.id,
                 from_state=before.value, to_state=after.value, vurdering=outcome.value,
                 year=report.year)
    db.session.commit()
    return row


def recipients(report: AnnualReport) -> list[User]:
    """The hosting health trust's people and the region's RHF coordinators (active ones)."""
    trust = db.session.scalars(select(User).where(
        User.organisation_id == report.organisation_id, User.active.is_(True),
        User.role == Role.APPLICANT.value).order_by(User.name))
    people = {person.id: person for person in (*trust, *users.coordinators(report.region))}
    return sorted(people.values(), key=lambda person: person.email)


def request_supplement(report: AnnualReport, text: str, user: User) -> None:
    """Ask for supplementary reporting by 1 September: the report goes back to the health
    trust, which is told by e-mail, and so are the region's coordinators. Commits."""
    problem = rules.supplement_problem(text)
    if problem:
        raise AssessmentRefused({"tillegg": problem})
    after = _move(report, ReportAction.REQUEST_SUPPLEMENT, "tillegg")
    before = report.state
    report.state, report.supplement_request = after, text.strip()
    report.updated_at, report.updated_by_id = utcnow(), user.id
    deadline = rules.supplement_deadline_text(report.year)
    for person in recipients(report):
        mail.queue(person.email, "report_supplement_requested", report=report, person=person,
                   request=report.supplement_request, deadline=deadline,
                   reader_is_trust=person.organisation_id == report.organisation_id)
    audit.record(user.id, "report_supplement_requested", "annual_report", report.id,
                 from_state=before.value, to_state=after.value, year=report.year)
    db.session.commit()
