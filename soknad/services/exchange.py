"""Export and import of applications in the JSON exchange format (``docs/exchange-format.md``)."""

from __future__ import annotations

import base64
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from soknad.domain import registry_pick
from soknad.domain.answers import normalise
from soknad.domain.errors import DomainError, ExchangeFormatError
from soknad.domain.exchange import ApplicationDocument, applicant
from soknad.domain.findings import Finding
from soknad.domain.formspec import FieldKind, FormSpec
from soknad.domain.organisations import OrganisationEntry, read_health_trusts
from soknad.domain.registry import RegistryService, read_registry
from soknad.domain.rules import AttachmentRef, RuleContext, check_application
from soknad.extensions import db
from soknad.models import Application, NationalService, Organisation, User
from soknad.services import applications, attachments, forms, organisations, registry


def export(application: Application, *, include_content: bool = False) -> dict[str, Any]:
    """The draft as an exchange document (with the files base64-encoded if asked)."""
    items = applications.draft_attachments(application)
    document = applications.document_for(application, application.answers(), items)
    data = document.to_dict()
    data["state"] = application.state
    if include_content:
        for entry, item in zip(data["attachments"], items, strict=True):
            entry["content_base64"] = base64.b64encode(attachments.read_bytes(item)).decode()
    return data


def spec_for(document: ApplicationDocument) -> FormSpec:
    """The document's form, every kind's fields: an answer to a field another kind asks
    (an older export of a draft held every field) is not an unknown key. The rules and the new
    draft take the kind's own fields from it."""
    try:
        return forms.get(document.form_id, document.form_version)
    except DomainError as error:
        raise ExchangeFormatError(str(error)) from error


def _resolve_picks(spec: FormSpec, answers: dict[str, Any],
                   services: tuple[RegistryService, ...]) -> list[str]:
    """An older file's service name (format version 1, or a form whose pick was free text)
    read as the registry key where the form now picks from the registry."""
    return registry_pick.resolve_picks(
        ((spec_field.id, spec_field.kind is FieldKind.REGISTRY_SERVICE)
         for _, spec_field in spec.fields()),
        answers, services, spec.service_type)


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    unknown: list[str]  # answer keys the form does not have
    note: str = ""  # where the lists came from, when not from the database (for stderr)


def check(document: ApplicationDocument) -> CheckResult:
    """Check a document as the web form would. The applicant's region is the organisation
    list's, not the file's (where they disagree, a finding says so); the list and the registry
    are the database's, or ``data/``'s when there is no database to read them from."""
    spec = spec_for(document)
    answers, unknown = normalise(spec, document.answers)
    lists = reference_lists()
    answers = dict(answers)
    _resolve_picks(spec, answers, lists.registry)
    found = applicant(document, lists.health_trusts)
    context = RuleContext(
        kind=document.kind, round_year=document.round_year,
        applicant_organisation=found.organisation, applicant_region=found.region,
        organisations=lists.health_trusts,
        attachments=tuple(AttachmentRef(entry.field, entry.name) for entry in document.attachments),
        registry=lists.registry, service_type=spec.service_type,
    )
    findings = [*found.findings, *check_application(spec, answers, context)]
    return CheckResult(findings, unknown, lists.note)


# --------------------------------------------------------------------------- the lists


@dataclass(frozen=True)
class ReferenceLists:
    """What a file is checked against: the health trusts and the registry of services."""

    health_trusts: tuple[OrganisationEntry, ...]
    registry: tuple[RegistryService, ...]
    note: str = ""  # why they were read from data/; empty when they are the database's


HEALTH_TRUSTS_CSV = "helseforetak.csv"  # what `soknad setup` and `soknad demo` load
REGISTRY_CSV = "nasjonale_tjenester.csv"  # what `soknad demo` imports
_TABLES = (Organisation.__tablename__, NationalService.__tablename__)
_HEALTH_TRUSTS = "SELECT count(*) FROM organisation WHERE kind = 'hf' AND active"


def reference_lists() -> ReferenceLists:
    """The database's lists when it has health trusts; otherwise the files in ``DATA_DIR``
    that ``soknad setup`` and ``soknad demo`` load them from. Creates and changes no database:
    a SQLite file that is not there is not opened (opening it would create it)."""
    missing = _why_not_the_database()
    if not missing:
        return ReferenceLists(organisations.health_trusts(), registry.entries())
    data_dir = Path(current_app.config["DATA_DIR"])
    try:
        trusts = read_health_trusts(data_dir / HEALTH_TRUSTS_CSV)
        services = read_registry(data_dir / REGISTRY_CSV)
    except OSError as error:
        raise DomainError(f"{missing} Kan heller ikke lese {error.filename}: "
                          f"{error.strerror}.") from error
    return ReferenceLists(
        tuple(sorted(trusts, key=lambda entry: entry.name)),
        tuple(sorted(services, key=lambda entry: entry.name_nb)),
        f"{missing} Sjekken bruker organisasjonslisten og registeret i {data_dir} "
        f"({HEALTH_TRUSTS_CSV}, {REGISTRY_CSV}).",
    )


def _why_not_the_database() -> str:
    """Why the database cannot give the lists (Norwegian, for the user); empty when it can."""
    url = db.engine.url
    where = _shown(url)
    try:
        if url.get_backend_name() == "sqlite":
            path = url.database or ""
            if path in {"", ":memory:"} or not Path(path).is_file():
                return f"Fant ingen database ({where})."
            tables, trusts = _sqlite_contents(Path(path))
        else:
            with db.engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
                trusts = connection.scalar(text(_HEALTH_TRUSTS)) if tables >= set(_TABLES) else 0
    except (DBAPIError, sqlite3.Error) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return f"Kan ikke åpne databasen ({where}): {reason}."
    if not tables >= set(_TABLES):
        return f"Databasen har ingen tabeller for organisasjoner og nasjonale tjenester ({where})."
    if not trusts:
        return f"Databasen har ingen helseforetak ({where})."
    return ""


def _sqlite_contents(path: Path) -> tuple[set[str], int]:
    """(the tables, how many active health trusts) of a SQLite file, opened read-only: the
    app's own connections set the write-ahead log, which writes to the file."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        trusts = (connection.execute(_HEALTH_TRUSTS).fetchone()[0]
                  if tables >= set(_TABLES) else 0)
    finally:
        connection.close()
    return tables, trusts


def _shown(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or "i minnet"
    return url.render_as_string(hide_password=True)


def import_document(document: ApplicationDocument, owner: User) -> tuple[Application, list[str]]:
    """Create a draft for ``owner``'s health trust from the document. Returns the application
    and notes for the person running the import (skipped attachments, ignored keys)."""
    spec = spec_for(document)
    answers, unknown = normalise(spec, document.answers)
    if unknown:
        raise ExchangeFormatError(
            f"Filen har svar som skjemaet {spec.key} ikke har: {', '.join(unknown)}"
        )
    answers = dict(answers)
    notes = _resolve_picks(spec, answers, registry.entries())
    if document.organisation != owner.organisation.name:
        notes.append(f"Filen er fra {document.organisation}; søknaden legges på "
                     f"{owner.organisation.name}, som eier er med i.")
    application = applications.create_draft(
        owner, spec.service_type, document.kind, answers, spec=spec,
        round_year=document.round_year,
    )
    for entry in document.attachments:
        if entry.content is None:
            notes.append(f"Vedlegget «{entry.name}» var ikke med i filen og er ikke importert.")
            continue
        attachments.store(application, entry.field, io.BytesIO(entry.content), entry.name, owner)
    return application, notes
