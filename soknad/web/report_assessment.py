"""Helsedirektoratet's pages for the annual reports: the reports the RHFs forwarded, per
region (and who has not reported); one report with its assessment form and history; asking
for supplementary reporting by 1 September; the 1 June letter to each RHF as Word."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from soknad import clock
from soknad.domain import report_assessment as assessment_rules
from soknad.domain import reports as rules
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportAction, ReportState
from soknad.domain.roles import Role
from soknad.models import AnnualReport
from soknad.services import audit, report_letter
from soknad.services import report_assessment as service
from soknad.services import reports as report_service
from soknad.web.auth import current_user, requires
from soknad.web.documents import DOCX_MEDIA_TYPE
from soknad.web.reports import report_or_404

bp = Blueprint("report_assessment", __name__, url_prefix="/hdir/arsrapporter")


@bp.route("/")
@requires(Role.DIRECTORATE)
def index() -> Any:
    typed = request.args.get("ar", "").strip()
    year = rules.asked_year(typed, clock.today())
    if year is None:
        return render_template("report_assessment/index.html", year=None, typed=typed,
                               problem=f"«{typed}» er ikke et årstall. Skriv året rapportene "
                                       "gjelder, for eksempel 2026."), 404
    return render_template(
        "report_assessment/index.html", year=year, typed=typed, problem="",
        regions=service.for_assessment(year), due=rules.due_date(year),
        assessment_day=rules.assessment_date(year), supplement_day=rules.supplement_date(year))


def _may(report: AnnualReport, action: ReportAction) -> bool:
    return (report.state, action) in rules.TRANSITIONS


def _render(report: AnnualReport, *, status: int = 200, errors: dict[str, str] | None = None,
            values: dict[str, str] | None = None) -> Any:
    history = service.history(report)
    return render_template(
        "report_assessment/report.html", report=report, spec=report_service.spec_of(report),
        history=history, latest=history[-1] if history else None,
        may_assess=_may(report, ReportAction.ASSESS),
        may_ask=_may(report, ReportAction.REQUEST_SUPPLEMENT),
        outcomes=list(rules.AssessmentOutcome), needs_points=rules.NEEDS_POINTS,
        supplement_deadline=rules.supplement_date(report.year), due=rules.due_date(report.year),
        max_chars=assessment_rules.MAX_CHARS,
        asked=report.state is ReportState.SUPPLEMENT_REQUESTED,
        errors=errors or {}, values=values or {}), status


@bp.route("/<int:report_id>")
@requires(Role.DIRECTORATE)
def report(report_id: int) -> Any:
    return _render(report_or_404(report_id))


@bp.route("/<int:report_id>/vurdering", methods=["POST"])
@requires(Role.DIRECTORATE)
def assess(report_id: int) -> Any:
    found = report_or_404(report_id)
    values = {name: request.form.get(name, "") for name in ("vurdering", "punkter")}
    try:
        row = service.assess(found, values["vurdering"], values["punkter"], current_user())
    except service.AssessmentRefused as refused:
        return _render(found, status=422, errors=refused.problems, values=values)
    flash(f"Vurderingen er registrert: {row.outcome.label}.", "success")
    return redirect(url_for("report_assessment.report", report_id=report_id) + "#historikk")


@bp.route("/<int:report_id>/tillegg", methods=["POST"])
@requires(Role.DIRECTORATE)
def supplement(report_id: int) -> Any:
    found = report_or_404(report_id)
    values = {"tillegg": request.form.get("tillegg", "")}
    try:
        service.request_supplement(found, values["tillegg"], current_user())
    except service.AssessmentRefused as refused:
        return _render(found, status=422, errors=refused.problems, values=values)
    flash("Tilleggsrapportering er etterspurt. Helseforetaket og RHF har fått e-post om "
          f"fristen {assessment_rules.supplement_deadline_text(found.year)}.", "success")
    return redirect(url_for("report_assessment.index", ar=found.year))


@bp.route("/<int:year>/<region>.docx")
@requires(Role.DIRECTORATE)
def letter(year: int, region: str) -> Any:
    """The 1 June assessment letter to one RHF, as Word from the editable template."""
    try:
        chosen = Region(region)
    except ValueError:
        abort(404)
    if rules.asked_year(str(year), clock.today()) != year:
        abort(404)
    data = report_letter.letter(year, chosen, current_user())
    audit.record_now(current_user(), "download", "report_letter", None, year=year,
                     region=chosen.value)
    return send_file(io.BytesIO(data), mimetype=DOCX_MEDIA_TYPE, as_attachment=True,
                     download_name=report_letter.filename(year, chosen), max_age=0)


def show_rescued(data: MultiDict[str, str], report_id: int, *, why: str = "",
                 status: int = 200) -> Any:
    """After logging in again, or a failure of ours: the report's page with the assessment or
    the supplement request as typed, not yet recorded (``auth.rescuer``)."""
    found = report_or_404(report_id)
    field, button = (("tillegg", "Be om tilleggsrapportering") if "tillegg" in data
                     else ("vurdering", "Registrer vurderingen"))
    return _render(found, status=status, values={
        name: data.get(name, "") for name in ("vurdering", "punkter", "tillegg")}, errors={
        field: f"{why}Teksten du skrev, er satt inn igjen, men den er ikke lagret ennå. Trykk "
               f"«{button}» for å lagre den."})
