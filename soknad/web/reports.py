"""The annual reports' pages. ``read`` is the report as it stands, for everyone who may see it
(the hosting health trust, its region's RHF, Helsedirektoratet once forwarded); the steps of
each role link to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, get_template_attribute, render_template
from markupsafe import Markup

from soknad.domain import reports as rules
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import AnnualReport
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


def read_sections(report: AnnualReport) -> Markup:
    """The report's sections as read: kept (``fragments``) under everything they show, the
    report's answers standing in by its version, which every save counts up (as the
    application's revision does for its points). The database and the creation time tell apart
    reports with the same id (a test database emptied between tests)."""
    return fragments.cached(
        ("report-read", str(db.engine.url), report.id, report.created_at, report.version,
         report.form_id, report.form_version),
        lambda: get_template_attribute("reports/_sections.html", "report_sections")(
            service.spec_of(report), report.answers or {}))


@bp.route("/<int:report_id>/les")
@requires(Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)
def read(report_id: int) -> Any:
    report = report_or_404(report_id, answers=False)
    return render_template("reports/read.html", report=report, spec=service.spec_of(report),
                           due=rules.due_date(report.year), sections=read_sections(report))
