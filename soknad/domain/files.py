"""Attachments: which files are accepted, decided by their content, and their display names.

Accepted: PDF, DOCX, XLSX, ODT, PNG and JPEG. The type is read from the bytes (``filetype``
for the magic numbers; the ZIP directory for the Office formats, which also rules out macros
and ZIP bombs). The name's extension must agree with the content, so an ``.exe`` renamed
``.pdf`` is refused with a message that says what the file really is.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from soknad.domain.errors import AttachmentError
from soknad.domain.text import clean_line


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    media_type: str
    label: str


PDF = FileType(("pdf",), "application/pdf", "PDF")
DOCX = FileType(
    ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
)
XLSX = FileType(
    ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
)
ODT = FileType(("odt",), "application/vnd.oasis.opendocument.text", "OpenDocument-tekst")
PNG = FileType(("png",), "image/png", "PNG-bilde")
JPEG = FileType(("jpg", "jpeg"), "image/jpeg", "JPEG-bilde")
ACCEPTED = (PDF, DOCX, XLSX, ODT, PNG, JPEG)
ACCEPTED_LABEL = "PDF, Word (.docx), Excel (.xlsx), OpenDocument-tekst (.odt), PNG eller JPEG"

# Limits for the Office formats, which are ZIP archives.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNCOMPRESSED = 500 * 1024 * 1024
_OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
_MACRO_PART_RE = re.compile(r"(^|/)vbaProject\.bin$", re.IGNORECASE)


def _zip_type(stream: BinaryIO) -> FileType:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or (
                sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED
            ):
                raise AttachmentError(
                    "Filen pakker seg ut til mer enn 500 MB eller over 5 000 deler og kan ikke "
                    "tas imot."
                )
            names = {entry.filename for entry in entries}
            if any(_MACRO_PART_RE.search(name) for name in names):
                raise AttachmentError(
                    "Filen inneholder makroer. Lagre den uten makroer (som .docx eller .xlsx) og "
                    "last den opp på nytt."
                )
            for part, file_type in _OOXML_MAIN_PART.items():
                if part in names:
                    return file_type
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.media_type.encode():
                return ODT
    except zipfile.BadZipFile as error:
        raise AttachmentError("Filen er skadet og kan ikke leses.") from error
    raise AttachmentError(f"Filen er et ZIP-arkiv. Bare {ACCEPTED_LABEL} tas imot.")


def detect(stream: BinaryIO) -> FileType:
    """The accepted type of the file's content, or ``AttachmentError`` saying what it is."""
    stream.seek(0)
    head = stream.read(8192)
    if not head:
        raise AttachmentError("Filen er tom.")
    guess = filetype.guess(head)
    extension = guess.extension if guess else ""
    if extension in {"zip", "docx", "xlsx", "odt", "pptx", "ods", "odp", "epub"}:
        return _zip_type(stream)
    for file_type in ACCEPTED:
        if extension in file_type.extensions:
            return file_type
    what = f"en {extension.upper()}-fil" if extension else "en filtype vi ikke kjenner igjen"
    raise AttachmentError(f"Filen er {what}. Bare {ACCEPTED_LABEL} tas imot.")


def display_name(raw: str, file_type: FileType) -> str:
    """A safe display name: no folders, control characters or bidi tricks, at most 200
    characters, and ending in the extension of the detected type."""
    name = clean_line(raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = name.strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if extension.lower() not in file_type.extensions:
        stem = name
        extension = file_type.extensions[0]
    stem = stem[:190].strip(" .") or "vedlegg"
    return f"{stem}.{extension.lower()}"


def check_extension(raw_name: str, file_type: FileType) -> None:
    """Refuse a name whose extension promises another type than the content has."""
    extension = raw_name.strip().rpartition(".")[2].lower() if "." in raw_name else ""
    if extension and extension not in file_type.extensions:
        raise AttachmentError(
            f"Filnavnet slutter på .{extension}, men innholdet er {file_type.label}. "
            "Sjekk at du har valgt riktig fil."
        )
