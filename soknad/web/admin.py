"""The administrator's pages: users and their organisations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired

from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Organisation, Round, User
from soknad.services import coordination
from soknad.services import users as user_service
from soknad.web.auth import current_user, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):
    name = StringField("Navn", validators=[InputRequired("Skriv navnet på brukeren.")])
    email = EmailField("E-postadresse", validators=[InputRequired("Skriv e-postadressen.")])
    role = SelectField("Rolle", choices=[SelectChoice(role.value, role.label) for role in Role])
    organisation = SelectField("Organisasjon", coerce=int)
    password = PasswordField(
        f"Første passord (minst {user_service.MIN_PASSWORD_LENGTH} tegn)",
        validators=[InputRequired("Skriv et første passord.")],
    )


@bp.route("/brukere", methods=["GET", "POST"])
@requires(Role.ADMIN)
def users() -> Any:
    form = UserForm()
    form.organisation.choices = [SelectChoice(str(org.id), org.name)
                                 for org in user_service.organisations()]
    status = 200
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation.data)
        try:
            if organisation is None:
                raise DomainError("Velg en organisasjon.")
            user = user_service.create_user(
                form.name.data or "", form.email.data or "", Role(form.role.data), organisation,
                form.password.data or "", actor=current_user(),
            )
        except DomainError as error:
            form.email.errors = [*form.email.errors, str(error)]
            status = 422
        else:
            flash(f"Brukeren {user.name} ({user.email}) er opprettet.", "success")
            return redirect(url_for("admin.users"))
    elif form.errors:
        status = 422
    return render_template("admin/users.html", form=form, users=user_service.all_users(),
                           toggle=FlaskForm()), status


@bp.route("/brukere/<int:user_id>/aktiv", methods=["POST"])
@requires(Role.ADMIN)
def toggle_active(user_id: int) -> Any:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user().id:
        flash("Du kan ikke deaktivere deg selv.", "error")
    elif FlaskForm().validate_on_submit():
        user_service.set_active(user, not user.active, current_user())
        flash(f"{user.name} er {'aktivert' if user.active else 'deaktivert'}.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/runder", methods=["GET", "POST"])
@requires(Role.ADMIN)
def rounds() -> Any:
    """Which RHF coordinates each round (it builds the national priority list)."""
    status = 200
    if request.method == "POST" and FlaskForm().validate_on_submit():
        found = db.session.get(Round, request.form.get("runde", type=int) or 0)
        choice = request.form.get("koordinerende", "")
        try:
            if found is None:
                raise DomainError("Velg en søknadsrunde.")
            if choice and choice not in {region.value for region in Region}:
                raise DomainError("Velg et av de fire regionale helseforetakene.")
            coordination.set_coordinating_region(found, Region(choice) if choice else None,
                                                 current_user())
        except DomainError as error:
            flash(str(error), "error")
            status = 422
        else:
            flash(f"{found.title}: {Region(choice).label + ' RHF' if choice else 'ingen'} "
                  "koordinerer runden.", "success")
            return redirect(url_for("admin.rounds"))
    return render_template("admin/rounds.html", rounds=db.session.scalars(
        select(Round).order_by(Round.year.desc())).all(), regions=list(Region)), status
