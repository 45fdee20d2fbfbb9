"""The start page for each role, the session probe for the scripts, and public pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from soknad.domain.roles import Role
from soknad.domain.tasks import Link, Task
from soknad.extensions import db
from soknad.services import tasks as task_service
from soknad.web.auth import public

bp = Blueprint("home", __name__)

START_PAGES = {
    Role.APPLICANT: "applicant.dashboard",
    Role.COORDINATOR: "coordinator.inbox",
    Role.DIRECTORATE: "directorate.inbox",
    Role.ADMIN: "admin.users",
}


@bp.route("/")
@public
def index() -> Any:
    if g.user is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for(START_PAGES[g.user.role_enum]))


@bp.app_template_global("task_list")
def task_list() -> list[Task]:
    """The start pages' «Dine oppgaver» (``templates/_tasks.html``) for the signed-in user."""
    if g.get("user") is None:
        return []
    return task_service.for_user(g.user)


@bp.app_template_global("task_href")
def task_href(link: Link) -> str:
    """Where a task is done."""
    return url_for(link.endpoint, **link.values) + (f"#{link.anchor}" if link.anchor else "")


@bp.route("/okt")
@public
def session_status() -> Any:
    """For the autosave script: is the session alive, and a fresh CSRF token if so."""
    if g.user is None:
        return jsonify(logged_in=False)
    return jsonify(logged_in=True, csrf_token=generate_csrf())


@bp.route("/tilgjengelighet")
@public
def accessibility() -> Any:
    return render_template("accessibility.html")


@bp.route("/helse")
@public
def health() -> Any:
    db.session.execute(select(1))
    return jsonify(status="ok")
