"""The RHF coordinator's pages: the region's inbox, reviewing one application, the region's
ranking, and the national priority list the four RHFs agree on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from soknad import clock
from soknad.domain import compare, guide_checks
from soknad.domain.contact import ContactPerson, cleaned
from soknad.domain.coordination import MERGE_RULE, Decision, Direction
from soknad.domain.dates import long_date
from soknad.domain.errors import DomainError
from soknad.domain.findings import Finding
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.search import ListQuery
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.values import parse_date
from soknad.domain.workflow import EDITABLE, Action, State, transition
from soknad.extensions import db
from soknad.models import Application, Round
from soknad.services import (
    applications,
    audit,
    coordination,
    cross_region,
    directorate,
    inboxes,
    joint,
    rounds,
)
from soknad.web import directorate as directorate_views
from soknad.web.access import application_or_404, attachment_entries, submission_or_404
from soknad.web.auth import current_user, requires
from soknad.web.listing import read_list_args

bp = Blueprint("coordinator", __name__, url_prefix="/rhf")


def _region() -> Region:
    region = current_user().organisation.region_enum
    assert region is not None  # a coordinator always belongs to an RHF
    return region


def _round() -> Round:
    found = Round.current()
    if found is None:
        abort(404)
    return found


def _form_int(name: str) -> int | None:
    text = request.form.get(name, "").strip()
    return int(text) if text.isdigit() else None


def _csrf_ok() -> bool:
    return FlaskForm().validate_on_submit()


# --------------------------------------------------------------------------- inbox


@bp.route("")
@requires(Role.COORDINATOR)
def inbox() -> Any:
    return _render_inbox()


def _render_inbox(status: int = 200, deadline_text: str | None = None,
                  deadline_error: str = "") -> Any:
    round_, region = _round(), _region()
    deadline = rounds.internal_deadline(round_, region)
    passed = deadline is not None and clock.today() > deadline
    query = _inbox_query(region)
    return render_template(
        "coordinator/inbox.html", round=round_, region=region, deadline=deadline,
        deadline_passed=passed,
        deadline_text=deadline_text if deadline_text is not None else (
            deadline.isoformat() if deadline else ""),
        deadline_error=deadline_error,
        query=query,
        found=inboxes.region_inbox(round_, region, query),
        trusts=inboxes.region_trusts(region), states=inboxes.REGION_STATES,
        types=list(ServiceType), kinds=list(ApplicationKind),
        progress=coordination.draft_progress(round_, region),
        drafts=coordination.region_drafts(round_, region) if passed else [],
        partnered=cross_region.partner_applications(round_.id, region),
        form=FlaskForm(),
    ), status


def _inbox_query(region: Region) -> ListQuery:
    return read_list_args(inboxes.region_filters(region), inboxes.REGION_SORT_KEYS, "sendt",
                          default_descending=True)


@bp.route("/frist", methods=["POST"])
@requires(Role.COORDINATOR)
def set_deadline() -> Any:
    text = request.form.get("frist", "").strip()
    if not _csrf_ok():
        return redirect(url_for("coordinator.inbox"))
    day = parse_date(text) if text else None
    if text and day is None:
        return _render_inbox(422, text, f"«{text}» er ikke en dato. Skriv for eksempel "
                                        "1.12.2026.")
    coordination.set_internal_deadline(_round(), _region(), day, current_user())
    flash(f"Intern frist for helseforetakene er satt til {long_date(day)}." if day
          else "Den interne fristen er fjernet.", "success")
    return redirect(url_for("coordinator.inbox"))


@bp.route("/soknader/<int:application_id>/utsatt-frist", methods=["POST"])
@requires(Role.COORDINATOR)
def extend(application_id: int) -> Any:
    application = coordination.region_application_or_none(application_id, _region())
    if application is None or application.state_enum not in EDITABLE:
        abort(404)
    text = request.form.get("til", "").strip()
    day = parse_date(text)
    if _csrf_ok():
        try:
            if day is None:
                raise DomainError(f"«{text}» er ikke en dato. Skriv for eksempel 5.1.2027.")
            coordination.grant_extension(application, day, current_user())
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(f"Søknad nr. {application.id} fra {application.organisation.name} kan sendes "
                  f"inn til og med {long_date(day)}.", "success")
    return redirect(url_for("coordinator.inbox") + "#utsatt-frist")


# --------------------------------------------------------------------------- one application


@bp.route("/soknader/<int:application_id>")
@requires(Role.COORDINATOR)
def review(application_id: int) -> Any:
    application = application_or_404(application_id)
    organisation_id = application.organisation_id
    page = _render_review(application)
    audit.record_read_across(current_user(), organisation_id, "application", application_id,
                             page="review")
    return page


def _render_review(application: Application, *, status: int = 200,
                   errors: dict[str, str] | None = None,
                   values: dict[str, str] | None = None) -> Any:
    latest = application.latest_submission
    if latest is None:
        abort(404)
    document = latest.data()
    spec = applications.spec_of(application)
    all_comments = coordination.comments(application)
    return render_template(
        "coordinator/review.html", application=application, spec=spec, submission=latest,
        answers=document["answers"],
        attachments=attachment_entries(application, document.get("attachments", [])),
        warnings=[Finding.from_dict(i) for i in latest.findings],
        comments=[c for c in all_comments if c.submission_number == latest.number],
        earlier_comments=[c for c in all_comments if c.submission_number != latest.number],
        history=coordination.history(application), errors=errors or {},
        values=values or {}, under_review=application.state_enum is State.SUBMITTED,
        requests=directorate.requests_for(application),
        decisions=directorate.decisions_for(application), form=FlaskForm(),
        partner_comments=cross_region.comments(application),
        disagreement=guide_checks.disagreement(spec, document["answers"]),
    ), status


@bp.route("/soknader/<int:application_id>/kommentar", methods=["POST"])
@requires(Role.COORDINATOR)
def comment(application_id: int) -> Any:
    application = application_or_404(application_id)
    section_id = request.form.get("punkt", "")
    text = request.form.get("kommentar", "")
    if _csrf_ok():
        try:
            coordination.add_comment(application, section_id, text, current_user())
        except DomainError as error:
            return _render_review(application, status=422,
                                  errors={f"kommentar-{section_id}": str(error)},
                                  values={f"kommentar-{section_id}": text})
        flash("Kommentaren er lagret. Helseforetaket ser den hvis du returnerer søknaden.",
              "success")
    return redirect(url_for("coordinator.review", application_id=application.id)
                    + (f"#kommentarer-{section_id}" if section_id else "#kommentarer"))


#: The coordinator's decisions that cannot be undone, and what each is called on the
#: confirmation page; returning is not among them (the health trust can send it in again).
IRREVERSIBLE = {"godta": Action.ACCEPT, "avsla": Action.DECLINE}


@bp.route("/soknader/<int:application_id>/behandling", methods=["POST"])
@requires(Role.COORDINATOR)
def decide(application_id: int) -> Any:
    """Return, accept or decline. Accepting and declining first show what will happen (a page
    of its own, no script needed); only «Ja, …» on that page (``bekreftet=ja``) does it, and
    «Tilbake» shows the review again with what was typed."""
    application = application_or_404(application_id)
    action = request.form.get("handling", "")
    reason = request.form.get("begrunnelse", "")
    if not _csrf_ok():
        return redirect(url_for("coordinator.review", application_id=application.id))
    user = current_user()
    if action == "tilbake":
        return _render_review(application, values={"begrunnelse": reason})
    try:
        if action in IRREVERSIBLE and request.form.get("bekreftet") != "ja":
            transition(application.state_enum, IRREVERSIBLE[action], user.role_enum, reason)
            return render_template(
                "coordinator/confirm_decision.html", application=application, action=action,
                reason=reason, region=_region(), form=FlaskForm(),
                rank=coordination.accept_rank(application) if action == "godta" else None)
        match action:
            case "returner":
                coordination.return_for_revision(application, reason, user)
                message = "Søknaden er returnert til helseforetaket for endring."
            case "godta":
                coordination.accept(application, user)
                message = "Søknaden er godtatt og lagt sist i regionens prioritering."
            case "avsla":
                coordination.decline(application, reason, user)
                message = "Søknaden er avslått. Helseforetaket har fått beskjed."
            case _:
                raise DomainError("Velg hva du vil gjøre med søknaden.")
    except DomainError as error:
        db.session.rollback()
        return _render_review(application, status=422, errors={"begrunnelse": str(error)},
                              values={"begrunnelse": reason, "handling": action})
    flash(message, "success")
    return redirect(url_for("coordinator.review", application_id=application.id))


@bp.route("/soknader/<int:application_id>/endringer")
@requires(Role.COORDINATOR, Role.DIRECTORATE)
def changes(application_id: int) -> Any:
    application = application_or_404(application_id)
    numbers = [item.number for item in application.submissions]
    if len(numbers) < 2:
        abort(404)
    after_number = request.args.get("til", type=int) or numbers[-1]
    before_number = request.args.get("fra", type=int) or after_number - 1
    before = submission_or_404(application, before_number).data()
    after = submission_or_404(application, after_number).data()
    spec = applications.spec_of(application)
    added, removed = compare.changed_attachments(before["attachments"], after["attachments"])
    organisation_id = application.organisation_id
    page = render_template(
        "coordinator/changes.html", application=application, numbers=numbers,
        before_number=before_number, after_number=after_number,
        changes=compare.compare(spec, application.kind_enum, before["answers"],
                                after["answers"]),
        added=added, removed=removed,
        comments=coordination.comments(application, before_number),
        headings={section.id: section.short_heading for section in spec.sections},
    )
    audit.record_read_across(current_user(), organisation_id, "application", application_id,
                             page="changes", versions=[before_number, after_number])
    return page


# --------------------------------------------------------------------------- ranking


@bp.route("/prioritering")
@requires(Role.COORDINATOR)
def ranking() -> Any:
    return _render_ranking()


def _render_ranking(status: int = 200, reason: str | None = None, error: str = "") -> Any:
    round_, region = _round(), _region()
    row = rounds.region_round(round_, region)
    return render_template(
        "coordinator/ranking.html", round=round_, region=region,
        ranked=coordination.regional_ranking(round_, region),
        version=row.ranking_version, reason=row.ranking_reason if reason is None else reason,
        reason_error=error, reason_limit=coordination.REASON_LIMIT,
        locked=coordination.list_locked(round_), form=FlaskForm()), status


@bp.route("/prioritering/begrunnelse", methods=["POST"])
@requires(Role.COORDINATOR)
def save_ranking_reason() -> Any:
    text = request.form.get("begrunnelse", "")
    if _csrf_ok():
        try:
            coordination.set_ranking_reason(_round(), _region(), text, current_user())
        except DomainError as error:
            db.session.rollback()
            return _render_ranking(422, text, str(error))
        flash("Begrunnelsen er lagret. Den står i følgebrevet til Helsedirektoratet."
              if text.strip() else "Begrunnelsen er fjernet.", "success")
    return redirect(url_for("coordinator.ranking") + "#begrunnelse")


def _move_arguments() -> dict[str, Any]:
    if request.form.get("retning") in {item.value for item in Direction}:
        return {"direction": Direction(request.form["retning"])}
    position = _form_int("plass")
    if position is None:
        raise DomainError("Velg en plass i listen.")
    return {"position": position}


@bp.route("/prioritering/flytt", methods=["POST"])
@requires(Role.COORDINATOR)
def move_in_region() -> Any:
    application_id = _form_int("soknad")
    anchor = ""
    if _csrf_ok() and application_id is not None:
        try:
            coordination.move_in_region(_round(), _region(), application_id,
                                        _form_int("versjon") or 0, current_user(),
                                        **_move_arguments())
            anchor = f"#rad-{application_id}"
        except DomainError as error:
            flash(str(error), "error")
    return redirect(url_for("coordinator.ranking") + anchor)


# --------------------------------------------------------------------------- national list


@bp.route("/nasjonal-liste")
@requires(Role.COORDINATOR)
def national_list() -> Any:
    return _render_list()


def _render_list(status: int = 200, error: str = "",
                 values: dict[str, str] | None = None,
                 contact: ContactPerson | None = None,
                 contact_errors: dict[str, str] | None = None) -> Any:
    round_ = _round()
    found = coordination.national_list(round_)
    user = current_user()
    if contact is None and found is not None:
        saved = joint.contact_of(found)
        contact = saved if saved.name else ContactPerson(user.name, user.title or "",
                                                         user.email)
    context: dict[str, Any] = {}
    if found is not None:
        missing, stale = coordination.missing_from_list(round_, found)
        context = {
            "entries": coordination.listed_applications(found),
            "status": coordination.consent_status(found),
            "consents": coordination.current_consents(found),
            "missing": missing, "stale": stale,
        }
    return render_template(
        "coordinator/national_list.html", round=round_, found=found, region=_region(),
        coordinating=coordination.coordinating_region(round_),
        may_edit=coordination.may_edit_list(round_, current_user()),
        regional=coordination.accepted_by_region(round_), merge_rule=MERGE_RULE,
        regions=list(Region), decisions=list(Decision), form=FlaskForm(),
        titles=coordination.titles(round_), error=error, values=values or {},
        sent=joint.sent_of(found) if found else None, reasons=coordination.ranking_reasons(round_),
        contact=contact, contact_errors=contact_errors or {}, user_title=user.title or "",
        **context,
    ), status


def _list_action(action: Callable[[], None], values: dict[str, str] | None = None) -> Any:
    """Run a change to the list; on a refusal show the list again with the message and
    whatever the user wrote, so nothing is lost."""
    if not _csrf_ok():
        return redirect(url_for("coordinator.national_list"))
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        return _render_list(409 if isinstance(error, coordination.StaleError) else 422,
                            str(error), values)
    return redirect(url_for("coordinator.national_list"))


@bp.route("/nasjonal-liste/forslag", methods=["POST"])
@requires(Role.COORDINATOR)
def propose() -> Any:
    def run() -> None:
        coordination.propose(_round(), current_user(), _form_int("versjon"))
        flash("Forslaget til nasjonal liste er laget. De fire RHF-ene kan nå samtykke; "
              "koordinatorene i de andre regionene får beskjed på e-post.", "success")
    return _list_action(run)


@bp.route("/nasjonal-liste/flytt", methods=["POST"])
@requires(Role.COORDINATOR)
def move_in_list() -> Any:
    def run() -> None:
        application_id = _form_int("soknad")
        if application_id is None:
            raise DomainError("Velg en søknad.")
        coordination.move_in_list(_round(), application_id, _form_int("versjon") or 0,
                                  current_user(), **_move_arguments())
    return _list_action(run)


@bp.route("/nasjonal-liste/oppdater", methods=["POST"])
@requires(Role.COORDINATOR)
def refresh_list() -> Any:
    def run() -> None:
        coordination.refresh_list(_round(), _form_int("versjon") or 0, current_user())
        flash("Listen er oppdatert med søknadene regionene har godtatt.", "success")
    return _list_action(run)


@bp.route("/nasjonal-liste/svar", methods=["POST"])
@requires(Role.COORDINATOR)
def answer() -> Any:
    text = request.form.get("kommentar", "")
    choice = request.form.get("svar", "")
    title = request.form.get("tittel")

    def run() -> None:
        if choice not in {item.value for item in Decision}:
            raise DomainError("Velg om regionen samtykker eller ikke.")
        found = coordination.answer(_round(), current_user(), Decision(choice), text,
                                    _form_int("versjon") or 0, title)
        flash("Listen er låst. Den samlede søknaden er klar til å sendes til "
              "Helsedirektoratet." if found.locked_at else "Svaret er registrert.", "success")
    return _list_action(run, {"kommentar": text, "svar": choice, "tittel": title or ""})


# --------------------------------------------------------------------------- sending


@bp.route("/nasjonal-liste/kontaktperson", methods=["POST"])
@requires(Role.COORDINATOR)
def save_contact() -> Any:
    """Step 1 of sending: the contact person; then the confirmation page shows the letter."""
    person = cleaned(*(request.form.get(name, "") for name in
                       ("navn", "tittel", "epost", "telefon")))
    if not _csrf_ok():
        return redirect(url_for("coordinator.national_list"))
    try:
        problems = joint.set_contact(_round(), current_user(), person)
    except DomainError as error:
        db.session.rollback()
        return _render_list(422, str(error), contact=person)
    if problems:
        return _render_list(422, contact=person, contact_errors=problems)
    return redirect(url_for("coordinator.confirm_send"))


@bp.route("/nasjonal-liste/send")
@requires(Role.COORDINATOR)
def confirm_send() -> Any:
    """Step 2 of sending: what will happen, the cover letter's content and the package's
    files, before the one button that sends."""
    try:
        found = joint.preview(_round(), current_user())
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("coordinator.national_list") + "#send")
    return render_template("coordinator/confirm_send.html", round=_round(), preview=found,
                           form=FlaskForm())


@bp.route("/nasjonal-liste/send", methods=["POST"])
@requires(Role.COORDINATOR)
def send() -> Any:
    def run() -> None:
        sent = joint.send(_round(), current_user())
        flash(f"Den samlede søknaden er sendt til Helsedirektoratet med kopi til "
              f"{sent.copy_to}. Kontrollsum (SHA-256): {sent.package_sha256}.", "success")
    return _list_action(run)


@bp.route("/nasjonal-liste/pakke.zip")
@requires(Role.COORDINATOR)
def package() -> Any:
    """The sent package, for the coordinating RHF (the other RHFs see the list online)."""
    round_ = _round()
    sent = joint.sent_for(round_)
    if sent is None or not coordination.may_edit_list(round_, current_user()):
        abort(404)
    return directorate_views.send_package(sent)


@bp.route("/soknader/<int:application_id>/svar", methods=["POST"])
@requires(Role.COORDINATOR)
def answer_question(application_id: int) -> Any:
    application = application_or_404(application_id)
    text = request.form.get("svar", "")
    if _csrf_ok():
        try:
            directorate.answer(application, text, current_user())
        except DomainError as error:
            db.session.rollback()
            return _render_review(application, status=422, errors={"svar": str(error)},
                                  values={"svar": text})
        flash("Svaret er sendt til Helsedirektoratet.", "success")
    return redirect(url_for("coordinator.review", application_id=application.id))
