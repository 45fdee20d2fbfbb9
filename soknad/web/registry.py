"""The registry pages: every approved national service, searchable, one page per service."""

from __future__ import annotations

from dataclasses import replace
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
from soknad.web.listing import read_list_args

bp = Blueprint("registry", __name__, url_prefix="/tjenester")

TERM_LEAD_DAYS = 548  # 18 months: the lead time to close or change a service (seed 003)


@bp.route("/")
@requires()
def index() -> Any:
    query = read_list_args(registry.registry_filters(), registry.REGISTRY_SORT_KEYS, "navn")
    icd10_text = request.args.get("icd10", "").strip()
    year_text = request.args.get("aar", "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    problems: list[tuple[str, str]] = []  # (field id, message)
    if icd10_text and icd10.read_query(icd10_text) is None:
        problems.append(("icd10", f"«{icd10_text}» er ikke en ICD-10-kode, et område eller "
                                  "et kapittel (for eksempel C40, Q20-Q28 eller II)."))
    if year_text and year is None:
        problems.append(("aar", f"«{year_text}» er ikke et årstall. Skriv fire sifre, for "
                                "eksempel 2016."))
    extra = {name: value for name, value in (("icd10", icd10_text), ("aar", year_text))
             if value}
    query = replace(query, filters={**query.filters, **extra})
    page = None if problems else registry.search(query, icd10_text=icd10_text, year=year)
    return render_template(
        "registry/index.html", page=page, query=query, problems=problems,
        types=list(ServiceType), regions=list(Region),
        total=db.session.query(NationalService).count(),
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
