"""The 1 June letter to one RHF on its region's annual reports (``documents.report_letter``),
made from what the database holds: each report Helsedirektoratet has received with its latest
assessment, the supplements asked for, and the services whose report has not arrived."""

from __future__ import annotations

from soknad import clock
from soknad.documents import TemplateKind
from soknad.documents.render import report_letter_docx
from soknad.documents.report_letter import MissingReport, ReportLetterData, ReportOutcome
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportState
from soknad.models import User
from soknad.services import directorate, documents
from soknad.services import report_assessment as assessment

NOT_STARTED = "Ikke påbegynt"


def outcome(item: assessment.Assessed) -> ReportOutcome:
    report, latest = item.report, item.latest
    asked = report.state is ReportState.SUPPLEMENT_REQUESTED
    return ReportOutcome(
        name=report.service.name_nb, service_type=report.service.service_type_enum.label,
        health_trust=report.organisation.name, state=report.state.label, on_time=item.on_time,
        outcome=latest.outcome if latest else None, points=latest.points if latest else "",
        supplement=report.supplement_request if asked else "")


def letter_data(year: int, region: Region, user: User) -> ReportLetterData:
    found = assessment.region_reports(year, region)
    name, title = directorate.last_signatory()
    return ReportLetterData(
        year=year, region=region.label, letter_date=clock.today(),
        entries=[outcome(item) for item in found.reports],
        missing=[MissingReport(item.service.name_nb, item.host.name if item.host else "",
                               item.report.state.label if item.report else NOT_STARTED)
                 for item in found.missing],
        contact_name=user.name, contact_email=user.email,
        signatory_name=name, signatory_title=title)


def letter(year: int, region: Region, user: User) -> bytes:
    return report_letter_docx(letter_data(year, region, user),
                              documents.template_path(TemplateKind.REPORT_LETTER))


def filename(year: int, region: Region) -> str:
    return f"vurdering-arsrapporter-{year}-{region.value}.docx"
