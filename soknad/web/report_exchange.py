"""An annual report as a file in the JSON exchange format (``docs/exchange-format.md``, «The
annual report»): for everyone who may read the report (``domain.reports.can_view``)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response

from soknad.domain.roles import Role
from soknad.services import audit, report_exchange
from soknad.web.auth import current_user, requires
from soknad.web.reports import report_or_404

bp = Blueprint("report_exchange", __name__, url_prefix="/rapporter")


@bp.route("/<int:report_id>/eksport.json")
@requires(Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)
def export(report_id: int) -> Any:
    report = report_or_404(report_id)
    body = json.dumps(report_exchange.export(report), ensure_ascii=False, indent=2,
                      sort_keys=True)
    name = f"arsrapport-{report.year}-{report.id}-versjon-{report.version}.json"
    response = Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})
    audit.record_now(current_user(), "export", "annual_report", report_id, format="json",
                     version=report.version)
    return response
