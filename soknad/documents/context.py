"""The data each template sees: plain dicts, lists and ``WordText`` values, built from the
exchange document and the letters' dataclasses. Every key is always present (empty when it
does not apply), so a template may test any of them and ``variables`` can list them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from soknad.documents.data import (
    NO_APPEAL,
    CoverLetterData,
    DecisionKind,
    DecisionLetterData,
    local_time,
)
from soknad.documents.text import WordText
from soknad.domain import icd10
from soknad.domain.dates import long_date
from soknad.domain.exchange import ApplicationDocument, AttachmentEntry
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import (
    FILE_KINDS,
    Column,
    ColumnKind,
    Field,
    FieldKind,
    FormSpec,
    Section,
)
from soknad.domain.organisations import region_label
from soknad.domain.values import date_text

Context = dict[str, Any]

NOT_ANSWERED = "Ikke besvart."
NO_ROWS = "Ingen rader er fylt ut."
NO_EVIDENCE = "Ingen dokumentasjon er oppgitt."


def file_size(size: int) -> str:
    """``512 byte``, ``12 kB``, ``1,5 MB`` (Norwegian decimal comma)."""
    if size < 1000:
        return f"{size} byte"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


# --------------------------------------------------------------------------- the application


def _given(value: Any) -> str:
    """The answer as stored, or "" when it is blank (documents show what was typed)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text if text.strip() else ""


def _items(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item.strip()] if isinstance(
        value, list) else []


def _date_text(text: str) -> str:
    """A typed date as a short Norwegian date; text that is not a date as typed."""
    return date_text(text)


def _cell(column: Column, value: Any) -> str:
    text = _given(value)
    if not text:
        return ""
    if column.kind is ColumnKind.CHOICE:
        return column.choice_label(text)
    if column.kind is ColumnKind.DATE:
        return _date_text(text)
    if column.kind is ColumnKind.PERCENT and not text.endswith("%"):
        return f"{text} %"
    return text


def _table(spec_field: Field, value: Any) -> tuple[list[WordText], list[list[WordText]]]:
    columns = [WordText(column.label) for column in spec_field.columns]
    if spec_field.row_per_region:
        columns.insert(0, WordText("Helseregion"))
    rows = []
    for row in value if isinstance(value, list) else []:
        if not isinstance(row, Mapping):
            continue
        cells = [_cell(column, row.get(column.id)) for column in spec_field.columns]
        if spec_field.row_per_region:
            cells.insert(0, region_label(row.get("region")))
        if any(cells):
            rows.append([WordText(cell) for cell in cells])
    return columns, rows


def _evidence(spec_field: Field, value: Any,
              attachments: Sequence[AttachmentEntry]) -> list[WordText]:
    items = [WordText(item) for item in _items(value)]
    items += [WordText(f"Vedlegg: {entry.name} ({file_size(entry.size)})")
              for entry in attachments if entry.field == spec_field.id]
    return items


def _scalar(spec_field: Field, value: Any) -> str:
    if spec_field.kind is FieldKind.ICD10_LIST:
        codes = _items(value)
        return "\n".join([*map(icd10.with_title, codes), icd10.TITLE_NOTE]) if codes else ""
    if isinstance(value, list):
        return "\n".join(_items(value))
    text = _given(value)
    if not text:
        return ""
    if spec_field.kind is FieldKind.CHOICE:
        return spec_field.choice_label(text)
    if spec_field.kind is FieldKind.DATE:
        return _date_text(text)
    if spec_field.kind is FieldKind.NUMBER and spec_field.unit:
        return f"{text} {spec_field.unit}"
    return text


def _field(spec_field: Field, answers: Mapping[str, Any],
           attachments: Sequence[AttachmentEntry]) -> Context | None:
    """One field as the template sees it, or None when it is empty and not asked for."""
    value = answers.get(spec_field.id)
    entry: Context = {"ledetekst": WordText(spec_field.label), "type": "tekst",
                      "tekst": WordText(""), "kolonner": [], "rader": [], "liste": []}
    required = spec_field.is_required(answers)
    if spec_field.kind is FieldKind.TABLE:
        columns, rows = _table(spec_field, value)
        if rows:
            entry.update(type="tabell", kolonner=columns, rader=rows)
        elif required:
            entry["tekst"] = WordText(NO_ROWS)
        else:
            return None
    elif spec_field.kind in FILE_KINDS:
        items = _evidence(spec_field, value, attachments)
        if items:
            entry.update(type="liste", liste=items)
        elif required:
            entry["tekst"] = WordText(NO_EVIDENCE)
        else:
            return None
    else:
        text = _scalar(spec_field, value)
        if not text and not required:
            return None
        entry["tekst"] = WordText(text or NOT_ANSWERED)
    return entry


def _section(section: Section, answers: Mapping[str, Any],
             attachments: Sequence[AttachmentEntry]) -> Context:
    fields = [entry for spec_field in section.fields
              if (entry := _field(spec_field, answers, attachments)) is not None]
    return {"nummer": str(section.number or ""), "tittel": WordText(section.title),
            "overskrift": WordText(section.heading), "felter": fields}


def _as_finding(item: Finding | Mapping[str, Any]) -> Finding:
    return item if isinstance(item, Finding) else Finding.from_dict(dict(item))


def application_context(document: ApplicationDocument, spec: FormSpec,
                        findings: Iterable[Finding | Mapping[str, Any]], sha256: str,
                        submitted_at: datetime | str) -> Context:
    answers = dict(document.answers)
    warnings = [finding for finding in map(_as_finding, findings)
                if finding.severity is Severity.WARNING]
    spec = spec.for_kind(document.kind)
    sections = spec.sections
    target = document.service
    if target is not None and target.key:  # a registry pick reads as the service's name
        for _, spec_field in spec.fields():
            if spec_field.kind is FieldKind.REGISTRY_SERVICE and answers.get(spec_field.id) == (
                    target.key):
                answers[spec_field.id] = (f"{target.name} ({target.location})"
                                          if target.location else target.name)
    submission = document.submission
    name = _given(answers.get("navn_nb")) or (target.name if target else "")
    return {
        "tittel": WordText(spec.title),
        "tjenestenavn": WordText(name or "(uten navn)"),
        "engelsk_navn": WordText(_given(answers.get("navn_en"))),
        "tjenestetype": WordText(spec.service_type.label),
        "soknadstype": WordText(document.kind.label),
        "helseforetak": WordText(document.organisation),
        "region": WordText(document.region.label),
        "runde": str(document.round_year),
        "innsendt": local_time(submitted_at),
        "innsendt_av": WordText(submission.submitted_by if submission else ""),
        "innsending_nr": str(submission.number) if submission else "",
        "skjema": WordText(spec.title),
        "skjemaversjon": str(spec.version),
        "sha256": sha256,
        "punkter": [_section(section, answers, document.attachments) for section in sections],
        "merknader": [
            {"punkt": WordText(_place(spec, finding)),
             "tekst": WordText(finding.message), "kilde": WordText(finding.reference)}
            for finding in warnings
        ],
        "vedlegg": [
            {"navn": WordText(entry.name), "storrelse": file_size(entry.size),
             "sha256": entry.sha256, "felt": WordText(_field_label(spec, entry.field))}
            for entry in document.attachments
        ],
    }


def _field_label(spec: FormSpec, field_id: str) -> str:
    try:
        section = spec.section_of(field_id)
        return f"{section.short_heading}: {spec.field(field_id).label}"
    except KeyError:
        return field_id


# --------------------------------------------------------------------------- the letters


def cover_letter_context(data: CoverLetterData) -> Context:
    return {
        "runde": str(data.round_year),
        "dato": long_date(data.sent_on),
        "frist": long_date(date(data.round_year, 1, 15)),
        "koordinerende_rhf": WordText(data.coordinating_region),
        "antall": str(len(data.entries)),
        "soknader": [
            {"rang": str(entry.rank), "navn": WordText(entry.name),
             "tjenestetype": WordText(entry.service_type), "region": WordText(entry.region),
             "helseforetak": WordText(entry.health_trust),
             "beskrivelse": WordText(entry.description), "soknadstype": WordText(entry.kind)}
            for entry in data.entries
        ],
        "samtykker": [
            {"region": WordText(consent.region), "gitt_av": WordText(consent.who),
             "tidspunkt": local_time(consent.when), "beslutning": WordText(consent.decision),
             "kommentar": WordText(consent.comment), "tittel": WordText(consent.title)}
            for consent in data.consents
        ],
        "regioner": [
            {"region": WordText(region.region), "begrunnelse": WordText(region.reason),
             "soknader": [{"rang": str(rank), "navn": WordText(name)}
                          for rank, name in enumerate(region.ranked, start=1)]}
            for region in data.regions
        ],
        "kontakt_navn": WordText(data.contact.name),
        "kontakt_tittel": WordText(data.contact.title),
        "kontakt_virksomhet": WordText(data.contact.organisation),
        "kontakt_epost": WordText(data.contact.email),
        "kontakt_telefon": WordText(data.contact.phone),
    }


def decision_letter_context(data: DecisionLetterData) -> Context:
    decision = data.decision
    service_type = data.service_type
    return {
        "vedtak": decision.value,
        "vedtak_tekst": decision.label,
        "godkjent": decision is DecisionKind.APPROVED,
        "avslatt": decision is DecisionKind.REJECTED,
        "utsatt": decision is DecisionKind.POSTPONED,
        "tjenestenavn": WordText(data.application_name),
        "helseforetak": WordText(data.health_trust),
        "region": WordText(data.region),
        "tjenestetype": WordText(service_type),
        "tjenestetype_liten": WordText(service_type[:1].lower() + service_type[1:]),
        "soknadstype": WordText(data.application_kind),
        "runde": str(data.round_year),
        "vedtaksdato": long_date(data.decision_date),
        "saksnummer": WordText(data.case_reference),
        "begrunnelse": WordText(data.reasons),
        "gjelder_fra": long_date(data.effective_date),
        "etablert_innen": long_date(data.establish_by),
        "funksjon": WordText(data.competence_function),
        "virketid_ar": str(data.term_years or ""),
        "virketid_slutt": long_date(data.term_end),
        "utsatt_til": long_date(data.postponed_until),
        "etablering": data.outcome == "etablering",
        "avvikling": data.outcome == "avvikling",
        "navneendring": data.outcome == "endring_navn",
        "innholdsendring": data.outcome == "endring_innhold",
        "gjelder_tjeneste": WordText(data.service_name or data.application_name),
        "tidligere_navn": WordText(data.service_name),
        "nytt_navn": WordText(data.new_name),
        "ny_beskrivelse": WordText(data.new_description),
        "avvikles_fra": long_date(data.terminated_from),
        "klage": NO_APPEAL if data.cannot_be_appealed else "",
        "kontaktperson": WordText(data.contact_name),
        "kontakt_epost": WordText(data.contact_email),
        "kontakt_telefon": WordText(data.contact_phone),
        "underskriver": WordText(data.signatory_name),
        "underskriver_tittel": WordText(data.signatory_title),
    }


def _place(spec: FormSpec, finding: Finding) -> str:
    """«Punkt 7», or the title of a part without a number («Om søknaden», «Faglig
    referansegruppe»)."""
    if finding.point:
        return f"Punkt {finding.point}"
    try:
        return spec.section(finding.section).short_heading
    except KeyError:
        return "Om søknaden"
