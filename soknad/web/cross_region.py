"""Reading across regions (RHF coordinators): an application from another region that stands
on the national list, or whose partner region the coordinator's region is, read-only with its
Word document and attachments; the partner region's comments.

Nothing here changes an application: the owning RHF reviews, returns, accepts and ranks on its
own pages (``soknad.web.coordinator``), which ask ``permissions.can_view`` and stay closed to
other regions. Every page here asks ``permissions.can_read_across`` (``services.cross_region``).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_wtf import FlaskForm

from soknad.domain.errors import DomainError
from soknad.domain.findings import Finding
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Application, Attachment
from soknad.services import applications, audit, coordination, joint
from soknad.services import attachments as attachment_service
from soknad.services import cross_region as service
from soknad.web.access import attachment_entries
from soknad.web.auth import current_user, requires

bp = Blueprint("cross_region", __name__, url_prefix="/rhf/andre-regioner")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _application_or_404(application_id: int) -> Application:
    application = service.readable_or_none(application_id, current_user())
    if application is None or application.latest_submission is None:
        abort(404)
    return application


@bp.route("/soknader/<int:application_id>")
@requires(Role.COORDINATOR)
def application(application_id: int) -> Any:
    found = _application_or_404(application_id)
    organisation_id = found.organisation_id
    page = _render(found)
    audit.record_read_across(current_user(), organisation_id, "application", application_id,
                             page="cross_region")
    return page


def _render(application: Application, *, status: int = 200, error: str = "",
            text: str = "") -> Any:
    latest = application.latest_submission
    assert latest is not None
    document = latest.data()
    user = current_user()
    owner = application.organisation.region_enum
    return render_template(
        "coordinator/cross_region.html", application=application, submission=latest,
        spec=applications.spec_of(application), answers=document["answers"],
        attachments=attachment_entries(application, document.get("attachments", []),
                                       endpoint="cross_region.attachment"),
        warnings=[Finding.from_dict(item) for item in latest.findings],
        owner=owner, region=user.organisation.region_enum,
        listed=service.on_national_list(application),
        national_rank=coordination.national_ranks(application.round).get(application.id),
        partner_regions=sorted(service.partner_regions(application), key=list(Region).index),
        comments=service.comments(application), may_comment=service.may_comment(application, user),
        error=error, text=text, limit=service.COMMENT_LIMIT, form=FlaskForm(),
    ), status


@bp.route("/soknader/<int:application_id>/soknad.docx")
@requires(Role.COORDINATOR)
def docx(application_id: int) -> Any:
    """The latest submitted version as Word, as it stands in the joint package."""
    found = _application_or_404(application_id)
    latest = found.latest_submission
    assert latest is not None
    data = joint.application_document(found, latest)
    response = Response(data, mimetype=DOCX_TYPE, headers={
        "Content-Disposition":
            f'attachment; filename="soknad-{found.id}-versjon-{latest.number}.docx"'})
    audit.record_now(current_user(), "download", "application", application_id,
                     number=latest.number, format="docx", page="cross_region")
    return response


@bp.route("/soknader/<int:application_id>/vedlegg/<int:attachment_id>")
@requires(Role.COORDINATOR)
def attachment(application_id: int, attachment_id: int) -> Any:
    """An attachment the latest submitted version lists; never one only the draft has."""
    found = _application_or_404(application_id)
    item = db.session.get(Attachment, attachment_id)
    latest = found.latest_submission
    assert latest is not None
    listed = {(entry["field"], entry["sha256"]) for entry in latest.data().get("attachments", [])}
    if (item is None or item.application_id != found.id
            or (item.field_id, item.sha256) not in listed):
        abort(404)
    response = send_file(attachment_service.storage_path(item.sha256),
                               mimetype=item.media_type, as_attachment=True,
                               download_name=item.display_name)
    audit.record_now(current_user(), "download", "attachment", attachment_id,
                     application_id=application_id, sha256=item.sha256, page="cross_region")
    return response


@bp.route("/soknader/<int:application_id>/kommentar", methods=["POST"])
@requires(Role.COORDINATOR)
def comment(application_id: int) -> Any:
    """The partner region's comment, in its own region's name. A refused one shows the page
    again with the message at the field and the text kept."""
    found = _application_or_404(application_id)
    user = current_user()
    if not service.may_comment(found, user):
        abort(404)
    text = request.form.get("kommentar", "")
    if not FlaskForm().validate_on_submit():
        return _render(found, status=400, error="Skjemaet var utløpt. Prøv igjen.", text=text)
    try:
        service.add_comment(found, text, user)
    except DomainError as error:
        return _render(found, status=422, error=str(error), text=text)
    owner = found.organisation.region_enum
    flash(f"Kommentaren er lagret på vegne av {user.organisation.name}. "
          f"{owner.label + ' RHF' if owner else 'Det regionale helseforetaket som eier søknaden'}"
          " ser den ved søknaden.", "success")
    return redirect(url_for("cross_region.application", application_id=found.id)
                    + "#samarbeidsregion")
