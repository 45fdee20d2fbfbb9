"""The registry pages: every approved national service, searchable, one page per service."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from soknad import clock
from soknad.domain import icd10
from soknad.domain.organisations import Region
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import NationalService
from soknad.services import registry
from soknad.web.auth import requires

bp = Blueprint("registry", __name__, url_prefix="/tjenester")

TERM_LEAD_DAYS = 548  # 18 months: the lead time to close or change a service (seed 003)


@bp.route("/")
@requires()
def index() -> Any:
    args = request.args
    year_text = args.get("aar", "").strip()
    criteria = registry.Search(
        text=args.get("q", "").strip(), service_type=args.get("type", ""),
        region=args.get("region", ""), icd10=args.get("icd10", "").strip(),
        year=int(year_text) if year_text.isdigit() else None,
    )
    problems: list[tuple[str, str]] = []  # (field id, message)
    if criteria.icd10 and icd10.read_query(criteria.icd10) is None:
        problems.append(("icd10", f"«{criteria.icd10}» er ikke en ICD-10-kode, et område eller "
                                  "et kapittel (for eksempel C40, Q20-Q28 eller II)."))
    if year_text and criteria.year is None:
        problems.append(("aar", f"«{year_text}» er ikke et årstall."))
    services = registry.search(criteria) if not problems else []
    return render_template(
        "registry/index.html", services=services, criteria=criteria, problems=problems,
        types=list(ServiceType), regions=list(Region), total=db.session.query(
            NationalService).count(),
        ending=registry.terms_ending(TERM_LEAD_DAYS, clock.today()),
    ), 422 if problems else 200


@bp.route("/nokkel/<path:key>")
@requires()
def by_key(key: str) -> Any:
    """Findings name services by their stable key; this finds the page."""
    row = db.session.scalar(select(NationalService).where(NationalService.key == key))
    if row is None:
        abort(404)
    return redirect(url_for("registry.service", service_id=row.id))


@bp.route("/<int:service_id>")
@requires()
def service(service_id: int) -> Any:
    row = db.session.get(NationalService, service_id)
    if row is None:
        abort(404)
    return render_template("registry/service.html", service=row)
