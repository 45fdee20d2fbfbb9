"""Helsedirektoratet's pages: the joint submissions it has received, each application with its
questions and decisions, and the decision letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_wtf import FlaskForm

from soknad.domain import decisions as decision_rules
from soknad.domain.casework import NOTE_MAX_CHARS
from soknad.domain.decisions import FUNCTION_LABELS, NO_APPEAL, DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import needs_function
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.values import parse_date
from soknad.domain.workflow import State
from soknad.extensions import csrf, db
from soknad.models import Application, CaseNote, Round, User
from soknad.models.directorate import JointSubmission
from soknad.services import (
    audit,
    casework,
    coordination,
    directorate,
    inboxes,
    joint,
    lifecycle,
    rounds,
)
from soknad.web.access import application_or_404
from soknad.web.auth import current_user, requires
from soknad.web.listing import read_list_args

bp = Blueprint("directorate", __name__, url_prefix="/hdir")


@bp.route("")
@requires(Role.DIRECTORATE)
def inbox() -> Any:
    """Every joint submission that has been sent (nothing before it is sent), and their
    applications as one list to search, filter (also «Mine saker») and sort."""
    handlers = casework.handlers()
    query = read_list_args(inboxes.directorate_filters(handlers), inboxes.DIRECTORATE_SORT_KEYS,
                           "mottatt", default_descending=True)
    sent = joint.sent_rounds()
    return render_template(
        "directorate/inbox.html", sent=sent, query=query,
        found=inboxes.directorate_inbox(query, current_user()), handlers=handlers,
        years=[round_.year for round_, _ in sent], states=inboxes.DIRECTORATE_STATES,
        regions=list(Region), types=list(ServiceType), kinds=list(ApplicationKind),
        mine=inboxes.MINE, nobody=inboxes.NOBODY)


def _sent_round(year: int) -> tuple[Round, JointSubmission]:
    round_ = rounds.by_year(year)
    sent = joint.sent_for(round_) if round_ else None
    if round_ is None or sent is None:
        abort(404)  # nothing of a round is visible before its joint submission is sent
    return round_, sent


@bp.route("/runder/<int:year>")
@requires(Role.DIRECTORATE)
def joint_submission(year: int) -> Any:
    round_, sent = _sent_round(year)
    found = coordination.national_list(round_)
    assert found is not None
    entries = coordination.listed_applications(found)
    sent_id = sent.id
    page = render_template(
        "directorate/joint.html", sent=sent, round=round_, entries=entries,
        decisions={item.id: directorate.decisions_for(item) for item in entries},
        case=_case(sent, url_for("directorate.assign_joint", year=year),
                   url_for("directorate.note_joint", year=year)))
    audit.record_now(current_user(), "view", "joint_submission", sent_id, round=year)
    return page


@bp.route("/runder/<int:year>/pakke.zip")
@requires(Role.DIRECTORATE)
def package(year: int) -> Any:
    _, sent = _sent_round(year)
    return send_package(sent)


def send_package(sent: JointSubmission) -> Any:
    """The stored package as a download, with its checksum in a header (and in the log)."""
    path = joint.package_path(sent)
    if not path.exists():
        abort(404)
    sent_id, digest = sent.id, sent.package_sha256
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=sent.package_name)
    response.headers["Digest"] = f"sha-256={digest}"
    audit.record_now(current_user(), "download", "joint_submission", sent_id, sha256=digest)
    return response


@bp.route("/soknader/<int:application_id>")
@requires(Role.DIRECTORATE)
def application(application_id: int) -> Any:
    found = application_or_404(application_id)
    organisation_id = found.organisation_id
    page = _render_application(found)
    audit.record_read_across(current_user(), organisation_id, "application", application_id,
                             page="directorate")
    return page


def _render_application(application: Application, *, status: int = 200,
                        errors: dict[str, str] | None = None,
                        values: dict[str, str] | None = None,
                        case: CaseView | None = None) -> Any:
    state = application.state_enum
    return render_template(
        "directorate/application.html", application=application,
        submission=application.latest_submission,
        national_rank=coordination.national_ranks(application.round).get(application.id),
        requests=directorate.requests_for(application),
        decisions=directorate.decisions_for(application),
        history=coordination.history(application),
        may_ask=state is State.SENT_TO_DIRECTORATE,
        may_decide=_may_decide(application),
        may_postpone=state is State.SENT_TO_DIRECTORATE,
        competence=needs_function(application.kind_enum, application.service_type_enum),
        target=lifecycle.target_service(application),
        kinds=list(DecisionKind), functions=FUNCTION_LABELS, no_appeal=NO_APPEAL,
        if_approved=directorate.outcome_dates(application, DecisionKind.APPROVED, None),
        term_end=lambda function: decision_rules.term_ends(
            application.round.year, function, after_postponement=state is State.POSTPONED),
        errors=errors or {}, values=_with_signatory(values or {}), form=FlaskForm(),
        case=case or _application_case(application),
    ), status


def _with_signatory(values: dict[str, str]) -> dict[str, str]:
    """The decision form starts with the signatory of the latest decision; before the first,
    with the deciding user and their title (``User.title``)."""
    if "underskriver" in values:
        return values
    name, title = directorate.last_signatory()
    if not name:
        user = current_user()
        name, title = user.name, user.title or ""
    return values | {"underskriver": name, "tittel": title}


@bp.route("/soknader/<int:application_id>/sporsmal", methods=["POST"])
@requires(Role.DIRECTORATE)
def ask(application_id: int) -> Any:
    application = application_or_404(application_id)
    question = request.form.get("sporsmal", "")
    due_text = request.form.get("frist", "")
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("directorate.application", application_id=application.id))
    try:
        directorate.ask(application, question, parse_date(due_text), current_user())
    except DomainError as error:
        db.session.rollback()
        # The summary links to the field the refusal concerns: the text, else the due date.
        field = "sporsmal" if not question.strip() else "frist"
        return _render_application(application, status=422, errors={field: str(error)},
                                   values={"sporsmal": question, "frist": due_text})
    flash("Spørsmålet er sendt til det regionale helseforetaket.", "success")
    return redirect(url_for("directorate.application", application_id=application.id))


DECISION_FIELDS = ("vedtak", "begrunnelse", "funksjon", "avvikles_fra", "telefon",
                   "underskriver", "tittel")


def _proposal(application: Application) -> tuple[directorate.Proposal | None, dict[str, str]]:
    """The decision as typed in the form (None when no decision is chosen) and the typed
    values, to be shown again."""
    values = {name: request.form.get(name, "") for name in DECISION_FIELDS}
    if values["vedtak"] not in {kind.value for kind in DecisionKind}:
        return None, values
    people = directorate.people_for(current_user(), values["telefon"], values["underskriver"],
                                    values["tittel"])
    return directorate.Proposal(DecisionKind(values["vedtak"]), values["begrunnelse"],
                                values["funksjon"] or None, people,
                                parse_date(values["avvikles_fra"])), values


def _refused(application: Application, proposal: directorate.Proposal | None,
             values: dict[str, str]) -> dict[str, str]:
    """The refusals by form field, so that the error summary links to each."""
    if proposal is None:
        return {"vedtak": "Velg vedtaket: godkjent, avslått eller utsatt."}
    problems = directorate.check(application, proposal)
    if values["avvikles_fra"].strip() and parse_date(values["avvikles_fra"]) is None:
        problems["avvikles_fra"] = ("Skriv en gyldig dato tjenesten avvikles fra, for "
                                    "eksempel 2028-01-01, eller la feltet stå tomt.")
    if "vedtak" in problems:
        message = problems.pop("vedtak")
        problems = {_decision_field(application, values["vedtak"], values["begrunnelse"]):
                    message} | problems
    return problems


@bp.route("/soknader/<int:application_id>/vedtak", methods=["POST"])
@requires(Role.DIRECTORATE)
def decide(application_id: int) -> Any:
    """The first step: check what was typed and show the decision letter as it will be sent,
    with a button that records it (``confirm_decision``). Nothing is stored here."""
    application = application_or_404(application_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("directorate.application", application_id=application.id))
    proposal, values = _proposal(application)
    if "endre" in request.form:  # «Endre vedtaket» on the confirmation page
        return _render_application(application, values=values)
    if not _may_decide(application):
        flash("Søknaden venter ikke lenger på vedtak.", "error")
        return redirect(url_for("directorate.application", application_id=application.id))
    errors = _refused(application, proposal, values)
    if errors or proposal is None:
        return _render_application(application, status=422, errors=errors, values=values)
    return render_template(
        "directorate/confirm_decision.html", application=application, proposal=proposal,
        values=values, letter=directorate.preview(application, proposal, current_user()),
        dates=directorate.outcome_dates(application, proposal.kind, proposal.function,
                                        letter_day(application, proposal)),
        target=lifecycle.target_service(application),
        functions=FUNCTION_LABELS, form=FlaskForm())


@bp.route("/soknader/<int:application_id>/vedtak/bekreft", methods=["POST"])
@requires(Role.DIRECTORATE)
def confirm_decision(application_id: int) -> Any:
    """The second step: record the confirmed decision (it cannot be undone)."""
    application = application_or_404(application_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("directorate.application", application_id=application.id))
    proposal, values = _proposal(application)
    errors = _refused(application, proposal, values)
    if errors or proposal is None:
        return _render_application(application, status=422, errors=errors, values=values)
    try:
        row = directorate.decide(application, proposal.kind, proposal.reasons,
                                 proposal.function, current_user(), people=proposal.people,
                                 terminated_from=proposal.terminated_from)
    except DomainError as error:
        db.session.rollback()
        return _render_application(application, status=422, errors={"vedtak": str(error)},
                                   values=values)
    flash(f"Vedtaket er registrert: {row.kind_enum.label.lower()}.", "success")
    return redirect(url_for("directorate.application", application_id=application.id))


def letter_day(application: Application, proposal: directorate.Proposal) -> Any:
    """The day an approved termination takes effect (None for any other decision)."""
    if (proposal.kind is not DecisionKind.APPROVED
            or application.kind_enum is not ApplicationKind.TERMINATION):
        return None
    return directorate.termination_day(application, proposal.terminated_from)


def _may_decide(application: Application) -> bool:
    return application.state_enum in {State.SENT_TO_DIRECTORATE, State.POSTPONED}


def _decision_field(application: Application, kind_text: str, reasons: str) -> str:
    """The field a refused decision concerns (``domain.decisions.check_decision``), so that
    the error summary links to it: the reasons of a rejection or postponement, the function of
    an approved competence service, else the choice of decision."""
    if kind_text in {DecisionKind.REJECTED, DecisionKind.POSTPONED} and not reasons.strip():
        return "begrunnelse"
    if kind_text == DecisionKind.APPROVED and needs_function(application.kind_enum,
                                                             application.service_type_enum):
        return "funksjon"
    return "vedtak"


# --------------------------------------------------------------------------- case work


@dataclass(frozen=True)
class CaseView:
    """The case handler and internal notes block (``directorate/_case.html``)."""

    handler: User | None
    handlers: list[User]
    notes: list[CaseNote]
    assign_url: str
    note_url: str
    note_text: str = ""
    note_error: str = ""
    handler_error: str = ""
    max_chars: int = NOTE_MAX_CHARS


def _case(subject: casework.Subject, assign_url: str, note_url: str, **kept: str) -> CaseView:
    return CaseView(handler=subject.case_handler, handlers=casework.handlers(),
                    notes=casework.notes(subject, current_user()), assign_url=assign_url,
                    note_url=note_url, **kept)


def _application_case(application: Application, **kept: str) -> CaseView:
    return _case(application,
                 url_for("directorate.assign_application", application_id=application.id),
                 url_for("directorate.note_application", application_id=application.id), **kept)


EXPIRED_FORM = ("Skjemaet var utløpt (for lenge siden siden ble åpnet, eller du logget inn på "
                "nytt). Teksten din står under; trykk på knappen igjen for å lagre.")


def _assign(subject: casework.Subject) -> str:
    """Assign the handler chosen in the form; the refusal's message, else empty."""
    text = request.form.get("saksbehandler", "").strip()
    if not FlaskForm().validate_on_submit():
        return EXPIRED_FORM
    try:
        handler = casework.assign(subject, int(text) if text.isdigit() else None,
                                  current_user())
    except DomainError as error:
        db.session.rollback()
        return str(error)
    flash(f"{handler.name} er saksbehandler." if handler else "Saken har ingen saksbehandler.",
          "success")
    return ""


def _note(subject: casework.Subject) -> tuple[str, str]:
    """Save the note typed; (the refusal's message, the text to keep) or ("", "")."""
    text = request.form.get("notat", "")
    if not FlaskForm().validate_on_submit():
        return EXPIRED_FORM, text
    try:
        casework.add_note(subject, text, current_user())
    except DomainError as error:
        db.session.rollback()
        return str(error), text
    flash("Notatet er lagret.", "success")
    return "", ""


@bp.route("/soknader/<int:application_id>/saksbehandler", methods=["POST"])
@requires(Role.DIRECTORATE)
def assign_application(application_id: int) -> Any:
    application = application_or_404(application_id)
    problem = _assign(application)
    if problem:
        return _render_application(application, status=422, case=_application_case(
            application, handler_error=problem))
    return redirect(url_for("directorate.application", application_id=application_id)
                    + "#saksbehandling")


@bp.route("/soknader/<int:application_id>/notater", methods=["POST"])
@csrf.exempt  # checked in _note, so that an expired form keeps the note typed
@requires(Role.DIRECTORATE)
def note_application(application_id: int) -> Any:
    application = application_or_404(application_id)
    problem, kept = _note(application)
    if problem:
        return _render_application(application, status=422, case=_application_case(
            application, note_error=problem, note_text=kept))
    return redirect(url_for("directorate.application", application_id=application_id)
                    + "#interne-notater")


def _render_joint(year: int, case: CaseView) -> Any:
    round_, sent = _sent_round(year)
    found = coordination.national_list(round_)
    assert found is not None
    entries = coordination.listed_applications(found)
    return render_template(
        "directorate/joint.html", sent=sent, round=round_, entries=entries,
        decisions={item.id: directorate.decisions_for(item) for item in entries},
        case=case), 422


@bp.route("/runder/<int:year>/saksbehandler", methods=["POST"])
@requires(Role.DIRECTORATE)
def assign_joint(year: int) -> Any:
    _, sent = _sent_round(year)
    problem = _assign(sent)
    if problem:
        return _render_joint(year, _case(
            sent, url_for("directorate.assign_joint", year=year),
            url_for("directorate.note_joint", year=year), handler_error=problem))
    return redirect(url_for("directorate.joint_submission", year=year) + "#saksbehandling")


@bp.route("/runder/<int:year>/notater", methods=["POST"])
@csrf.exempt  # checked in _note, so that an expired form keeps the note typed
@requires(Role.DIRECTORATE)
def note_joint(year: int) -> Any:
    _, sent = _sent_round(year)
    problem, kept = _note(sent)
    if problem:
        return _render_joint(year, _case(
            sent, url_for("directorate.assign_joint", year=year),
            url_for("directorate.note_joint", year=year), note_error=problem, note_text=kept))
    return redirect(url_for("directorate.joint_submission", year=year) + "#interne-notater")
