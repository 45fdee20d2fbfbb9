"""The administrator's page for the Word templates: see, download, replace, restore."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_wtf import FlaskForm

from soknad.documents import TemplateKind
from soknad.documents.variables import VARIABLE_HELP
from soknad.domain.roles import Role
from soknad.services import audit
from soknad.services import documents as service
from soknad.web.auth import current_user, requires

bp = Blueprint("documents", __name__, url_prefix="/admin/dokumentmaler")

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _kind(kind: str) -> TemplateKind:
    try:
        return TemplateKind(kind)
    except ValueError:
        abort(404)


def _page(errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    templates = [service.info(kind) for kind in TemplateKind]
    return render_template("admin/documents.html", templates=templates, errors=errors or {},
                           variables=VARIABLE_HELP, form=FlaskForm(),
                           max_mb=service.MAX_TEMPLATE_BYTES // (1024 * 1024)), status


@bp.route("/", methods=["GET"])
@requires(Role.ADMIN)
def index() -> Any:
    return _page()


@bp.route("/<kind>.docx", methods=["GET"])
@requires(Role.ADMIN)
def download(kind: str) -> Any:
    template = _kind(kind)
    response = send_file(service.template_path(template), mimetype=DOCX_MEDIA_TYPE,
                         as_attachment=True, download_name=template.filename, max_age=0)
    audit.record_now(current_user(), "download", "docx_template", None, kind=template.value)
    return response


@bp.route("/<kind>", methods=["POST"])
@requires(Role.ADMIN)
def upload(kind: str) -> Any:
    template = _kind(kind)
    if not FlaskForm().validate_on_submit():
        return _page({template.value: ["Skjemaet var utløpt. Prøv igjen."]}, 400)
    upload = request.files.get("fil")
    if upload is None or not upload.filename:
        return _page({template.value: ["Velg en .docx-fil å laste opp."]}, 422)
    try:
        data = upload.stream.read(service.MAX_TEMPLATE_BYTES + 1)
    finally:
        upload.close()
    try:
        service.replace_template(template, data, current_user(), upload.filename)
    except service.TemplateRefused as refused:
        return _page({template.value: [
            "Malen ble ikke tatt i bruk. Den forrige malen gjelder fortsatt.", *refused.problems,
        ]}, 422)
    flash(f"Ny mal for «{template.label}» er tatt i bruk.", "success")
    return redirect(url_for("documents.index"))


@bp.route("/<kind>/standard", methods=["POST"])
@requires(Role.ADMIN)
def restore(kind: str) -> Any:
    template = _kind(kind)
    if FlaskForm().validate_on_submit():
        service.restore_default(template, current_user())
        flash(f"Standardmalen for «{template.label}» er tatt i bruk igjen.", "success")
    return redirect(url_for("documents.index"))
