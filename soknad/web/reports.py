"""The annual reports' pages. ``read`` is the report as it stands, for everyone who may see it
(the hosting health trust, its region's RHF, Helsedirektoratet once forwarded); the steps of
each role link to it.

The health trust's pages: the services that owe a report (``index``), starting one, the
report's overview (its sections and their findings, the reference group's approval, sending it
to the RHF). Editing one section lives in ``web.report_sections``, on the same blueprint."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from soknad import clock
from soknad.domain import reports as rules
from soknad.domain.errors import DomainError
from soknad.domain.report_assessment import PROPOSED_APPLICATIONS
from soknad.domain.roles import Role
from soknad.domain.values import parse_date
from soknad.models import AnnualReport
from soknad.services import organisations
from soknad.services import report_assessment as assessment_service
from soknad.services import report_writing as writing
from soknad.services import reports as service
from soknad.web import fragments
from soknad.web.auth import current_user, requires

bp = Blueprint("reports", __name__, url_prefix="/rapporter")


def report_or_404(report_id: int, *, answers: bool = True) -> AnnualReport:
    """The report if the person may see it; 404 otherwise (an id reveals nothing).
    ``answers=False``: its answers are read only when asked for (``services.reports.get``)."""
    report = service.get(report_id, answers=answers)
    if report is None or not rules.can_view(current_user().actor(), report.facts()):
        abort(404)
    return report


def can_edit(report: AnnualReport) -> bool:
    return rules.can_edit(current_user().actor(), report.facts())


def read_sections(report: AnnualReport) -> Markup:
    """The report's sections as read: kept (``fragments``) under the report's revision
    (``services.reports.revision``), as the application's points are under theirs."""
    return fragments.cached(
        ("report-read", *service.revision(report)),
        lambda: get_template_attribute("reports/_sections.html", "report_sections")(
            service.spec_of(report), report.answers or {}))


@bp.route("/<int:report_id>/les")
@requires(Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)
def read(report_id: int) -> Any:
    report = report_or_404(report_id, answers=False)
    return render_template("reports/read.html", report=report, spec=service.spec_of(report),
                           due=rules.due_date(report.year), sections=read_sections(report))


# --------------------------------------------------------------------------- the health trust


def _year(text: str | None) -> int:
    """The report year asked for; 404 for one that cannot be (``domain.reports.asked_year``)."""
    year = rules.asked_year(text, clock.today())
    if year is None:
        abort(404)
    return year


@bp.route("/")
@requires(Role.APPLICANT)
def index() -> Any:
    year = _year(request.args.get("ar"))
    user = current_user()
    return render_template(
        "reports/index.html", year=year, due=rules.due_date(year),
        rows=service.owed(year, organisation_id=user.organisation_id),
        current=rules.report_year(clock.today()), editable_states=rules.EDITABLE)


@bp.route("/start", methods=["POST"])
@requires(Role.APPLICANT)
def start() -> Any:
    user = current_user()
    year = _year(request.form.get("year"))
    service_id = request.form.get("service_id", "")
    item = next((row for row in service.owed(year, organisation_id=user.organisation_id)
                 if str(row.service.id) == service_id), None)
    if item is None or item.host is None:
        abort(404)
    report = service.start(item.service, year, item.host, user)
    return redirect(url_for("reports.overview", report_id=report.id))


def render_overview(report: AnnualReport, *, status: int = 200, message: str = "",
                    approval: dict[str, str] | None = None, approval_error: str = "") -> Any:
    found = writing.findings(report)
    problem = rules.send_problem(report.approval, found.blocking)
    rhf = organisations.rhf_of(report.region)
    assessment = (assessment_service.latest(report)
                  if report.state in rules.ASSESSMENT_SHOWN else None)
    return render_template(
        "reports/overview.html", report=report, spec=service.spec_of(report), found=found,
        assessment=assessment, proposed=assessment and PROPOSED_APPLICATIONS.get(
            assessment.outcome),
        due=rules.due_date(report.year), editable=can_edit(report), send_problem=problem,
        rhf_name=rhf.name if rhf else report.region.label, message=message,
        approval=approval or {
            "day": report.approved_on.isoformat() if report.approved_on else "",
            "by": report.approved_by},
        approval_error=approval_error, today=clock.today(),
    ), status


@bp.route("/<int:report_id>")
@requires(Role.APPLICANT)
def overview(report_id: int) -> Any:
    return render_overview(report_or_404(report_id, answers=False))


@bp.route("/<int:report_id>/referansegruppe", methods=["POST"])
@requires(Role.APPLICANT)
def approve(report_id: int) -> Any:
    report = report_or_404(report_id)
    typed = {"day": request.form.get("day", "").strip(), "by": request.form.get("by", "")}
    day = parse_date(typed["day"])
    if typed["day"] and day is None:
        return render_overview(report, status=422, approval=typed,
                               approval_error="Skriv datoen som dd.mm.åååå.")
    try:
        writing.record_approval(report, day, typed["by"], current_user())
    except writing.NotEditableError as error:
        return render_overview(report, status=409, approval=typed, approval_error=str(error))
    except DomainError as error:
        return render_overview(report, status=422, approval=typed, approval_error=str(error))
    flash("Referansegruppens godkjenning er registrert.", "success")
    return redirect(url_for("reports.overview", report_id=report.id) + "#godkjenning")


@bp.route("/<int:report_id>/send", methods=["POST"])
@requires(Role.APPLICANT)
def send(report_id: int) -> Any:
    report = report_or_404(report_id)
    try:
        writing.send(report, current_user())
    except DomainError as error:
        return render_overview(report, status=409, message=str(error))
    rhf = organisations.rhf_of(report.region)
    flash(f"Rapporten er sendt til {rhf.name if rhf else report.region.label}.", "success")
    return redirect(url_for("reports.overview", report_id=report.id))


from soknad.web import report_sections  # noqa: E402, F401  (its routes are on ``bp``)
