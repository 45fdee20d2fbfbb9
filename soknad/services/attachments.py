"""Storing attachments: size and type checked, bytes kept once under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select, update

from soknad.domain import files
from soknad.domain.errors import AttachmentError
from soknad.domain.formspec import FILE_KINDS
from soknad.domain.workflow import EDITABLE
from soknad.extensions import db
from soknad.models import Application, Attachment, User
from soknad.models.types import utcnow
from soknad.services import audit
from soknad.services.applications import NotEditableError, count_change, spec_of

CHUNK = 1024 * 1024


def limit_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def storage_path(sha256: str) -> Path:
    """Where the bytes with this SHA-256 live: ``<UPLOAD_DIR>/ab/abcdef…`` (never a user name)."""
    if len(sha256) != 64 or not all(char in "0123456789abcdef" for char in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(current_app.config["UPLOAD_DIR"]) / sha256[:2] / sha256


def _copy_limited(stream: BinaryIO, target: BinaryIO, limit: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise AttachmentError(
                f"Filen er større enn {limit // (1024 * 1024)} MB og ble ikke lagret. Del den opp "
                "eller komprimer den, og prøv igjen. Det du har skrevet, er ikke borte."
            )
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def store(application: Application, field_id: str, stream: BinaryIO, filename: str,
          user: User) -> Attachment:
    """Check and keep one uploaded file for ``field_id``, and commit. ``AttachmentError`` says
    why not."""
    attachment = add(application, field_id, stream, filename, user)
    db.session.commit()
    return attachment


def add(application: Application, field_id: str, stream: BinaryIO, filename: str,
        user: User) -> Attachment:
    """``store`` within the caller's transaction (the caller commits). The bytes are kept under
    their SHA-256 at once; if the transaction is then rolled back, no row names them."""
    if application.state_enum not in EDITABLE:
        raise NotEditableError
    spec = spec_of(application)
    try:
        spec_field = spec.field(field_id)
    except KeyError:
        raise AttachmentError("Vedlegget hører ikke til noe felt i skjemaet.") from None
    if spec_field.kind not in FILE_KINDS:
        raise AttachmentError(f"«{spec_field.label}» tar ikke imot vedlegg.")
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    upload_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=upload_dir, prefix=".upload-", delete=False) as temp:
        try:
            sha256, size = _copy_limited(stream, temp, limit_bytes())
            temp.flush()
            file_type = files.detect(temp)  # type: ignore[arg-type]
            files.check_extension(filename, file_type)
        except AttachmentError:
            temp.close()
            os.unlink(temp.name)
            raise
    target = storage_path(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.unlink(temp.name)
    else:
        shutil.move(temp.name, target)
    attachment = Attachment(
        application_id=application.id, section_id=spec.section_of(field_id).id,
        field_id=field_id, display_name=files.display_name(filename, file_type), sha256=sha256,
        size=size, media_type=file_type.media_type, uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    count_change(application)
    audit.record(user.id, "attachment_added", "application", application.id,
                 attachment=attachment.id, sha256=sha256, size=size)
    return attachment


def remove(application: Application, attachment_id: int, user: User) -> Attachment | None:
    """Take an attachment off the draft (the caller commits). The bytes stay: submitted
    versions may list them."""
    if application.state_enum not in EDITABLE:
        raise NotEditableError
    attachment = db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.application_id == application.id,
        Attachment.removed_at.is_(None)))
    if attachment is None:
        return None
    db.session.execute(update(Attachment).where(Attachment.id == attachment.id)
                       .values(removed_at=utcnow()))
    count_change(application)
    audit.record(user.id, "attachment_removed", "application", application.id,
                 attachment=attachment.id)
    return attachment


def for_field(attachments: list[Attachment], field_id: str) -> list[Attachment]:
    return [item for item in attachments if item.field_id == field_id]


def all_of(application: Application) -> list[Attachment]:
    """Every attachment ever added to the application, removed ones included."""
    return list(db.session.scalars(
        select(Attachment).where(Attachment.application_id == application.id)
        .order_by(Attachment.id)))


def read_bytes(attachment: Attachment) -> bytes:
    return storage_path(attachment.sha256).read_bytes()
