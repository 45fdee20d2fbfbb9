"""The joint package: one deterministic ZIP for Helsedirektoratet.

Layout (ranks zero-padded so that the names sort in priority order)::

    00 - Samlet søknad om nasjonale tjenester 2027.docx
    01 - <service name>/søknad.docx
    01 - <service name>/vedlegg/<file name>
    …
    manifest.json

Every member has the same fixed time, the members are written in this order, the documents
are deflated and the attachments (already compressed PDFs and the like) are *stored*, streamed
from disk in chunks and checked against their SHA-256 on the way. The ZIP is written to a
temporary file next to ``out_path`` and renamed into place when complete. The same input gives
the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "soknad/samlet-soknad-pakke"
_ZIP64_LIMIT = (1 << 31) - 1


class PackageError(Exception):
    """The package could not be built; the message says why, in Norwegian."""


@dataclass(frozen=True)
class PackageAttachment:
    name: str  # the name the health trust gave the file
    path: Path  # where the bytes are stored (content-addressed)
    sha256: str
    size: int
    field: str = ""  # the form field it documents


@dataclass(frozen=True)
class PackageItem:
    """One application in the national priority list."""

    rank: int
    title: str  # the service's name; the folder is named after it
    document: bytes | Callable[[], bytes]  # the application as .docx (or how to make it)
    form_id: str
    form_version: int
    submitted_at: str  # ISO 8601 with offset
    snapshot_sha256: str
    health_trust: str = ""
    region: str = ""
    service_type: str = ""
    attachments: Sequence[PackageAttachment] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)  # more for manifest.json


@dataclass(frozen=True)
class RoundInfo:
    year: int
    sent_on: date | None = None  # the members' time; 15 January of the round when None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def timestamp(self) -> tuple[int, int, int, int, int, int]:
        day = self.sent_on or date(self.year, 1, 15)
        return (day.year, day.month, day.day, 12, 0, 0)


@dataclass(frozen=True)
class Progress:
    done_files: int
    total_files: int
    done_bytes: int  # attachment bytes copied so far
    total_bytes: int  # attachment bytes in all
    current: str  # the member being written

    @property
    def fraction(self) -> float:
        """Share of the work done, counting every file as one unit and attachments by size."""
        files = self.done_files / self.total_files if self.total_files else 1.0
        if not self.total_bytes:
            return files
        return (files + self.done_bytes / self.total_bytes) / 2


ProgressCallback = Callable[[Progress], None]

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def safe_name(name: str, *, fallback: str = "fil", limit: int = 120) -> str:
    """A file or folder name that is the same on every system and cannot leave its folder:
    no separators or control characters, no leading dots, no Windows device names; Norwegian
    letters and spaces kept."""
    text = unicodedata.normalize("NFC", name)
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())
    text = text.lstrip(". ").rstrip(". ")
    if not text or set(text) <= {"_", "."}:
        text = fallback
    if _WINDOWS_RESERVED.fullmatch(text):
        text = f"_{text}"
    if len(text) > limit:
        stem, dot, suffix = text.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            text = stem[: limit - len(suffix) - 1].rstrip(". ") + "." + suffix
        else:
            text = text[:limit].rstrip(". ")
    return text


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    stem, dot, suffix = name.rpartition(".")
    while candidate.casefold() in taken:
        candidate = f"{stem} ({number}).{suffix}" if dot else f"{name} ({number})"
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _member(name: str, date_time: tuple[int, ...], compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)  # type: ignore[arg-type]
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def cover_letter_name(year: int) -> str:
    return f"00 - Samlet søknad om nasjonale tjenester {year}.docx"


def _make(item: PackageItem) -> bytes:
    return item.document() if callable(item.document) else item.document


def _documents(ranked: Sequence[PackageItem], prefetch: bool) -> Iterator[bytes]:
    """The documents in order; with ``prefetch`` the next one is made in a worker thread while
    the current one and its attachments are written (file I/O, CRC and SHA-256 release the
    GIL), at most one document ahead."""
    if not prefetch or len(ranked) < 2:
        yield from map(_make, ranked)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pakke") as pool:
        upcoming = pool.submit(_make, ranked[0])
        for index in range(len(ranked)):
            document = upcoming.result()
            if index + 1 < len(ranked):
                upcoming = pool.submit(_make, ranked[index + 1])
            yield document


def build_package(out_path: Path | str, round_info: RoundInfo, cover_letter: bytes,
                  items: Iterable[PackageItem], progress: ProgressCallback | None = None, *,
                  prefetch: bool = False) -> dict[str, Any]:
    """Write the package to ``out_path``; return the manifest (also stored in the ZIP).

    ``prefetch=True`` makes each item's document (when it is a callable) in a worker thread,
    one ahead of the writing; use it when the callables are thread-safe, i.e. work on data
    already loaded (not on a database session bound to the calling thread). The bytes are the
    same either way."""
    out_path = Path(out_path)
    ranked = sorted(items, key=lambda item: item.rank)
    ranks = [item.rank for item in ranked]
    if len(set(ranks)) != len(ranks):
        raise PackageError("To søknader har samme plass i prioriteringslisten.")
    width = max(2, len(str(max(ranks, default=0))))
    total_files = 2 + sum(1 + len(item.attachments) for item in ranked)
    total_bytes = sum(a.size for item in ranked for a in item.attachments)
    state = {"files": 0, "bytes": 0}

    def report(current: str) -> None:
        if progress:
            progress(Progress(state["files"], total_files, state["bytes"], total_bytes, current))

    stamp = round_info.timestamp
    files: list[dict[str, Any]] = []
    applications: list[dict[str, Any]] = []
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=out_path.parent, prefix=".pakke-", suffix=".zip")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            def add_bytes(name: str, data: bytes, role: str, **extra: Any) -> dict[str, Any]:
                report(name)
                archive.writestr(_member(name, stamp, zipfile.ZIP_DEFLATED), data)
                entry = {"path": name, "role": role, "size": len(data),
                         "sha256": hashlib.sha256(data).hexdigest(), **extra}
                files.append(entry)
                state["files"] += 1
                return entry

            add_bytes(cover_letter_name(round_info.year), cover_letter, "følgebrev")
            for item, document in zip(ranked, _documents(ranked, prefetch), strict=True):
                folder = f"{item.rank:0{width}d} - {safe_name(item.title, fallback='Søknad')}"
                doc_entry = add_bytes(f"{folder}/søknad.docx", document, "søknad",
                                      rank=item.rank)
                del document
                taken: set[str] = set()
                attachment_entries = []
                for attachment in item.attachments:
                    name = _unique(safe_name(attachment.name, fallback="vedlegg"), taken)
                    entry = _add_file(archive, f"{folder}/vedlegg/{name}", attachment, stamp,
                                      state=state, report=report)
                    entry.update(role="vedlegg", rank=item.rank, field=attachment.field,
                                 original_name=attachment.name)
                    files.append(entry)
                    attachment_entries.append(entry["path"])
                applications.append({
                    "rank": item.rank, "title": item.title, "health_trust": item.health_trust,
                    "region": item.region, "service_type": item.service_type,
                    "form": {"id": item.form_id, "version": item.form_version},
                    "submitted_at": item.submitted_at,
                    "snapshot_sha256": item.snapshot_sha256,
                    "document": doc_entry["path"], "attachments": attachment_entries,
                    **dict(item.metadata),
                })
            manifest = {
                "format": MANIFEST_FORMAT, "format_version": 1,
                "round": round_info.year, **dict(round_info.metadata),
                "form_versions": sorted({f"{i.form_id}.v{i.form_version}" for i in ranked}),
                "applications": applications,
                "files": files,
            }
            report(MANIFEST)
            archive.writestr(_member(MANIFEST, stamp, zipfile.ZIP_DEFLATED),
                             json.dumps(manifest, ensure_ascii=False, indent=2,
                                        sort_keys=True) + "\n")
            state["files"] += 1
            report("")
        os.replace(temp_name, out_path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return manifest


def _add_file(archive: zipfile.ZipFile, name: str, attachment: PackageAttachment,
              stamp: tuple[int, ...], *, state: dict[str, int],
              report: Callable[[str], None]) -> dict[str, Any]:
    """Copy one stored file into the archive in chunks, checking its SHA-256 and size."""
    report(name)
    info = _member(name, stamp, zipfile.ZIP_STORED)
    info.file_size = attachment.size
    digest, size = hashlib.sha256(), 0
    try:
        source = attachment.path.open("rb")
    except OSError as error:
        raise PackageError(f"Vedlegget «{attachment.name}» finnes ikke på disken.") from error
    with source, archive.open(info, "w", force_zip64=attachment.size > _ZIP64_LIMIT) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
            state["bytes"] += len(chunk)
    if digest.hexdigest() != attachment.sha256 or size != attachment.size:
        raise PackageError(f"Vedlegget «{attachment.name}» stemmer ikke med sin SHA-256 eller "
                           "størrelse. Pakken er ikke laget.")
    state["files"] += 1
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def read_manifest(path: Path | str) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))



