"""Helsedirektoratet's statistics of a round: applications, outcomes and time to decision by
service type and region, and the annual reports on time by region (the figures in
``soknad.domain.statistics``, read by ``soknad.services.statistics``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from soknad.domain import statistics as rules
from soknad.domain.reports import due_date
from soknad.domain.roles import Role
from soknad.services import rounds
from soknad.services import statistics as service
from soknad.web.auth import requires

bp = Blueprint("statistics", __name__, url_prefix="/hdir/statistikk")


@bp.route("")
@requires(Role.DIRECTORATE)
def index() -> Any:
    typed = request.args.get("runde", "").strip()
    chosen = rounds.by_year(int(typed)) if typed.isdigit() and len(typed) == 4 else None
    problem = ""
    if typed and chosen is None:
        problem = (f"Fant ingen søknadsrunde «{typed}». Velg en av rundene i listen.")
    round_ = chosen or (None if typed else service.default_round())
    figures = service.round_statistics(round_) if round_ else None
    return render_template(
        "directorate/statistics.html", figures=figures, rounds=service.rounds(), typed=typed,
        problem=problem, outcomes=list(rules.Outcome), days_text=rules.days_text,
        due=due_date(figures.report_year) if figures else None,
    ), 404 if problem else 200
