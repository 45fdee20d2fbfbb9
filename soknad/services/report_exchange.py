"""Export and import of annual reports in the JSON exchange format (``domain.report_exchange``,
``docs/exchange-format.md`` «The annual report»)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from soknad import clock
from soknad.domain import reports as rules
from soknad.domain.answers import normalise
from soknad.domain.errors import DomainError, ExchangeFormatError
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import FormSpec
from soknad.domain.limits import over_limits
from soknad.domain.report_exchange import ReportDocument
from soknad.domain.report_rules import check_report
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import AnnualReport, NationalService, Organisation, User
from soknad.models.types import utcnow
from soknad.services import audit, forms
from soknad.services import reports as report_service

#: The audit action of an import (``domain.audit_actions``).
IMPORT_ACTION = "report_import"


class StaleReportError(DomainError):
    """The report was saved after the file was exported; nothing was changed."""


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def export(report: AnnualReport) -> dict[str, Any]:
    """The report as an exchange document."""
    return ReportDocument(
        service_key=report.service.key, service_name=report.service.name_nb, year=report.year,
        form_id=report.form_id, form_version=report.form_version, version=report.version,
        answers=dict(report.answers or {}), approval=report.approval, state=report.state,
        organisation=report.organisation.name, region=report.region.value,
        report_id=report.id,
        dates={"due": rules.due_date(report.year).isoformat(),
               "first_sent_at": _iso(report.first_sent_at), "sent_at": _iso(report.sent_at),
               "forwarded_at": _iso(report.forwarded_at)},
    ).to_dict()


def spec_for(document: ReportDocument) -> FormSpec:
    try:
        return forms.get(document.form_id, document.form_version)
    except DomainError as error:
        raise ExchangeFormatError(str(error)) from error


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class CheckResult:
    spec: FormSpec
    findings: list[Finding]
    unknown: list[str]  # answer keys the form does not have

    def section_heading(self, finding: Finding) -> str:
        for section in self.spec.sections:
            if section.id == finding.section:
                return section.heading
        return "Om rapporten"


def _approval_findings(document: ReportDocument) -> list[Finding]:
    approval = document.approval
    if approval is None:
        return [Finding(
            rule="report_approval", section="", severity=Severity.WARNING,
            message="Filen har ingen godkjenning fra referansegruppen. Den må registreres før "
            "rapporten sendes til RHF (Veilederen kap. 4.4).")]
    problem = rules.approval_problem(approval.day, approval.by, document.year, clock.today())
    if problem:
        return [Finding(rule="report_approval", section="", severity=Severity.BLOCKING,
                        message=problem, reason="svaret kan ikke brukes")]
    return []


def check(document: ReportDocument) -> CheckResult:
    """The findings the report pages would show for the file's answers
    (``domain.report_rules.check_report``), and the reference group's approval."""
    spec = spec_for(document)
    answers, unknown = normalise(spec, document.answers)
    findings = [*_approval_findings(document),
                *check_report(spec, answers, year=document.year, today=clock.today())]
    return CheckResult(spec, findings, unknown)


# --------------------------------------------------------------------------- import


def _target(document: ReportDocument, user: User
            ) -> tuple[NationalService, AnnualReport | None, Organisation | None]:
    """The service the file is for, its report on the year (None: not started) and, when not
    started, the health trust that writes it; a DomainError (Norwegian) when the user's health
    trust may not write it."""
    service = db.session.scalar(select(NationalService).where(
        NationalService.key == document.service_key))
    if service is None:
        raise DomainError(f"Fant ingen nasjonal tjeneste med nøkkelen «{document.service_key}» "
                          "i registeret.")
    report = db.session.scalar(select(AnnualReport).where(
        AnnualReport.service_id == service.id, AnnualReport.year == document.year))
    if report is None:
        hosts = [item.host for item in report_service.owed(
            document.year, organisation_id=user.organisation_id)
            if item.service.id == service.id and item.host is not None]
        if not hosts or user.actor().role is not Role.APPLICANT:
            raise DomainError(f"{user.organisation.name} skal ikke skrive årsrapport "
                              f"{document.year} for {service.name_nb}.")
        return service, None, hosts[0]
    if not rules.can_edit(user.actor(), report.facts()):
        if report.organisation_id != user.organisation_id:
            raise DomainError(f"Årsrapport {report.year} for {service.name_nb} skrives av "
                              f"{report.organisation.name}, ikke av {user.organisation.name}.")
        raise DomainError(f"Årsrapport {report.year} for {service.name_nb} kan ikke endres nå "
                          f"(status: {report.state.label}).")
    return service, report, None


def _answers(spec: FormSpec, document: ReportDocument) -> dict[str, Any]:
    """The file's answers cleaned as the web form cleans them; ExchangeFormatError when they
    are not the report form's (another form, unknown keys, over a limit)."""
    if (document.form_id, document.form_version) != (spec.id, spec.version):
        raise ExchangeFormatError(
            f"Filen er skrevet på skjemaet {document.form_id} versjon {document.form_version}, "
            f"men rapporten bruker {spec.id} versjon {spec.version}.")
    answers, unknown = normalise(spec, document.answers)
    if unknown:
        raise ExchangeFormatError(
            f"Filen har svar som skjemaet {spec.key} ikke har: {', '.join(unknown)}")
    problems = [message for field_id, value in answers.items()
                for message in over_limits(spec.field(field_id), value)]
    if problems:
        raise ExchangeFormatError("Filen er ikke importert, fordi noe er for langt: "
                                  + " ".join(problems))
    return dict(answers)


def import_document(document: ReportDocument, user: User) -> tuple[AnnualReport, list[str]]:
    """Write the file's answers (and approval, when it has one) into the report it is for.

    The file names the report's version it was exported from: when the report has been saved
    since, nothing changes (``StaleReportError``). Every problem is found before anything is
    written, so a bad file changes nothing. Returns the report and notes for the user."""
    service, report, host = _target(document, user)
    spec = report_service.spec_of(report) if report else report_service.spec_for(service)
    answers = _answers(spec, document)
    approval = document.approval
    if approval is not None and (report is None or approval != report.approval):
        problem = rules.approval_problem(approval.day, approval.by, document.year,
                                         clock.today())
        if problem:
            raise ExchangeFormatError(f"Referansegruppens godkjenning i filen: {problem}")
    if report is None:  # everything checked: start it (version 0)
        assert host is not None
        report = report_service.start(service, document.year, host, user)
    before = dict(report.answers or {})
    notes: list[str] = []
    values: dict[str, Any] = {"answers": answers, "version": document.version + 1,
                              "updated_at": utcnow(), "updated_by_id": user.id}
    if approval is not None:
        values |= {"approved_on": approval.day, "approved_by": approval.by}
    else:
        notes.append("Filen har ingen godkjenning fra referansegruppen; rapportens er uendret.")
    if document.organisation and document.organisation != report.organisation.name:
        notes.append(f"Filen er fra {document.organisation}; svarene er lagt i rapporten til "
                     f"{report.organisation.name}.")
    done = db.session.execute(
        update(AnnualReport)
        .where(AnnualReport.id == report.id, AnnualReport.version == document.version)
        .values(**values))
    if done.rowcount != 1:
        db.session.rollback()
        current = db.session.get(AnnualReport, report.id)
        who = current.updated_by.name if current and current.updated_by else "noen"
        raise StaleReportError(
            f"Rapporten er lagret av {who} etter at filen ble eksportert (filen har versjon "
            f"{document.version}, rapporten har versjon {current.version if current else '?'}). "
            "Ingenting er endret, og filen din er urørt: eksporter rapporten på nytt, før inn "
            "endringene dine og importer igjen.")
    notes.append(f"{len(changed_fields(before, answers))} svar endret.")
    audit.record(user.id, IMPORT_ACTION, "annual_report", report.id,
                 from_version=document.version, to_version=document.version + 1,
                 fields=len(answers))
    db.session.commit()
    db.session.refresh(report)
    return report, notes


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The answer ids whose value differs (for a summary of what an import changed)."""
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
