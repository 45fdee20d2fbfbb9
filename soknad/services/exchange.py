"""Export and import of applications in the JSON exchange format (``docs/exchange-format.md``)."""

from __future__ import annotations

import base64
import io
from typing import Any

from soknad.domain.answers import normalise
from soknad.domain.errors import DomainError, ExchangeFormatError
from soknad.domain.exchange import ApplicationDocument
from soknad.domain.findings import Finding
from soknad.domain.formspec import FormSpec
from soknad.domain.rules import AttachmentRef, RuleContext, check_application
from soknad.models import Application, User
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
    try:
        return forms.get(document.form_id, document.form_version)
    except DomainError as error:
        raise ExchangeFormatError(str(error)) from error


def check(document: ApplicationDocument) -> tuple[list[Finding], list[str]]:
    """(the findings, the answer keys the form does not know) for a document."""
    spec = spec_for(document)
    answers, unknown = normalise(spec, document.answers)
    context = RuleContext(
        kind=document.kind, round_year=document.round_year,
        applicant_organisation=document.organisation, applicant_region=document.region,
        organisations=organisations.health_trusts(),
        attachments=tuple(AttachmentRef(entry.field, entry.name) for entry in document.attachments),
        registry=registry.entries(),
    )
    return check_application(spec, answers, context), unknown


def import_document(document: ApplicationDocument, owner: User) -> tuple[Application, list[str]]:
    """Create a draft for ``owner``'s health trust from the document. Returns the application
    and notes for the person running the import (skipped attachments, ignored keys)."""
    spec = spec_for(document)
    answers, unknown = normalise(spec, document.answers)
    if unknown:
        raise ExchangeFormatError(
            f"Filen har svar som skjemaet {spec.key} ikke har: {', '.join(unknown)}"
        )
    notes = []
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
