"""The RHF coordinator's annual reports: the region's inbox for one report year, returning a
report to its health trust for revision, and forwarding the region's reports to
Helsedirektoratet (after a confirmation page that says what goes and what is missing)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from soknad import clock
from soknad.domain import reports as rules
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.models import AnnualReport
from soknad.services import report_inbox as service
from soknad.web.auth import current_user, requires

bp = Blueprint("report_inbox", __name__, url_prefix="/rhf/arsrapporter")


def _region() -> Region:
    region = current_user().organisation.region_enum
    assert region is not None  # a coordinator always belongs to an RHF
    return region


def _year(text: str | None) -> int:
    """The report year asked for (``?ar=2026``, or the form's ``ar``); 404 for a year that
    cannot be one (``domain.reports.asked_year``)."""
    year = rules.asked_year(text, clock.today())
    if year is None:
        abort(404)
    return year


def _years() -> list[int]:
    """The report years to choose between: the one being worked on and the four before."""
    current = rules.report_year(clock.today())
    return list(range(current, current - 5, -1))


def _render(year: int, *, status: int = 200, errors: dict[int, str] | None = None,
            notes: dict[int, str] | None = None) -> Any:
    return render_template(
        "coordinator/reports_inbox.html", found=service.inbox(_region(), year), year=year,
        years=_years(),
        errors=errors or {}, notes=notes or {}), status


@bp.route("/")
@requires(Role.COORDINATOR)
def index() -> Any:
    return _render(_year(request.args.get("ar")))


@bp.route("/videresend", methods=["POST"])
@requires(Role.COORDINATOR)
def forward() -> Any:
    """The first post shows what will be forwarded and what is missing; «Ja, send» on that
    page (``bekreftet=ja``, with the versions it showed) forwards exactly those reports."""
    year = _year(request.form.get("ar"))
    region = _region()
    if request.form.get("bekreftet") != "ja":
        found = service.inbox(region, year)
        return render_template("coordinator/reports_confirm_forward.html", found=found,
                               year=year, versions=service.versions(found.to_forward))
    expected = {int(key.removeprefix("versjon-")): int(value)
                for key, value in request.form.items()
                if key.startswith("versjon-") and key[8:].isdigit() and value.isdigit()}
    try:
        sent = service.forward(region, year, current_user(), expected or None)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"{len(sent)} {'årsrapport er' if len(sent) == 1 else 'årsrapporter er'} sendt "
              "til Helsedirektoratet.", "success")
    return redirect(url_for("report_inbox.index", ar=year))


def _report_or_404(report_id: int) -> AnnualReport:
    """A report the coordinator may see and review: their region's, once sent."""
    user = current_user()
    report = service.report_for_review(report_id, user)
    if report is None or not rules.can_view(user.actor(), report.facts()):
        abort(404)
    return report


@bp.route("/<int:report_id>/returner", methods=["POST"])
@requires(Role.COORDINATOR)
def return_report(report_id: int) -> Any:
    report = _report_or_404(report_id)
    note = request.form.get("merknad", "")
    version = request.form.get("versjon", "")
    name = report.service.name_nb
    try:
        service.return_for_revision(report, note, current_user(),
                                    int(version) if version.isdigit() else None)
    except DomainError as error:
        return _render(report.year, status=422, errors={report_id: str(error)},
                       notes={report_id: note})
    flash(f"Årsrapporten for {name} er returnert til {report.organisation.name} for "
          "bearbeiding.", "success")
    return redirect(url_for("report_inbox.index", ar=report.year))


def show_rescued(data: MultiDict[str, str], report_id: int, *, why: str = "",
                 status: int = 200) -> Any:
    """After logging in again, or a failure of ours: the inbox with the note as typed, the
    report not returned yet (``auth.rescuer``)."""
    report = _report_or_404(report_id)
    return _render(report.year, status=status, notes={report_id: data.get("merknad", "")},
                   errors={report_id: f"{why}Merknaden du skrev, er satt inn igjen, men rapporten "
                                      "er ikke returnert ennå. Trykk «Returner for bearbeiding» "
                                      "for å returnere den."})
