"""Login, logout, the signed-in user (``g.user``) and the role declaration of every view.

Every view is decorated with ``@requires(role, …)`` or ``@public``; ``create_app`` refuses to
start when one is not (deny by default), and the access-matrix test walks every route.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from soknad.domain.roles import Role
from soknad.domain.words import amount
from soknad.models import User
from soknad.services import auth as auth_service

bp = Blueprint("auth", __name__)

View = TypeVar("View", bound=Callable[..., Any])
ALL_ROLES = frozenset(Role)


def public(view: View) -> View:
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view


def requires(*roles: Role) -> Callable[[View], View]:
    """Only signed-in users with one of ``roles`` may use the view; others are sent to log in
    (not signed in) or get 404 (signed in with another role: the page does not exist for them)."""
    allowed = frozenset(roles) or ALL_ROLES

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return redirect_to_login()
            if g.user.role_enum not in allowed:
                abort(404)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


#: Posts that carry what someone wrote: an ended session or a failure of ours shows the page
#: again with the text (``rescuer``), after login when the session had ended.
RESCUED_ENDPOINTS = {"applicant.section", "reports.section", "report_inbox.return_report",
                     "report_assessment.assess", "report_assessment.supplement"}
JSON_ENDPOINTS = {"applicant.autosave", "applicant.upload"}
SESSION_ENDED_JSON = (
    "Du er logget ut. Teksten din er ikke lagret ennå, men den står i skjemaet. Logg inn i en ny "
    "fane, så lagres den automatisk."
)


def redirect_to_login() -> Any:
    """Ask for login without losing a post: a point being saved comes back after login with
    what was typed; a script's save is told in JSON; anything else goes to the login page."""
    if request.method == "POST" and request.endpoint in JSON_ENDPOINTS:
        return jsonify(status="error", reason="session", message=SESSION_ENDED_JSON), 401
    if request.method == "POST" and request.endpoint in RESCUED_ENDPOINTS:
        form = LoginForm(formdata=None)
        form.rescue_target.data = request.path
        return render_template("auth/login.html", form=form, rescue=rescued_fields(),
                               rescue_notice=True), 401
    if g.get("session_expired"):
        flash("Økten din er utløpt. Logg inn på nytt.", "info")
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", neste=target.rstrip("?") if target else None))


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login, or None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def load_user() -> None:
    g.user = None
    g.session_expired = False
    token = session.get("token")
    if token:
        g.user = auth_service.user_for_token(token)
        if g.user is None:
            session.clear()
            g.session_expired = True


def init_app(app: Flask) -> None:
    app.before_request(load_user)
    # Cache-Control: no-store and the other security headers: soknad/web/errors.py
    # security_headers, for every response.


class LoginForm(FlaskForm):
    email = EmailField("E-postadresse", validators=[InputRequired("Skriv e-postadressen din.")])
    password = PasswordField("Passord", validators=[InputRequired("Skriv passordet ditt.")])
    neste = HiddenField()
    rescue_target = HiddenField()


RESCUE_PREFIX = "rescue__"


def rescued_fields() -> list[tuple[str, str]]:
    """The fields of a post that came in after the session ended, to carry through login."""
    return [(RESCUE_PREFIX + key, value) for key, values in request.form.lists()
            for value in values if key != "csrf_token"]


def rescue_target_endpoint(path: str) -> tuple[str, dict[str, Any]] | None:
    from flask import current_app

    if not safe_next(path):
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, arguments = adapter.match(path, method="POST")
    except (HTTPException, RequestRedirect):
        return None
    return endpoint, arguments


@bp.route("/logg-inn", methods=["GET", "POST"])
@public
def login() -> Any:
    form = LoginForm()
    if request.method == "GET":
        form.neste.data = request.args.get("neste", "")
    rescue = [(key, value) for key, values in request.form.lists() for value in values
              if key.startswith(RESCUE_PREFIX)]
    if form.validate_on_submit():
        try:
            user = auth_service.authenticate(form.email.data or "", form.password.data or "",
                                             request.remote_addr)
        except auth_service.LoginThrottled as throttled:
            return _throttled_page(form, rescue, throttled.retry_after)
        if user is None:
            form.password.errors = [
                "Feil e-postadresse eller passord. Sjekk at du har skrevet riktig, og prøv igjen."
            ]
        else:
            session.clear()  # a new session: nothing from before login survives (fixation)
            g.pop("csrf_token", None)  # nor the CSRF token cached for this request
            session.permanent = True
            session["token"] = auth_service.start_session(user)
            g.user = user
            if rescue and form.rescue_target.data:
                return _resume_rescued_post(form.rescue_target.data, rescue)
            return redirect(safe_next(form.neste.data) or url_for("home.index"))
    status = 200 if request.method == "GET" or not form.errors else 422
    return render_template("auth/login.html", form=form, rescue=rescue), status


def throttled_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (f"For mange mislykkede innlogginger. Vent {amount(minutes, 'minutt', 'minutter')} "
            "og prøv igjen.")


def _throttled_page(form: LoginForm, rescue: list[tuple[str, str]], seconds: int) -> Any:
    """429: the login page again with the e-mail (and any rescued post) kept, and how long
    to wait, in the text and in ``Retry-After``."""
    page = render_template("auth/login.html", form=form, rescue=rescue,
                           throttled=throttled_message(seconds))
    return page, 429, {"Retry-After": str(seconds)}


def _resume_rescued_post(target: str, rescue: list[tuple[str, str]]) -> Any:
    """Show the page the person was saving, with what they typed, for them to save again."""
    from werkzeug.datastructures import ImmutableMultiDict

    match = rescue_target_endpoint(target)
    if match is None or match[0] not in RESCUED_ENDPOINTS:
        return redirect(url_for("home.index"))
    data = ImmutableMultiDict([(key.removeprefix(RESCUE_PREFIX), value) for key, value in rescue])
    return rescuer(match[0])(data=data, **match[1])


def rescuer(endpoint: str) -> Callable[..., Any]:
    """The view that shows a rescued post of ``endpoint`` (in ``RESCUED_ENDPOINTS``) again:
    called with the posted ``data``, the route's arguments, ``why`` and ``status``."""
    from soknad.web import applicant, report_assessment, report_inbox, report_sections

    return {"applicant.section": applicant.show_rescued,
            "reports.section": report_sections.show_rescued,
            "report_inbox.return_report": report_inbox.show_rescued,
            "report_assessment.assess": report_assessment.show_rescued,
            "report_assessment.supplement": report_assessment.show_rescued}[endpoint]


class SetPasswordForm(FlaskForm):
    password = PasswordField("Nytt passord", validators=[InputRequired("Skriv et passord.")])
    repeat = PasswordField("Gjenta passordet",
                           validators=[InputRequired("Skriv passordet en gang til.")])


LINK_PROBLEMS = {
    "expired": ("Lenken har gått ut",
                "En lenke for å sette passord virker i {hours} timer, og denne er eldre."),
    "used": ("Lenken er allerede brukt",
             "En lenke for å sette passord virker bare én gang. Har du satt passordet, kan du "
             "logge inn med det."),
    "invalid": ("Lenken virker ikke",
                "Lenken er ikke gyldig. Sjekk at du har med hele lenken fra e-posten."),
}


@bp.route("/sett-passord/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> Any:
    """The page a set-password link opens: choose a password, then log in with it."""
    from soknad.services import users as user_service

    check = user_service.check_password_link(token)
    if check.user is None:
        assert check.problem is not None
        title, text = LINK_PROBLEMS[check.problem.value]
        return render_template("auth/set_password_problem.html", title=title,
                               text=text.format(hours=user_service.link_hours())), (
            404 if check.problem.value == "invalid" else 410)
    form = SetPasswordForm()
    if form.validate_on_submit():
        password = form.password.data or ""
        try:
            user_service.check_password(password)
            if password != form.repeat.data:
                raise user_service.UserInputError("repeat", "Passordene er ikke like. Skriv "
                                                            "det samme passordet i begge feltene.")
            user_service.set_password_with_link(check.user, password)
        except user_service.UserInputError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            session.clear()
            flash("Passordet ditt er satt. Logg inn med e-postadressen din og det nye passordet.",
                  "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/set_password.html", form=form, user=check.user,
                           min_length=user_service.MIN_PASSWORD_LENGTH), status


@bp.route("/logg-ut", methods=["POST"])
@requires()
def logout() -> Any:
    token = session.get("token")
    if token:
        auth_service.end_session(token)
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("auth.login"))


def current_user() -> User:
    user = g.user
    assert user is not None
    return user
