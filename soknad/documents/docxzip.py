"""Writing a .docx so that the same content always gives the same bytes.

python-docx stamps every ZIP member with the current time; here every member gets one fixed
time, members keep python-docx's order, and the core properties' dates are set by the caller
(the submission time), so two renders of the same data are byte-identical.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx.document import Document
from docx.opc.pkgwriter import PackageWriter

#: The earliest time a ZIP member can carry; used for every member of a generated file.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16


def member(name: str, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
           compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A ZipInfo that depends on nothing but its arguments."""
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = compress_type
    info.external_attr = FILE_MODE
    info.create_system = 3  # Unix, whatever the platform
    return info


class _PhysWriter:
    """The one method python-docx's PackageWriter needs from its physical writer."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self._archive.writestr(member(pack_uri.membername), blob)


def set_core_properties(document: Document, *, title: str, moment: datetime,
                        author: str = "Søknadsportal for nasjonale tjenester") -> None:
    """Fixed metadata: no "now" anywhere, so the bytes depend only on the data."""
    props = document.core_properties
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    props.created = utc
    props.modified = utc
    props.last_modified_by = author
    props.author = author
    props.revision = 1
    props.title = title[:255]


def save(document: Document) -> bytes:
    """Serialise like ``Document.save`` but deterministically."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        writer = _PhysWriter(archive)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    return buffer.getvalue()


def normalise(data: bytes) -> bytes:
    """Re-write any .docx (or ZIP) with the members in the same order and fixed times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(member(info.filename), source.read(info))
    return buffer.getvalue()
