"""The registry pages: every approved national service, searchable, one page per service."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from soknad import clock
from soknad.domain import icd10
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import LEAD_DAYS, ServiceState
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.service_types import ServiceType
from soknad.domain.values import parse_date
from soknad.extensions import db
from soknad.models import NationalService, NationalServiceEvent
from soknad.services import lifecycle, registry, statistics
from soknad.web.access import application_or_404
from soknad.web.auth import current_user, requires
from soknad.web.listing import read_list_args

bp = Blueprint("registry", __name__, url_prefix="/tjenester")



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
        types=list(ServiceType), regions=list(Region), states=list(ServiceState),
        today=clock.today(),
        total=db.session.query(NationalService).count(),
        ending=registry.terms_ending(LEAD_DAYS, clock.today()),
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
    return render_template("registry/service.html", service=row, today=clock.today(),
                           history=lifecycle.history(row),
                           years=statistics.year_over_year(row, current_user().actor()),
                           may_establish=registry.may_record_establishment(row, current_user()))


@bp.route("/soknad/<int:application_id>")
@requires()
def for_application(application_id: int) -> Any:
    """The registry entry an approval made (from the decision on the application's page)."""
    application_or_404(application_id)
    row = db.session.scalar(select(NationalService).where(
        NationalService.application_id == application_id))
    if row is None:  # a change or termination: the service its history names
        row = db.session.scalar(select(NationalService).join(
            NationalServiceEvent, NationalServiceEvent.service_id == NationalService.id).where(
            NationalServiceEvent.application_id == application_id).limit(1))
    if row is None:
        abort(404)
    return redirect(url_for("registry.service", service_id=row.id))


def _establishable_or_404(service_id: int) -> NationalService:
    """The service, if the signed-in user may record that it was established; else 404."""
    row = db.session.get(NationalService, service_id)
    if row is None or not registry.may_record_establishment(row, current_user()):
        abort(404)
    return row


def _establish_page(row: NationalService, *, typed: str = "", error: str = "",
                    confirm: date | None = None, status: int = 200) -> Any:
    return render_template("registry/establish.html", service=row, typed=typed, error=error,
                           confirm=confirm, form=FlaskForm()), status


@bp.route("/<int:service_id>/etablert", methods=["GET", "POST"])
@requires(Role.COORDINATOR)
def establish(service_id: int) -> Any:
    """Step one: the day the service was established. A valid day leads to the confirmation
    (``confirm_establishment``); nothing is stored here."""
    row = _establishable_or_404(service_id)
    if request.method == "GET":
        return _establish_page(row)
    typed = request.form.get("dato", "").strip()
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("registry.establish", service_id=row.id))
    try:
        day = registry.check_establishment(row, parse_date(typed))
    except DomainError as error:
        return _establish_page(row, typed=typed, error=str(error), status=422)
    if "endre" in request.form:
        return _establish_page(row, typed=typed)
    return _establish_page(row, typed=typed, confirm=day)


@bp.route("/<int:service_id>/etablert/bekreft", methods=["POST"])
@requires(Role.COORDINATOR)
def confirm_establishment(service_id: int) -> Any:
    """Step two: record it (it cannot be undone)."""
    row = _establishable_or_404(service_id)
    typed = request.form.get("dato", "").strip()
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("registry.establish", service_id=row.id))
    try:
        registry.record_establishment(row, parse_date(typed), current_user())
    except DomainError as error:
        db.session.rollback()
        return _establish_page(row, typed=typed, error=str(error), status=422)
    flash("Tjenesten er registrert som etablert.", "success")
    return redirect(url_for("registry.service", service_id=service_id))
