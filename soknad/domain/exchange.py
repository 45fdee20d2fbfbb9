"""The JSON exchange format for one application (``docs/exchange-format.md``).

The same document is what a submission freezes: a submitted version is this document with a
``submission`` block, serialised canonically (sorted keys, UTF-8, no spaces) so that its
SHA-256 identifies exactly what the health trust sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from soknad.domain.errors import ExchangeFormatError
from soknad.domain.findings import Finding, Severity
from soknad.domain.organisations import OrganisationEntry, OrgKind, Region, region_of
from soknad.domain.service_types import ApplicationKind

FORMAT = "soknad/nasjonal-tjeneste"
FORMAT_VERSION = 2  # 2: the ``service`` block (the registry service a change concerns)
READABLE_VERSIONS = (1, 2)  # files of format version 1 still import


@dataclass(frozen=True)
class AttachmentEntry:
    field: str
    name: str
    sha256: str
    size: int
    media_type: str
    content: bytes | None = None

    def to_dict(self, *, include_content: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "field": self.field, "name": self.name, "sha256": self.sha256, "size": self.size,
            "media_type": self.media_type,
        }
        if include_content and self.content is not None:
            data["content_base64"] = base64.b64encode(self.content).decode("ascii")
        return data


@dataclass(frozen=True)
class Submission:
    number: int
    submitted_at: str  # ISO 8601 with offset
    submitted_by: str = ""


@dataclass(frozen=True)
class TargetService:
    """The approved service a change, rename or termination concerns (format version 2):
    ``key`` is its registry key, None when an older file's name matched no single service."""

    key: str | None
    name: str
    location: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "name": self.name}
        if self.location:
            data["location"] = self.location
        return data


@dataclass(frozen=True)
class ApplicationDocument:
    form_id: str
    form_version: int
    kind: ApplicationKind
    round_year: int
    organisation: str
    region: Region
    answers: Mapping[str, Any]
    attachments: tuple[AttachmentEntry, ...] = ()
    application_id: int | None = None
    state: str | None = None
    submission: Submission | None = None
    service: TargetService | None = None
    format_version: int = FORMAT_VERSION  # of the file it was read from

    def to_dict(self, *, include_content: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "form": {"id": self.form_id, "version": self.form_version},
            "kind": self.kind.value,
            **({"service": self.service.to_dict()} if self.service is not None else {}),
            "round": self.round_year,
            "organisation": {"name": self.organisation, "region": self.region.value},
            "answers": dict(self.answers),
            "attachments": [entry.to_dict(include_content=include_content)
                            for entry in self.attachments],
        }
        if self.application_id is not None:
            data["application_id"] = self.application_id
        if self.state is not None:
            data["state"] = self.state
        if self.submission is not None:
            data["submission"] = {
                "number": self.submission.number,
                "submitted_at": self.submission.submitted_at,
                "submitted_by": self.submission.submitted_by,
            }
        return data


def canonical_json(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema of a format version (``soknad/schemas/application-v<n>.schema.json``)."""
    name = f"application-v{version}.schema.json"
    text = resources.files("soknad.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def parse(text: str | bytes) -> ApplicationDocument:
    """Read a JSON document; ``ExchangeFormatError`` says in Norwegian what is wrong."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExchangeFormatError(f"Filen er ikke gyldig JSON: {error}") from error
    return from_dict(data)


def from_dict(data: Any) -> ApplicationDocument:
    version = data.get("format_version") if isinstance(data, Mapping) else None
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        version = FORMAT_VERSION  # the newest schema says what is wrong
    validator = jsonschema.Draft202012Validator(schema(version))
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        lines = [f"{'/'.join(map(str, error.absolute_path)) or '(roten)'}: {error.message}"
                 for error in errors[:10]]
        raise ExchangeFormatError("Filen følger ikke utvekslingsformatet:\n" + "\n".join(lines))
    attachments = []
    for entry in data.get("attachments", []):
        content = None
        if "content_base64" in entry:
            try:
                content = base64.b64decode(entry["content_base64"], validate=True)
            except binascii.Error as error:
                raise ExchangeFormatError(
                    f"Vedlegget «{entry['name']}» har ugyldig base64-innhold."
                ) from error
            if sha256_hex(content) != entry["sha256"] or len(content) != entry["size"]:
                raise ExchangeFormatError(
                    f"Vedlegget «{entry['name']}» stemmer ikke med sin SHA-256 eller størrelse."
                )
        attachments.append(AttachmentEntry(
            field=entry["field"], name=entry["name"], sha256=entry["sha256"],
            size=entry["size"], media_type=entry["media_type"], content=content,
        ))
    submission = data.get("submission")
    service = data.get("service")
    return ApplicationDocument(
        form_id=data["form"]["id"],
        form_version=data["form"]["version"],
        kind=ApplicationKind(data["kind"]),
        round_year=data["round"],
        organisation=data["organisation"]["name"],
        region=Region(data["organisation"]["region"]),
        answers=data["answers"],
        attachments=tuple(attachments),
        application_id=data.get("application_id"),
        state=data.get("state"),
        submission=Submission(
            number=submission["number"], submitted_at=submission["submitted_at"],
            submitted_by=submission.get("submitted_by", ""),
        ) if submission else None,
        service=TargetService(service["key"], service["name"], service.get("location", ""))
        if service else None,
        format_version=version,
    )


# --------------------------------------------------------------------------- the applicant


@dataclass(frozen=True)
class Applicant:
    """The applicant of a document as the organisation list knows it: the region is the list's,
    never the file's; ``findings`` say where the file disagrees with the list."""

    organisation: str
    region: Region | None  # None: the organisation is not a health trust in the list
    findings: tuple[Finding, ...] = ()


def applicant(document: ApplicationDocument,
              health_trusts: Iterable[OrganisationEntry]) -> Applicant:
    """Look the document's organisation up in the list of health trusts. An organisation the
    list does not have blocks (the rules cannot know its region); a region in the file other
    than the list's is a warning, and the list's region is the one used."""
    trusts = [entry for entry in health_trusts if entry.kind is OrgKind.HF]
    name = document.organisation
    region = region_of(name, trusts)
    if region is None:
        return Applicant(name, None, (Finding(
            rule="applicant_organisation", section="", severity=Severity.BLOCKING,
            reason="svaret kan ikke leses",
            message=f"«{name}» står ikke i organisasjonslisten som helseforetak. Skriv navnet "
            "på søkerens helseforetak slik det står i listen (for eksempel «Helse Bergen HF»); "
            "uten det vet ikke sjekken hvilken helseregion søkeren hører til.",
        ),))
    if region is not document.region:
        return Applicant(name, region, (Finding(
            rule="applicant_region", section="", severity=Severity.WARNING,
            message=f"Filen oppgir regionen {document.region.label} for {name}, men "
            f"organisasjonslisten sier {region.label}. Sjekken bruker {region.label}.",
        ),))
    return Applicant(name, region)
