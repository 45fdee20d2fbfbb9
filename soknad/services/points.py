"""Saving one point as its form posts it: the answers, the files chosen and a file removed.

One post is one transaction: the answers, every file that passed its checks and the removal are
committed together, or, when anything fails on the way, none of them. A file that fails its
checks (type, size) is not a failure of the post: it is left out and named in ``refused``,
and the rest is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from soknad.domain.errors import AttachmentError
from soknad.extensions import db
from soknad.models import Application, Attachment, User
from soknad.services import applications, attachments


@dataclass(frozen=True)
class Upload:
    field_id: str
    stream: BinaryIO
    filename: str


@dataclass(frozen=True)
class PointSaved:
    saved: applications.SavedSection
    added: list[Attachment] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why not)
    removed: Attachment | None = None


def save_point(application: Application, section_id: str, raw: Mapping[str, Any],
               expected_version: int, user: User, *, uploads: Sequence[Upload] = (),
               remove_attachment: int | None = None) -> PointSaved:
    """Save the point's answers (a compare-and-swap on ``expected_version``), add the files
    and remove one, in one transaction. Raises what ``applications.save_section`` raises, with
    nothing stored."""
    try:
        saved = applications.write_section(application, section_id, raw, expected_version, user)
        added, refused = [], []
        for upload in uploads:
            try:
                added.append(attachments.add(application, upload.field_id, upload.stream,
                                             upload.filename, user))
            except AttachmentError as error:
                refused.append((upload.filename, str(error)))
        removed = (attachments.remove(application, remove_attachment, user)
                   if remove_attachment is not None else None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return PointSaved(saved, added, refused, removed)
