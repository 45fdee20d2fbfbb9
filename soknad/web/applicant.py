"""The health trust's pages: dashboard, new application, the points, check, submit, receipt."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired

from soknad.domain import registry_pick
from soknad.domain.completeness import percent_complete
from soknad.domain.errors import AttachmentError, DomainError
from soknad.domain.findings import Finding, Severity
from soknad.domain.findings_shown import findings_shown
from soknad.domain.formspec import FieldKind, FormSpec, Section
from soknad.domain.kinds import needs_registry_service
from soknad.domain.roles import Role
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application, ApplicationSection
from soknad.services import applications as service
from soknad.services import attachments as attachment_service
from soknad.services import (
    audit,
    catalogue,
    coordination,
    directorate,
    exchange,
    joint,
    organisations,
    pdfs,
    points,
    rounds,
)
from soknad.web import form_builder, fragments
from soknad.web.access import (
    application_or_404,
    attachment_entries,
    attachment_or_404,
    can_edit,
    submission_or_404,
)
from soknad.web.auth import current_user, requires
from soknad.web.filters import clock

bp = Blueprint("applicant", __name__, url_prefix="/soknader")

READERS = (Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NewApplicationForm(FlaskForm):
    service_type = RadioField(
        "Hva søker dere om?",
        choices=[SelectChoice(item.value, item.label) for item in ServiceType],
        validators=[InputRequired("Velg hvilken type tjeneste søknaden gjelder.")],
    )
    kind = RadioField(
        "Hva slags søknad er det?",
        choices=[SelectChoice(item.value, item.label) for item in ApplicationKind],
        default=ApplicationKind.ESTABLISHMENT.value,
        validators=[InputRequired("Velg hva slags søknad det er.")],
    )
    # Change, rename and termination: the approved service, from the registry (it can also be
    # picked later in the point «Tjenesten søknaden gjelder»).
    tjeneste = StringField("Den godkjente tjenesten søknaden gjelder")


# --------------------------------------------------------------------------- dashboard and new

#: The fields of the new application's page a link may fill in (``?kind=avvikling&…``).
NEW_FROM_LINK = ("service_type", "kind", "tjeneste")


@bp.route("/")
@requires(Role.APPLICANT)
def dashboard() -> Any:
    user = current_user()
    rows = [(application, service.draft_status(application).percent)
            for application in service.applications_of(user)]
    ranks = {round_id: coordination.national_ranks(round_)
             for round_id, round_ in {a.round_id: a.round for a, _ in rows}.items()}
    return render_template("applicant/dashboard.html", rows=rows, ranks=ranks)


@bp.route("/ny", methods=["GET", "POST"])
@requires(Role.APPLICANT)
def new() -> Any:
    # A link may name what to start (from a report whose assessment proposes a termination).
    form = NewApplicationForm(data={name: request.args[name] for name in NEW_FROM_LINK
                                    if name in request.args})
    registry = catalogue.current().registry
    if form.validate_on_submit() and _target_is_sound(form, registry):
        kind = ApplicationKind(form.kind.data)
        answers = ({"gjeldende_tjeneste": form.tjeneste.data}
                   if needs_registry_service(kind) and form.tjeneste.data else {})
        try:
            application = service.create_draft(
                current_user(), ServiceType(form.service_type.data), kind, answers
            )
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash("Søknaden er opprettet. Du kan fylle ut punktene i den rekkefølgen du vil.",
                  "success")
            return redirect(url_for("applicant.overview", application_id=application.id))
    status = 422 if form.errors else 200
    groups = [(service_type.label, registry_pick.options(registry, service_type))
              for service_type in ServiceType]
    return render_template("applicant/new.html", form=form, registry_groups=groups), status


def _target_is_sound(form: NewApplicationForm, registry: Any) -> bool:
    """A service picked on the page is an approved one of the chosen type (the error is put at
    the field, and the page is shown again with the choices kept)."""
    kind = ApplicationKind(form.kind.data)
    if not needs_registry_service(kind) or not form.tjeneste.data:
        return True
    problem = registry_pick.choice_problem(form.tjeneste.data, registry,
                                           ServiceType(form.service_type.data),
                                           form.tjeneste.label.text)
    if problem:
        form.tjeneste.errors = [problem]
        return False
    return True


# --------------------------------------------------------------------------- one application


def _status(application: Application) -> tuple[FormSpec, list[Finding], list[Any]]:
    status = service.draft_status(application)
    return status.spec, status.findings, status.sections


@bp.route("/<int:application_id>")
@requires(Role.APPLICANT)
def overview(application_id: int) -> Any:
    return _render_overview(application_or_404(application_id, draft=True))


def _render_overview(application: Application, *, status: int = 200,
                     answer_text: str = "", answer_error: str = "") -> Any:
    spec, findings, sections = _status(application)
    editable = can_edit(application)
    return render_template(
        "applicant/overview.html", application=application, spec=spec, sections=sections,
        findings=findings, percent=percent_complete(sections), editable=editable,
        last_submit_day=rounds.last_submit_day(application) if editable else None,
        comments=coordination.comments_for_applicant(application),
        history=coordination.history(application),
        national_rank=coordination.national_ranks(application.round).get(application.id),
        requests=directorate.requests_for(application),
        decisions=directorate.decisions_for(application), answer_text=answer_text,
        answer_error=answer_error,
    ), status


def registry_services(spec: FormSpec, section: Section) -> list[Any]:
    """The approved services a registry pick in the point can name (none if it has none)."""
    if not any(item.kind is FieldKind.REGISTRY_SERVICE for item in section.fields):
        return []
    return registry_pick.options(catalogue.current().registry, spec.service_type)


def _section_or_404(spec: FormSpec, section_id: str, application: Application) -> Section:
    try:
        section = spec.section(section_id)
    except KeyError:
        abort(404)
    if not section.applies_to(application.kind_enum):
        abort(404)
    return section


def _render_section(application: Application, spec: FormSpec, section: Section,
                    unsaved: dict[str, Any] | None = None, version: int | None = None, *,
                    status: int = 200, conflict: ApplicationSection | None = None,
                    message: str = "", message_kind: str = "error",
                    problems: dict[str, list[str]] | None = None) -> Any:
    """The point's page with the stored answers, or with ``unsaved`` answers (a refused save:
    what was typed is shown again, checked as typed, with the ``version`` it was based on).
    ``problems`` (field id → messages) are why a save was refused, for the error summary.

    The findings are shown once the point has been saved, when asked for (``?sjekk=1``, the
    links of «Kontroller søknaden»), and after a refused save (``domain.findings_shown``).

    The checked draft, the fields and the list of points are kept between requests under the
    draft's revision (``fragments``), so an unchanged draft is shown without reading its answers
    or attachments again."""
    checked = service.draft_status(application, unsaved=unsaved)
    if unsaved is None:
        version = checked.versions[section.id]
    sections = checked.sections
    position = [item.section.id for item in sections].index(section.id)
    shown = findings_shown(checked.versions[section.id], sections[position].started,
                           asked=request.args.get("sjekk") == "1", refused=unsaved is not None)
    findings = [finding for finding in checked.findings
                if finding.section == section.id] if shown else []
    editable = can_edit(application)
    max_upload_mb = attachment_service.limit_bytes() // (1024 * 1024)

    def values() -> dict[str, Any]:
        return unsaved if unsaved is not None else service.section_row(application,
                                                                       section.id).data

    fields = fragments.cached(
        checked.key and ("fields", checked.key, section.id, max_upload_mb, shown),
        lambda: get_template_attribute("_fields.html", "section_fields")(
            section, values(), findings, service.draft_attachments(application),
            organisations.health_trusts(), max_upload_mb, editable,
            registry_services(spec, section)),
    ) if editable else None
    points_nav = fragments.cached(
        checked.key and ("points", checked.key, section.id),
        lambda: get_template_attribute("_fields.html", "points_nav")(
            application, sections, section),
    )
    return render_template(
        "applicant/section.html", application=application, spec=spec, section=section,
        version=version, fields=fields, points_nav=points_nav, findings=findings,
        sections=sections, previous=sections[position - 1].section if position else None,
        next=sections[position + 1].section if position + 1 < len(sections) else None,
        editable=editable, conflict=conflict, message=message, message_kind=message_kind,
        problems=[(field_id, text) for field_id, texts in (problems or {}).items()
                  for text in texts],
        values=values() if not editable else {},
        read_only_attachments=[
            {"field": a.field_id, "name": a.display_name, "sha256": a.sha256, "size": a.size,
             "url": url_for("applicant.attachment", application_id=application.id,
                            attachment_id=a.id)}
            for a in service.draft_attachments(application)] if not editable else [],
        comments=[item for item in coordination.comments_for_applicant(application)
                  if item.section_id == section.id],
    ), status


@bp.route("/<int:application_id>/punkt/<section_id>", methods=["GET", "POST"])
@requires(Role.APPLICANT)
def section(application_id: int, section_id: str) -> Any:
    application = application_or_404(application_id, draft=True)
    spec = service.spec_of(application)
    point = _section_or_404(spec, section_id, application)
    if request.method == "POST":
        return _save_posted(application, spec, point, form_builder.build(spec, point))
    return _render_section(application, spec, point)




def _save_posted(application: Application, spec: FormSpec, point: Section,
                 form: form_builder.SectionForm) -> Any:
    values = form_builder.posted_values(form, point)
    version = form.version.data

    def refused(message: str, status: int, **extra: Any) -> Any:
        """The point again with what was typed (files must be chosen again), and why."""
        if form_builder.uploaded_files(form, point):
            message += " Filene du valgte, er ikke lagt ved: velg dem på nytt."
        return _render_section(
            application, spec, point, service.clean_section_values(spec, point.id, values),
            extra.pop("version", version) or 0, status=status, message=message, **extra)

    if not form.validate() or version is None:
        return refused("Skjemaet kunne ikke leses helt. Teksten din står under – trykk «Lagre» "
                       "igjen.", 400)
    row_action = form_builder.apply_row_action(form.handling.data or "", values, point)
    removal = form.fjern_vedlegg.data or ""
    try:
        result = points.save_point(
            application, point.id, values, version, current_user(),
            uploads=[points.Upload(field_id, upload.stream, upload.filename or "")
                     for field_id, upload in form_builder.uploaded_files(form, point)],
            remove_attachment=int(removal) if removal.isdigit() else None)
    except service.ConflictError as conflict:
        return refused(str(conflict), 409, version=conflict.section.version,
                       conflict=conflict.section)
    except service.OverLimitError as error:
        return refused(str(error), 422, problems=error.problems)
    except DomainError as error:
        return refused(str(error), 409)
    flash(f"Lagret kl. {clock(result.saved.updated_at)}.", "success")
    if row_action.refusal:
        flash(row_action.refusal, "error")
    for item in result.added:
        flash(f"Vedlegget «{item.display_name}» er lagt ved.", "success")
    for filename, why in result.refused:
        flash(f"Vedlegget «{filename}» ble ikke lagret: {why}", "error")
    if result.removed:
        flash("Vedlegget er fjernet fra søknaden.", "success")
    target = url_for("applicant.section", application_id=application.id, section_id=point.id)
    return redirect(target + (f"#{row_action.anchor}" if row_action.anchor else ""))


def show_rescued(data: MultiDict[str, str], application_id: int, section_id: str, *,
                 why: str = "", status: int = 200) -> Any:
    """After logging in again, an expired form or a failure of ours: the point as the person
    had typed it, ready to save (``why`` says what happened first)."""
    application = application_or_404(application_id, draft=True)
    spec = service.spec_of(application)
    point = _section_or_404(spec, section_id, application)
    form = form_builder.build(spec, point, formdata=data, meta={"csrf": False})
    values = service.clean_section_values(spec, point.id, form_builder.posted_values(form, point))
    return _render_section(
        application, spec, point, values, form.version.data or 0, status=status,
        message=f"{why}Teksten du skrev, er satt inn i skjemaet igjen, men den er ikke lagret "
        "ennå. Trykk «Lagre» for å lagre den.", message_kind="error" if why else "info",
    )


def _json_error(message: str, status: int, **extra: Any) -> Any:
    return jsonify(status="error", message=message, **extra), status


@bp.route("/<int:application_id>/punkt/<section_id>/autolagre", methods=["POST"])
@requires(Role.APPLICANT)
def autosave(application_id: int, section_id: str) -> Any:
    application = application_or_404(application_id, draft=True)
    spec = service.spec_of(application)
    point = _section_or_404(spec, section_id, application)
    form = form_builder.build(spec, point)
    if not form.validate() or form.version.data is None:
        return _json_error("Skjemaet kunne ikke leses. Trykk «Lagre».", 400)
    try:
        row = service.save_section(application, point.id, form_builder.posted_values(form, point),
                                   form.version.data, current_user())
    except service.ConflictError as conflict:
        saved = conflict.section
        saved_by = ("Du (i en annen fane eller et annet vindu)"
                    if saved.updated_by_id == current_user().id
                    else saved.updated_by.name if saved.updated_by else "Noen andre")
        return _json_error(
            f"{saved_by} lagret dette punktet kl. {clock(saved.updated_at)}, etter at "
            "du åpnet det. Teksten din er ikke lagret, men den står fortsatt i skjemaet. Trykk "
            "«Lagre» for å sammenligne og velge.", 409, conflict=True,
        )
    except service.OverLimitError as error:
        return _json_error(str(error), 422, reason="limit", fields=error.problems)
    except DomainError as error:
        return _json_error(str(error), 409)
    return jsonify(status="saved", version=row.version, saved_at=clock(row.updated_at),
                   message=f"Lagret kl. {clock(row.updated_at)}")


@bp.route("/<int:application_id>/punkt/<section_id>/vedlegg", methods=["POST"])
@requires(Role.APPLICANT)
def upload(application_id: int, section_id: str) -> Any:
    application = application_or_404(application_id, draft=True)
    spec = service.spec_of(application)
    point = _section_or_404(spec, section_id, application)
    field_id = request.form.get("field", "")
    upload_file = request.files.get("fil")
    if field_id not in {f.id for f in point.fields} or upload_file is None:
        return _json_error("Velg en fil å laste opp.", 400)
    try:
        attachment = attachment_service.store(application, field_id, upload_file.stream,
                                              upload_file.filename or "", current_user())
    except (AttachmentError, service.NotEditableError) as error:
        return _json_error(f"«{upload_file.filename}» ble ikke lagt ved: {error}", 422)
    return jsonify(status="saved", id=attachment.id, name=attachment.display_name,
                   message=f"Vedlegget «{attachment.display_name}» er lagt ved.")


@bp.route("/<int:application_id>/vedlegg/<int:attachment_id>")
@requires(*READERS)
def attachment(application_id: int, attachment_id: int) -> Any:
    application = application_or_404(application_id)
    item = attachment_or_404(application, attachment_id)
    response = send_file(attachment_service.storage_path(item.sha256), mimetype=item.media_type,
                         as_attachment=True, download_name=item.display_name)
    audit.record_now(current_user(), "download", "attachment", attachment_id,
                     application_id=application_id, sha256=item.sha256)
    return response


# --------------------------------------------------------------------------- check and submit


@bp.route("/<int:application_id>/kontroll")
@requires(Role.APPLICANT)
def check(application_id: int) -> Any:
    application = application_or_404(application_id, draft=True)
    spec, findings, sections = _status(application)
    return render_template("applicant/check.html", application=application, spec=spec,
                           findings=findings, sections=sections, editable=can_edit(application),
                           blocking=[f for f in findings if f.severity is Severity.BLOCKING])


@bp.route("/<int:application_id>/send-inn", methods=["GET", "POST"])
@requires(Role.APPLICANT)
def submit(application_id: int) -> Any:
    application = application_or_404(application_id, draft=True)
    if not can_edit(application):
        latest = application.latest_submission
        if request.method == "POST" and latest is not None:
            flash("Søknaden var allerede sendt inn. Her er kvitteringen.", "info")
            return redirect(url_for("applicant.submission", application_id=application.id,
                                    number=latest.number))
        flash("Søknaden kan ikke sendes inn nå.", "error")
        return redirect(url_for("applicant.overview", application_id=application.id))
    spec, findings, sections = _status(application)
    region = application.organisation.region_enum
    rhf = organisations.rhf_of(region) if region else None
    form = FlaskForm()
    status = 200
    if form.validate_on_submit():
        try:
            row = service.submit(application, current_user())
        except service.SubmitBlockedError as blocked:
            findings, status = blocked.findings, 409
            flash(str(blocked), "error")
        except DomainError as error:
            flash(str(error), "error")
            status = 409
        else:
            return redirect(url_for("applicant.submission", application_id=application.id,
                                    number=row.number, kvittering=1))
    return render_template(
        "applicant/submit.html", application=application, spec=spec, form=form, rhf=rhf,
        findings=findings, blocking=[f for f in findings if f.blocking], sections=sections,
        answers=application.answers(), attachments=[
            {"field": a.field_id, "name": a.display_name, "sha256": a.sha256, "size": a.size,
             "url": url_for("applicant.attachment", application_id=application.id,
                            attachment_id=a.id)}
            for a in service.draft_attachments(application)],
        docx_url=url_for("applicant.draft_docx", application_id=application.id),
        **_pdf_state(application, pdfs.draft_source(application), "utkast"),
    ), status


@bp.route("/<int:application_id>/innsendt/<int:number>")
@requires(*READERS)
def submission(application_id: int, number: int) -> Any:
    application = application_or_404(application_id)
    row = submission_or_404(application, number)
    document = row.data()
    spec = service.spec_of(application)
    region = application.organisation.region_enum
    organisation_id = application.organisation_id
    page = render_template(
        "applicant/submission.html", application=application, spec=spec, submission=row,
        document=document, answers=document["answers"],
        attachments=attachment_entries(application, document["attachments"]),
        rhf=organisations.rhf_of(region) if region else None,
        warnings=[Finding.from_dict(item) for item in row.findings],
        receipt=request.args.get("kvittering") == "1",
        docx_url=url_for("applicant.submission_docx", application_id=application.id,
                         number=number),
        **(_pdf_state(application, pdfs.version_source(number), str(number))
           if current_user().role_enum is Role.APPLICANT else {}),
    )
    audit.record_read_across(current_user(), organisation_id, "application", application_id,
                             page="submission", number=number)
    return page


@bp.route("/<int:application_id>/innsendt/<int:number>.json")
@requires(*READERS)
def submission_json(application_id: int, number: int) -> Any:
    application = application_or_404(application_id)
    row = submission_or_404(application, number)
    response = Response(row.document, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="soknad-{application.id}-v{number}.json"'})
    audit.record_now(current_user(), "download", "application", application_id, number=number,
                     format="json")
    return response


@bp.route("/<int:application_id>/eksport.json")
@requires(Role.APPLICANT)
def export(application_id: int) -> Any:
    application = application_or_404(application_id, draft=True)
    body = json.dumps(exchange.export(application), ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="soknad-{application.id}-utkast.json"'})
    audit.record_now(current_user(), "export", "application", application_id, format="json")
    return response



# --------------------------------------------------------------------------- Word documents and
# Helsedirektoratet's questions


@bp.route("/<int:application_id>/innsendt/<int:number>.docx")
@requires(*READERS)
def submission_docx(application_id: int, number: int) -> Any:
    application = application_or_404(application_id)
    row = submission_or_404(application, number)
    response = _docx(joint.application_document(application, row),
                     f"soknad-{application.id}-versjon-{number}.docx")
    audit.record_now(current_user(), "download", "application", application_id, number=number,
                     format="docx")
    return response


@bp.route("/<int:application_id>/vedtak/<int:decision_id>.docx")
@requires(*READERS)
def decision_docx(application_id: int, decision_id: int) -> Any:
    application = application_or_404(application_id)
    decision = next((item for item in directorate.decisions_for(application)
                     if item.id == decision_id), None)
    if decision is None:
        abort(404)
    response = _docx(joint.decision_document(application, decision),
                     f"vedtak-{application.id}-{decision.decided_on.isoformat()}.docx")
    audit.record_now(current_user(), "download", "decision", decision_id,
                     application_id=application_id)
    return response


@bp.route("/<int:application_id>/utkast.docx")
@requires(Role.APPLICANT)
def draft_docx(application_id: int) -> Any:
    """The draft as it stands, in the Word template of a submitted version."""
    application = application_or_404(application_id, draft=True)
    response = _docx(pdfs.draft_docx(application),
                     f"{pdfs.file_stem(application, pdfs.draft_source(application))}.docx")
    audit.record_now(current_user(), "download", "application", application_id,
                     format="docx", source=pdfs.draft_source(application))
    return response


def _pdf_source(application: Application, given: str) -> str | None:
    """The conversion's source from the form's ``kilde``: the draft, or a submitted version."""
    if given == "utkast":
        return pdfs.draft_source(application) if can_edit(application) else None
    if given.isdigit() and any(item.number == int(given) for item in application.submissions):
        return pdfs.version_source(int(given))
    return None


def _pdf_state(application: Application, source: str, given: str) -> dict[str, Any]:
    """What the download box needs about the PDF of ``source``."""
    row = pdfs.conversion(application, source)
    return {"pdf": row, "pdf_late": pdfs.is_late(row), "pdf_source": given,
            "pdf_url": url_for("applicant.download_pdf", application_id=application.id,
                               source=source)}


def _page_of(application: Application, given: str) -> str:
    """The page with the PDF box (near its top; no fragment, so that «Last siden på nytt», a
    link to the same address, loads the page again rather than only scrolling)."""
    if given == "utkast":
        return url_for("applicant.submit", application_id=application.id)
    return url_for("applicant.submission", application_id=application.id, number=int(given))


@bp.route("/<int:application_id>/pdf", methods=["POST"])
@requires(Role.APPLICANT)
def request_pdf(application_id: int) -> Any:
    """Queue the PDF; the scheduler (or ``soknad pdf``) makes it, the page shows when."""
    application = application_or_404(application_id, draft=True)
    given = request.form.get("kilde", "")
    source = _pdf_source(application, given)
    if source is None:
        flash("Søknaden er endret eller sendt inn siden siden ble åpnet. Prøv igjen her.",
              "error")
        return redirect(url_for("applicant.overview", application_id=application.id))
    if FlaskForm().validate_on_submit():
        pdfs.request(application, source, current_user())  # the page shows how it goes
    return redirect(_page_of(application, given))


@bp.route("/<int:application_id>/pdf/<source>.pdf")
@requires(Role.APPLICANT)
def download_pdf(application_id: int, source: str) -> Any:
    application = application_or_404(application_id, draft=True)
    row = pdfs.conversion(application, source)
    path = pdfs.pdf_path(row) if row is not None and row.state == pdfs.DONE else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=f"{pdfs.file_stem(application, source)}.pdf", max_age=0)
    audit.record_now(current_user(), "download", "application", application_id,
                     format="pdf", source=source)
    return response


def _docx(data: bytes, name: str) -> Any:
    return Response(data, mimetype=DOCX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:application_id>/svar", methods=["POST"])
@requires(Role.APPLICANT)
def answer_question(application_id: int) -> Any:
    application = application_or_404(application_id, draft=True)
    text = request.form.get("svar", "")
    if FlaskForm().validate_on_submit():
        try:
            directorate.answer(application, text, current_user())
        except DomainError as error:
            db.session.rollback()
            return _render_overview(application, status=422, answer_text=text,
                                    answer_error=str(error))
        flash("Svaret er sendt til Helsedirektoratet.", "success")
    return redirect(url_for("applicant.overview", application_id=application.id))
