"""The health trust writes and sends its annual report: one section saved at a time (a
compare-and-swap on the report's version), the findings, the reference group's approval, and
sending it to the RHF (004 kap. 4.4). Each step is one transaction, committed or rolled back
here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update

from soknad import clock
from soknad.domain import reports as rules
from soknad.domain.errors import DomainError, TransitionError
from soknad.domain.findings import Finding
from soknad.domain.formspec import FieldKind
from soknad.domain.report_rules import check_report
from soknad.extensions import db
from soknad.memo import Kept
from soknad.models import AnnualReport, User
from soknad.models.types import utcnow
from soknad.services import applications, audit, mail, organisations, users
from soknad.services.reports import revision, spec_of

OBJECT = "annual_report"


class NotEditableError(DomainError):
    def __init__(self, report: AnnualReport) -> None:
        super().__init__(
            f"Rapporten har status «{report.state.label}» og kan ikke endres nå. Teksten du "
            "skrev, står fortsatt i skjemaet hvis du vil kopiere den.")


class StaleReportError(DomainError):
    """Someone saved the report after this person opened it; nothing was saved."""

    def __init__(self, report: AnnualReport, user: User) -> None:
        who = ("Du har selv lagret rapporten i en annen fane eller et annet vindu"
               if report.updated_by_id == user.id
               else "Rapporten er endret av noen andre")
        super().__init__(
            f"{who} siden du åpnet den. Teksten din er ikke lagret ennå: den står i skjemaet. "
            "Se over den og trykk «Lagre» igjen for å lagre den over det som er lagret i "
            "denne delen.")
        self.report = report


class ApprovalError(DomainError):
    """The reference group's approval as entered cannot stand (``approval_problem``)."""


class SendBlockedError(DomainError):
    """The report cannot be sent yet (``send_problem``)."""


# --------------------------------------------------------------------------- saving


def _refuse_unless_editable(report: AnnualReport, user: User) -> None:
    if not rules.can_edit(user.actor(), report.facts()):
        raise NotEditableError(report)


def clean(report: AnnualReport, section_id: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The section's answers from what was posted, cleaned as an application's are."""
    return applications.clean_section_values(spec_of(report), section_id, raw)


def save_section(report: AnnualReport, section_id: str, answers_for_section: Mapping[str, Any],
                 base_version: int, user: User) -> AnnualReport:
    """Save one section's answers if nobody saved the report since ``base_version`` (an
    ``UPDATE … WHERE version = base_version``), and commit. Raises ``StaleReportError``,
    ``NotEditableError`` or ``applications.OverLimitError`` with nothing stored."""
    spec = spec_of(report)
    section = spec.section(section_id)
    data = clean(report, section_id, answers_for_section)
    try:
        applications.refuse_over_limits(spec, data)
        db.session.refresh(report)  # the answers and version as stored now
        _refuse_unless_editable(report, user)
        if report.version != base_version:
            raise StaleReportError(report, user)
        stored = {f.id for f in section.fields if f.kind is not FieldKind.ATTACHMENT}
        merged = {key: value for key, value in report.answers.items() if key not in stored}
        merged.update(data)
        swapped = db.session.execute(
            update(AnnualReport)
            .where(AnnualReport.id == report.id, AnnualReport.version == base_version,
                   AnnualReport.state.in_(list(rules.EDITABLE)))
            .values(answers=merged, version=AnnualReport.version + 1, updated_at=utcnow(),
                    updated_by_id=user.id)
            .execution_options(synchronize_session=False))
        if swapped.rowcount != 1:  # saved or sent between the read and the swap
            db.session.rollback()
            db.session.refresh(report)
            if report.state not in rules.EDITABLE:
                raise NotEditableError(report)
            raise StaleReportError(report, user)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.refresh(report)
    return report


# --------------------------------------------------------------------------- the findings


@dataclass(frozen=True)
class SectionStatus:
    section_id: str
    heading: str
    blocking: int
    warnings: int

    @property
    def label(self) -> str:
        if self.blocking:
            return f"{self.blocking} må rettes"
        if self.warnings:
            return f"{self.warnings} anbefaling" + ("er" if self.warnings > 1 else "")
        return "Ingen mangler"


@dataclass(frozen=True)
class ReportFindings:
    findings: list[Finding]
    sections: list[SectionStatus]

    @property
    def blocking(self) -> int:
        return sum(finding.blocking for finding in self.findings)

    def of(self, section_id: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.section == section_id]


#: The findings of stored reports, under their revision and the day (the goals' dates are
#: checked against it): the overview and every part's page show them.
_checked: Kept[ReportFindings] = Kept(maxsize=256)


def findings(report: AnnualReport, today: date | None = None,
             answers: Mapping[str, Any] | None = None) -> ReportFindings:
    """The report's findings (``domain.report_rules.check_report``) and their count per
    section, of the stored answers (kept) or of ``answers`` (a refused save, as typed)."""
    today = today or clock.today()
    if answers is not None:
        return _check(report, answers, today)
    return _checked.get((*revision(report), today), lambda: _check(report, report.answers,
                                                                   today))


def _check(report: AnnualReport, answers: Mapping[str, Any], today: date) -> ReportFindings:
    spec = spec_of(report)
    found = check_report(spec, answers, year=report.year, today=today)
    sections = [SectionStatus(
        section.id, section.heading,
        sum(f.blocking for f in found if f.section == section.id),
        sum(not f.blocking for f in found if f.section == section.id),
    ) for section in spec.sections]
    return ReportFindings(found, sections)


# --------------------------------------------------------------------------- approval


def record_approval(report: AnnualReport, day: date | None, by: str, user: User) -> None:
    """Record the reference group's approval (004 kap. 4.4), and commit."""
    _refuse_unless_editable(report, user)
    problem = rules.approval_problem(day, by, report.year, clock.today())
    if problem:
        raise ApprovalError(problem)
    report.approved_on, report.approved_by = day, by.strip()[:300]
    report.updated_at, report.updated_by_id = utcnow(), user.id
    audit.record(user.id, "report_approved", OBJECT, report.id,
                 approved_on=day.isoformat() if day else "", approved_by=report.approved_by)
    db.session.commit()


# --------------------------------------------------------------------------- sending


def send_problem(report: AnnualReport, today: date | None = None) -> str | None:
    """What stops the report from being sent now, in Norwegian; None when it can be."""
    return rules.send_problem(report.approval, findings(report, today).blocking)


def send(report: AnnualReport, user: User) -> AnnualReport:
    """Send the report to the RHF: the next state, the times, an audit entry and an e-mail to
    the region's coordinators, in one transaction."""
    try:
        db.session.refresh(report)
        before = report.state
        target = rules.next_state(before, rules.ReportAction.SEND)
        _refuse_unless_editable(report, user)
        problem = send_problem(report)
        if problem:
            raise SendBlockedError(problem)
        now = utcnow()
        moved = db.session.execute(
            update(AnnualReport)
            .where(AnnualReport.id == report.id, AnnualReport.state == before)
            .values(state=target, sent_at=now, updated_at=now, updated_by_id=user.id,
                    first_sent_at=func.coalesce(AnnualReport.first_sent_at, now))
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise TransitionError("Rapporten er allerede sendt.")
        audit.record(user.id, "report_sent", OBJECT, report.id, from_state=before.value,
                     to_state=target.value, year=report.year, service=report.service.name_nb)
        _tell_the_region(report, user, again=before is not rules.ReportState.DRAFT)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.refresh(report)
    return report


def _tell_the_region(report: AnnualReport, user: User, *, again: bool) -> None:
    rhf = organisations.rhf_of(report.region)
    context = {"report": report, "sender": user, "again": again,
               "rhf_name": rhf.name if rhf else report.region.label,
               "due": rules.due_date(report.year)}
    for coordinator in users.coordinators(report.region):
        mail.queue(coordinator.email, "report_sent", **context)


def sent_on(report: AnnualReport) -> date | None:
    first: datetime | None = report.first_sent_at
    return first.astimezone(clock.OSLO).date() if first else None
