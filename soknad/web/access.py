"""Loading objects for a view: one place that turns the access policy into 404s."""

from __future__ import annotations

from typing import Any

from flask import abort, url_for

from soknad.domain import permissions
from soknad.extensions import db
from soknad.models import Application, Attachment, Submission
from soknad.services import attachments as attachment_service
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


def attachment_entries(application: Application, listed: list[dict[str, Any]], *,
                       endpoint: str = "applicant.attachment") -> list[dict[str, Any]]:
    """Attachment entries of an exchange document, each with the URL of its stored file: the
    download route every reader of the application uses (``attachment_or_404`` guards it), or
    ``endpoint`` for a page with a route of its own (another region's read-only page)."""
    stored = {(item.field_id, item.sha256): item for item in attachment_service.all_of(application)}
    entries = []
    for entry in listed:
        item = stored.get((entry["field"], entry["sha256"]))
        url = url_for(endpoint, application_id=application.id,
                      attachment_id=item.id) if item else ""
        entries.append({**entry, "url": url})
    return entries
