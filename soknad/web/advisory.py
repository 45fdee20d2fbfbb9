"""Helsedirektoratet's own steps around the decisions: Rådgivingsgruppen's recommendation on
an application (recorded before the decision), and the round's overall feedback letter to the
RHFs on 1 December. The pages are the directorate's (``web.directorate``); this adds to them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_wtf import FlaskForm

from soknad.domain.advisory import JUSTIFICATION_MAX_CHARS, Recommendation
from soknad.domain.roles import Role
from soknad.domain.values import parse_date
from soknad.models import Application
from soknad.models.advisory import AdvisoryRecommendation
from soknad.services import advisory, audit, joint, round_letter, rounds
from soknad.web import directorate as pages
from soknad.web.access import application_or_404
from soknad.web.auth import current_user, requires
from soknad.web.documents import DOCX_MEDIA_TYPE

bp = Blueprint("advisory", __name__, url_prefix="/hdir")

FIELDS = ("anbefaling", "motedato", "anbefaling_begrunnelse")


@dataclass(frozen=True)
class AdvisoryView:
    """What ``directorate/_advisory.html`` shows for one application."""

    recommendations: list[AdvisoryRecommendation]
    current: AdvisoryRecommendation | None
    sentence: str
    may_record: bool
    choices: tuple[Recommendation, ...] = tuple(Recommendation)
    max_chars: int = JUSTIFICATION_MAX_CHARS


@bp.app_template_global()
def advisory_for(application: Application) -> AdvisoryView:
    found = advisory.current(application)
    return AdvisoryView(advisory.recommendations_for(application), found,
                        advisory.sentence(found), advisory.may_record(application))


@bp.route("/soknader/<int:application_id>/anbefaling", methods=["POST"])
@requires(Role.DIRECTORATE)
def record(application_id: int) -> Any:
    application = application_or_404(application_id)
    values = {name: request.form.get(name, "") for name in FIELDS}
    if not FlaskForm().validate_on_submit():
        return pages._render_application(
            application, status=400, values=values,
            errors={"anbefaling": pages.EXPIRED_FORM})
    try:
        row = advisory.record(application, values["anbefaling"], parse_date(values["motedato"]),
                              values["anbefaling_begrunnelse"], current_user())
    except advisory.RecommendationRefused as refused:
        return pages._render_application(
            application, status=422, errors=refused.problems, values=values)
    flash(f"Anbefalingen er registrert: {advisory.sentence(row)}.", "success")
    return redirect(url_for("directorate.application", application_id=application_id)
                    + "#radgivingsgruppen")


@bp.route("/runder/<int:year>/samlet-tilbakemelding.docx")
@requires(Role.DIRECTORATE)
def letter(year: int) -> Any:
    """The round's overall feedback to the four RHFs, copy to the ministry, as Word."""
    round_ = rounds.by_year(year)
    if round_ is None or joint.sent_for(round_) is None:
        abort(404)
    data = round_letter.letter(round_, current_user())
    name = round_letter.filename(round_)
    audit.record_now(current_user(), "download", "round_letter", None, round=year)
    return send_file(io.BytesIO(data), mimetype=DOCX_MEDIA_TYPE, as_attachment=True,
                     download_name=name, max_age=0)
