"""The annual reports' pages. ``read`` is the report as it stands, for everyone who may see it
(the hosting health trust, its region's RHF, Helsedirektoratet once forwarded); the steps of
each role link to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from soknad.domain import reports as rules
from soknad.domain.roles import Role
from soknad.models import AnnualReport
from soknad.services import reports as service
from soknad.web.auth import current_user, requires

bp = Blueprint("reports", __name__, url_prefix="/rapporter")


def report_or_404(report_id: int) -> AnnualReport:
    """The report if the person may see it; 404 otherwise (an id reveals nothing)."""
    report = service.get(report_id)
    if report is None or not rules.can_view(current_user().actor(), report.facts()):
        abort(404)
    return report


@bp.route("/<int:report_id>/les")
@requires(Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)
def read(report_id: int) -> Any:
    report = report_or_404(report_id)
    return render_template("reports/read.html", report=report, spec=service.spec_of(report),
                           due=rules.due_date(report.year))
