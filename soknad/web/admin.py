"""The administrator's pages: users and their organisations, rounds, drafts no one sent, the
e-mail outbox, and the audit log."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired

from soknad.domain import outbox as outbox_words
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.values import parse_date
from soknad.extensions import db
from soknad.models import Organisation, Round, User
from soknad.services import audit, coordination, mail
from soknad.services import drafts as draft_service
from soknad.services import users as user_service
from soknad.web.auth import current_user, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


def _number(value: Any) -> int | None:
    """A choice's id; None for anything else (refused with a Norwegian message, not
    WTForms' English one)."""
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _choices(form: UserForm | EditUserForm) -> tuple[Role, Organisation | None]:
    """The role and organisation chosen; ``UserInputError`` when a value is not on the list."""
    if form.role.data not in {role.value for role in Role}:
        raise user_service.UserInputError("role", "Velg en rolle fra listen.")
    organisation = (db.session.get(Organisation, form.organisation.data)
                    if form.organisation.data is not None else None)
    return Role(form.role.data), organisation


class UserForm(FlaskForm):
    name = StringField("Navn", validators=[InputRequired("Skriv navnet på brukeren.")])
    email = EmailField("E-postadresse", validators=[InputRequired("Skriv e-postadressen.")])
    role = SelectField("Rolle", choices=ROLE_CHOICES, validate_choice=False)
    organisation = SelectField("Organisasjon", coerce=_number, validate_choice=False)
    password = PasswordField(f"Første passord (valgfritt, minst "
                             f"{user_service.MIN_PASSWORD_LENGTH} tegn)")


class EditUserForm(FlaskForm):
    name = StringField("Navn", validators=[InputRequired("Skriv navnet på brukeren.")])
    email = EmailField("E-postadresse", validators=[InputRequired("Skriv e-postadressen.")])
    role = SelectField("Rolle", choices=ROLE_CHOICES, validate_choice=False)
    organisation = SelectField("Organisasjon", coerce=_number, validate_choice=False)
    active = RadioField("Status", choices=[SelectChoice("ja", "Aktiv: kan logge inn"),
                                           SelectChoice("nei", "Deaktivert: kan ikke logge inn")],
                        validate_choice=False,
                        validators=[InputRequired("Velg aktiv eller deaktivert.")])


def _organisation_choices(form: UserForm | EditUserForm) -> None:
    form.organisation.choices = [SelectChoice(str(org.id), org.name)
                                 for org in user_service.organisations()]


def _show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's message beside the field it is about (the e-mail field when unknown)."""
    name = getattr(error, "field", "email")
    field = form[name] if name in form else form["email"]
    field.errors = [*field.errors, str(error)]


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/brukere", methods=["GET", "POST"])
@requires(Role.ADMIN)
def users() -> Any:
    form = UserForm()
    _organisation_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            role, organisation = _choices(form)
            user = user_service.create_user(
                form.name.data or "", form.email.data or "", role, organisation,
                form.password.data or None, actor=current_user(),
            )
        except DomainError as error:
            _show_error(form, error)
            status = 422
        else:
            if form.password.data:
                flash(f"Brukeren {user.name} ({user.email}) er opprettet.", "success")
            else:
                flash(f"Brukeren {user.name} ({user.email}) er opprettet, og en lenke for å "
                      f"sette passord sendes til {user.email}. Lenken virker i "
                      f"{user_service.link_hours()} timer.", "success")
            return redirect(url_for("admin.users"))
    elif form.errors:
        status = 422
    return render_template("admin/users.html", form=form, users=user_service.all_users(),
                           toggle=FlaskForm()), status


@bp.route("/brukere/<int:user_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit_user(user_id: int) -> Any:
    """One user's name, e-mail, role, organisation and status; and a new set-password link."""
    user = _user_or_404(user_id)
    form = EditUserForm(data=None if request.method == "POST" else {
        "name": user.name, "email": user.email, "role": user.role,
        "organisation": user.organisation_id, "active": "ja" if user.active else "nei"})
    _organisation_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            role, organisation = _choices(form)
            if form.active.data not in {"ja", "nei"}:
                raise user_service.UserInputError("active", "Velg aktiv eller deaktivert.")
            changed = user_service.update_user(
                user, name=form.name.data or "", email=form.email.data or "", role=role,
                organisation=organisation, active=form.active.data == "ja",
                actor=current_user())
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
            status = 422
        else:
            flash(f"Endret {', '.join(changed)} for {user.name}." if changed
                  else f"Ingenting er endret for {user.name}.", "success" if changed else "info")
            return redirect(url_for("admin.users"))
    elif form.errors:
        status = 422
    return render_template("admin/user.html", form=form, user=user,
                           is_self=user.id == current_user().id,
                           hours=user_service.link_hours()), status


@bp.route("/brukere/<int:user_id>/passordlenke", methods=["POST"])
@requires(Role.ADMIN)
def send_password_link(user_id: int) -> Any:
    user = _user_or_404(user_id)
    if FlaskForm().validate_on_submit():
        try:
            user_service.send_password_link(user, current_user())
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(f"En lenke for å sette passord sendes til {user.email}. Den virker én gang "
                  f"og i {user_service.link_hours()} timer.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/brukere/<int:user_id>/aktiv", methods=["POST"])
@requires(Role.ADMIN)
def toggle_active(user_id: int) -> Any:
    user = _user_or_404(user_id)
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


# --------------------------------------------------------------------------- drafts


@bp.route("/utkast")
@requires(Role.ADMIN)
def drafts() -> Any:
    """The drafts no one has sent, each with a link to delete it."""
    return render_template("admin/drafts.html", drafts=draft_service.never_sent())


@bp.route("/utkast/<int:application_id>/slett", methods=["GET", "POST"])
@requires(Role.ADMIN)
def delete_draft(application_id: int) -> Any:
    """Ask first (a page of its own, no script needed), then delete."""
    rows = draft_service.never_sent(application_id)
    if not rows:
        flash("Søknaden kan ikke slettes: den er sendt inn eller finnes ikke lenger. Bare utkast "
              "som aldri er sendt, kan slettes.", "error")
        return redirect(url_for("admin.drafts"))
    application = rows[0].application
    if request.method == "POST" and FlaskForm().validate_on_submit():
        organisation = application.organisation.name
        try:
            title = draft_service.delete_draft(application_id, current_user())
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(f"Utkastet «{title}» fra {organisation} er slettet. "
                  "Revisjonsloggen viser hva som ble slettet.", "success")
        return redirect(url_for("admin.drafts"))
    return render_template("admin/delete_draft.html", application=application,
                           files=rows[0].attachments)


# --------------------------------------------------------------------------- the outbox


@bp.route("/e-post")
@requires(Role.ADMIN)
def outbox() -> Any:
    """What the e-mail outbox holds, so that e-mail that does not get out is noticed."""
    state = mail.outbox_state()
    return render_template("admin/outbox.html", state=state,
                           age=outbox_words.age_text(state.oldest_unsent_age)
                           if state.oldest_unsent_age is not None else "",
                           stale=outbox_words.is_stale(state.oldest_unsent_age))


@bp.route("/e-post/<int:message_id>/prov-igjen", methods=["POST"])
@requires(Role.ADMIN)
def retry_mail(message_id: int) -> Any:
    if FlaskForm().validate_on_submit():
        report = mail.retry(message_id, current_user().id)
        if report is None:
            flash("Meldingen er allerede sendt eller finnes ikke.", "info")
        elif report.sent:
            flash(f"Sendt: {report.sent[0]}.", "success")
        elif report.failed:
            flash(f"Sendingen feilet igjen: {report.failed[0]}. Den prøves igjen automatisk "
                  "senere.", "error")
        else:
            flash("Meldingen sendes akkurat nå av planleggeren.", "info")
    return redirect(url_for("admin.outbox"))


# --------------------------------------------------------------------------- the audit log

AUDIT_ARGS = ("handling", "person", "organisasjon", "objekttype", "objekt", "fra", "til")


def _audit_filters() -> tuple[audit.Filters, list[tuple[str, str]]]:
    """The filters in the query string, and (field id, message) for any that cannot be read."""
    args = request.args
    problems: list[tuple[str, str]] = []

    def number(name: str, message: str) -> int | None:
        text = args.get(name, "").strip()
        if not text:
            return None
        if not text.isdigit():
            problems.append((name, message.format(text=text)))
            return None
        return int(text)

    def day(name: str) -> Any:
        text = args.get(name, "").strip()
        found = parse_date(text) if text else None
        if text and found is None:
            problems.append((name, f"«{text}» er ikke en dato. Skriv for eksempel 1.12.2026."))
        return found

    filters = audit.Filters(
        action=args.get("handling", "").strip(), actor=args.get("person", "").strip(),
        organisation_id=number("organisasjon", "Velg en organisasjon fra listen."),
        object_type=args.get("objekttype", "").strip(),
        object_id=number("objekt", "«{text}» er ikke et id-nummer. Skriv bare sifre."),
        date_from=day("fra"), date_to=day("til"),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        problems.append(("til", "Til-datoen kan ikke være før fra-datoen."))
    return filters, problems


@bp.route("/logg")
@requires(Role.ADMIN)
def audit_log() -> Any:
    """The audit log, newest first, 100 to a page, filtered by what the query string says."""
    filters, problems = _audit_filters()
    page = audit.search(filters, request.args.get("side", 1, type=int)) if not problems else None
    kept = {name: request.args[name] for name in AUDIT_ARGS if request.args.get(name)}
    return render_template(
        "admin/audit.html", page=page, problems=problems, args=kept,
        actions=audit.actions_in_use(), object_types=audit.object_types(),
        organisations=audit.organisations(),
    ), 422 if problems else 200


CSV_COLUMNS = ("Tidspunkt (UTC)", "Tidspunkt (norsk tid)", "Bruker-id", "Navn", "E-post",
               "Organisasjon", "Rolle", "Adresse", "Hendelse", "Hendelseskode", "Objekttype",
               "Objekt-id", "Resultat", "Detaljer")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@bp.route("/logg.csv")
@requires(Role.ADMIN)
def audit_log_csv() -> Any:
    """The filtered log as CSV (semicolon-separated, UTF-8 with BOM for Excel)."""
    filters, problems = _audit_filters()
    if problems:
        return redirect(url_for("admin.audit_log", **request.args))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in audit.search_all(filters):
        entry = row.entry
        writer.writerow([_cell(value) for value in (
            entry.at.isoformat(), row.oslo_time, entry.actor_id, row.actor_name,
            row.actor_email, row.organisation.name if row.organisation else "", row.role_label,
            entry.address, row.action_label, entry.action, row.object_label, entry.object_id,
            row.outcome_label, row.details)])
    audit.record_now(current_user(), "download", "audit_log", None,
                     **{name: request.args[name] for name in AUDIT_ARGS
                        if request.args.get(name)})
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="revisjonslogg.csv"'})
