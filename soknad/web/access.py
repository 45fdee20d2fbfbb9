"""Loading objects for a view: one place that turns the access policy into 404s."""

from __future__ import annotations

from flask import abort

from soknad.domain import permissions
from soknad.extensions import db
from soknad.models import Application, Attachment, Submission
from soknad.web.auth import current_user


def application_or_404(application_id: int, *, draft: bool = False) -> Application:
    """The application if the signed-in user may see it (``draft``: may read the live draft);
    404 otherwise, so that another organisation's ids reveal nothing."""
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404)
    actor = current_user().actor()
    allowed = permissions.can_view_draft if draft else permissions.can_view
    if not allowed(actor, application.facts()):
        abort(404)
    return application


def submission_or_404(application: Application, number: int) -> Submission:
    found = next((item for item in application.submissions if item.number == number), None)
    if found is None:
        abort(404)
    return found


def attachment_or_404(application: Application, attachment_id: int) -> Attachment:
    """A draft attachment for the health trust; for others, only one a submitted version lists."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        abort(404)
    if permissions.can_view_draft(current_user().actor(), application.facts()):
        return attachment
    listed = {
        (entry["field"], entry["sha256"])
        for submission in application.submissions
        for entry in submission.data().get("attachments", [])
    }
    if (attachment.field_id, attachment.sha256) not in listed:
        abort(404)
    return attachment


def can_edit(application: Application) -> bool:
    return permissions.can_edit(current_user().actor(), application.facts())
