"""Building documents from test data and reading them back as a user's program would."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.table import Table

from soknad.documents import (
    Consent,
    CoverLetterData,
    DecisionKind,
    DecisionLetterData,
    RankedEntry,
    application_docx,
)
from soknad.documents.data import Contact, RegionReason
from soknad.domain.decisions import decision_dates
from soknad.domain.exchange import ApplicationDocument, AttachmentEntry, Submission
from soknad.domain.formspec import FormLibrary, FormSpec
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import VALID_ANSWERS

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates" / "docx"
APPLICATION_TEMPLATE = TEMPLATES / "soknad.docx"
COVER_TEMPLATE = TEMPLATES / "samlet_soknad.docx"
DECISION_TEMPLATE = TEMPLATES / "vedtaksbrev.docx"
SUBMITTED_AT = "2026-11-02T10:15:00+01:00"
SHA = "5f" * 32


@cache
def library() -> FormLibrary:
    return FormLibrary.load(ROOT / "forms")


def spec_for(service_type: ServiceType) -> FormSpec:
    return library().latest(service_type)


def application(service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
                **answers: Any) -> ApplicationDocument:
    spec = spec_for(service_type)
    return ApplicationDocument(
        form_id=spec.id, form_version=spec.version, kind=ApplicationKind.ESTABLISHMENT,
        round_year=2027, organisation="Oslo universitetssykehus HF", region=Region.SOR_OST,
        answers={**VALID_ANSWERS[service_type], **answers},
        attachments=(AttachmentEntry("p2_dokumentasjon", "Registerdata æøå.pdf", "ab" * 32,
                                     1_234_567, "application/pdf"),),
        submission=Submission(1, SUBMITTED_AT, "Kari Nordmann"),
    )


def render_application(document: ApplicationDocument, findings: Any = (),
                       template: Path | bytes = APPLICATION_TEMPLATE) -> bytes:
    spec = library().get(document.form_id, document.form_version)
    return application_docx(document, spec, list(findings), SHA, SUBMITTED_AT, template)


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def table_rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def texts(document: Document) -> Iterator[str]:
    """Every paragraph and table cell, in document order, then headers and footers."""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield docx.text.paragraph.Paragraph(child, document).text
        elif child.tag.endswith("}tbl"):
            for row in table_rows(Table(child, document)):
                yield from row
    for section in document.sections:
        for paragraph in (*section.header.paragraphs, *section.footer.paragraphs):
            yield paragraph.text


def full_text(data: bytes) -> str:
    return "\n".join(texts(open_docx(data)))


def cover_data(**overrides: Any) -> CoverLetterData:
    entries = [
        RankedEntry(1, "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                    "Nasjonal behandlingstjeneste", "Helse Sør-Øst",
                    "Oslo universitetssykehus HF", "Utreder og behandler sjeldne beinsykdommer.",
                    "Etablering av ny tjeneste"),
        RankedEntry(2, "Nasjonal kompetansetjeneste for kognitiv svikt",
                    "Nasjonal kompetansetjeneste", "Helse Vest", "Helse Bergen HF",
                    "Bygger og sprer kompetanse om kognitiv svikt.", "Etablering av ny tjeneste"),
    ]
    consents = [Consent(region.label, f"Direktør i {region.label}",
                        datetime(2027, 1, 10 + index, 8, 30, tzinfo=UTC), "Samtykker",
                        "Ingen merknader" if index == 0 else "", "Fagdirektør")
                for index, region in enumerate(Region)]
    regions = [RegionReason("Helse Sør-Øst", [entries[0].name],
                            "Størst pasientgrunnlag og mangel på tilbud i dag."),
               RegionReason("Helse Vest", [entries[1].name], "Eneste søknad fra regionen."),
               RegionReason("Helse Midt-Norge"), RegionReason("Helse Nord")]
    contact = Contact("Kari Nordmann", "Seniorrådgiver", "Helse Sør-Øst RHF",
                      "kari.nordmann@helse-sorost.no", "+47 22 33 44 55")
    data = CoverLetterData(2027, entries, consents, date(2027, 1, 14), "Helse Sør-Øst",
                           regions, contact)
    return replace(data, **overrides)


def decision_data(decision: DecisionKind, **overrides: Any) -> DecisionLetterData:
    decided = date(2027, 12, 1)
    competence = decision is DecisionKind.APPROVED
    found = decision_dates(decision, 2027, function="opplaering" if competence else None)
    dates = {"effective_date": found.effective_from, "establish_by": found.establish_by,
             "term_end": found.term_ends, "postponed_until": found.final_decision_by}
    values: dict[str, Any] = {
        "application_name": "Nasjonal kompetansetjeneste for sjeldne beinsykdommer",
        "health_trust": "Oslo universitetssykehus HF", "region": "Helse Sør-Øst",
        "service_type": "Nasjonal kompetansetjeneste", "decision": decision,
        "decision_date": decided, "round_year": 2027,
        "reasons": "Søknaden dokumenterer et kompetansesvakt fagfelt.\nTo avsnitt.",
        "competence_function": "Opplæring" if competence else "",
        "term_years": 5 if competence else None, **dates, **overrides,
    }
    return DecisionLetterData(**values)
