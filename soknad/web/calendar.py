"""Deadlines: each user's dates (``/kalender``), their private iCal feed, the start pages'
deadline panel, and the administrator's own dates for a round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from soknad import clock
from soknad.domain import calendar as cal
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import OutboxMessage, Round, RoundDate
from soknad.services import calendar as calendar_service
from soknad.services import reminders
from soknad.web.auth import current_user, public, requires

bp = Blueprint("calendar", __name__)

# For `make run`: the reminder scheduler inside the web process when the config asks for it.
bp.record_once(lambda state: reminders.start_in_process(state.app))


@bp.app_template_global("deadline_panel")
def deadline_panel() -> calendar_service.Panel:
    """The start pages' deadline panel (``templates/_deadlines.html``) for the signed-in user."""
    if g.get("user") is None:
        return calendar_service.Panel([], [])
    return calendar_service.dashboard(g.user)


@bp.app_template_filter("long_date")
def long_date(value: date) -> str:
    return cal.format_date(value, weekday=True)


@bp.app_template_filter("and_list")
def and_list(values: Sequence[object]) -> str:
    """"30, 14, 7 og 1"."""
    items = [str(value) for value in values]
    return " og ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


# --------------------------------------------------------------------------- /kalender


def _overview(token: str | None = None) -> Any:
    user = current_user()
    now = clock.now()
    calendars = calendar_service.load_all()
    items = calendar_service.views_for(user, now, calendars)
    by_round: dict[int, list[cal.DeadlineView]] = {}
    for item in items:
        by_round.setdefault(item.round_year, []).append(item)
    sent = reminders.recorded(user)
    outbox = {row.dedupe_key: row for row in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(
            [row.outbox_key for row in sent if row.outbox_key])))}
    feed_url = url_for("calendar.feed", token=token, _external=True) if token else None
    return render_template(
        "calendar/overview.html", by_round=by_round,
        notices=calendar_service.notices(user, now, calendars),
        feed=calendar_service.live_feed(user), feed_url=feed_url, reminders=sent, outbox=outbox,
        rounds=[calendar.round for calendar in calendars], form=FlaskForm(),
    )


@bp.route("/kalender")
@requires()
def overview() -> Any:
    return _overview()


@bp.route("/kalender/abonnement", methods=["POST"])
@requires()
def create_feed() -> Any:
    """Make a new private feed address and show it, this once (only its hash is kept)."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("calendar.overview"))
    token = calendar_service.create_feed(current_user())
    return _overview(token)


@bp.route("/kalender/abonnement/slett", methods=["POST"])
@requires()
def revoke_feed() -> Any:
    if FlaskForm().validate_on_submit() and calendar_service.revoke_feed(current_user()):
        flash("Kalenderadressen er slettet. Kalenderprogrammer som bruker den, får ikke "
              "lenger fristene.", "success")
    return redirect(url_for("calendar.overview"))


@bp.route("/kalender/<token>.ics")
@public
def feed(token: str) -> Any:
    """The private iCal feed. Public in the sense of no login (calendar programs have none):
    the unguessable token is the credential; unknown or revoked tokens answer 404."""
    user = calendar_service.user_for_token(token)
    if user is None:
        abort(404)
    response = Response(calendar_service.ical(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="frister.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --------------------------------------------------------------------------- admin: own dates


class RoundDateForm(FlaskForm):
    day = StringField("Dato", validators=[InputRequired("Velg en dato.")])
    title = StringField("Hva gjelder datoen?", validators=[
        InputRequired("Skriv hva datoen gjelder."),
        Length(max=200, message="Skriv høyst 200 tegn.")])
    description = TextAreaField("Beskrivelse (valgfritt)")
    roles = SelectMultipleField(
        "Gjelder for", choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[InputRequired("Velg hvem datoen gjelder for.")])
    region = SelectField("Helseregion", choices=[SelectChoice("", "Alle helseregioner")]
                         + [SelectChoice(region.value, region.label) for region in Region],
                         default="")
    remind = BooleanField("Send påminnelse på e-post til alle datoen gjelder for", default=True)

    def validate_day(self, field: StringField) -> None:
        try:
            date.fromisoformat(field.data or "")
        except ValueError as error:
            raise ValidationError("Skriv datoen som åååå-mm-dd, for eksempel 2027-01-05.") \
                from error


def _round_or_404(year: int) -> Round:
    round_ = calendar_service.round_by_year(year)
    if round_ is None:
        abort(404)
    return round_


@bp.route("/admin/frister/<int:year>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def round_dates(year: int) -> Any:
    round_ = _round_or_404(year)
    form = RoundDateForm()
    status = 200
    if form.validate_on_submit():
        try:
            row = calendar_service.add_round_date(
                round_, date.fromisoformat(form.day.data or ""), form.title.data or "",
                description=form.description.data or "",
                roles=[Role(value) for value in form.roles.data or []],
                region=Region(form.region.data) if form.region.data else None,
                remind=bool(form.remind.data), actor=current_user())
        except DomainError as error:
            form.day.errors = [*form.day.errors, str(error)]
            status = 422
        else:
            flash(f"Datoen «{row.title}» ({cal.format_date(row.day)}) er lagt til.", "success")
            return redirect(url_for("calendar.round_dates", year=year))
    elif request.method == "POST":
        status = 422
    calendar = calendar_service.load(round_)
    return render_template("calendar/round_dates.html", round=round_, calendar=calendar,
                           own=calendar_service.own_dates(round_), form=form,
                           delete_form=FlaskForm(), now=clock.now()), status


@bp.route("/admin/frister/<int:year>/<int:date_id>/slett", methods=["POST"])
@requires(Role.ADMIN)
def delete_round_date(year: int, date_id: int) -> Any:
    round_ = _round_or_404(year)
    row = db.session.get(RoundDate, date_id)
    if row is None or row.round_id != round_.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        title = row.title
        calendar_service.delete_round_date(row, current_user())
        flash(f"Datoen «{title}» er fjernet.", "success")
    return redirect(url_for("calendar.round_dates", year=year))
