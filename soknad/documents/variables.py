"""What each Word template may use, and the check an uploaded template must pass.

The variables are exactly the keys the context builders in ``context`` produce; they are read
off sample contexts, so this list cannot drift from the data. ``check_template`` refuses a file
that is not a .docx, that has a syntax error in its tags, that uses a variable (or an attribute
of one) the data does not provide, or that does not give a valid document when filled with
sample data for every case (e.g. each kind of decision).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import docx
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError, nodes
from lxml import etree

from soknad.documents import engine
from soknad.documents.context import (
    Context,
    application_context,
    cover_letter_context,
    decision_letter_context,
)
from soknad.documents.data import (
    Consent,
    Contact,
    CoverLetterData,
    DecisionKind,
    DecisionLetterData,
    RankedEntry,
    RegionReason,
)
from soknad.documents.render import ENVIRONMENT
from soknad.documents.report_letter import VARIABLES as REPORT_LETTER_VARIABLES
from soknad.documents.report_letter import report_letter_context
from soknad.documents.report_letter import sample as report_letter_sample
from soknad.documents.round_letter import VARIABLES as ROUND_LETTER_VARIABLES
from soknad.documents.round_letter import round_letter_context
from soknad.documents.round_letter import sample as round_letter_sample
from soknad.domain.exchange import ApplicationDocument, AttachmentEntry, Submission
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import Column, ColumnKind, Field, FieldKind, FormSpec, Section
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType


class TemplateKind(StrEnum):
    APPLICATION = "soknad"
    COVER_LETTER = "samlet_soknad"
    DECISION_LETTER = "vedtaksbrev"
    ROUND_LETTER = "samlet_tilbakemelding"
    REPORT_LETTER = "vurdering_arsrapporter"

    @property
    def label(self) -> str:
        return {"soknad": "Søknaden som Word-dokument",
                "samlet_soknad": "Følgebrev til samlet søknad",
                "vedtaksbrev": "Vedtaksbrev",
                "samlet_tilbakemelding": "Samlet tilbakemelding til de regionale "
                                         "helseforetakene",
                "vurdering_arsrapporter": "Vurdering av årsrapportene (til hvert regionale "
                                          "helseforetak)"}[self.value]

    @property
    def filename(self) -> str:
        return f"{self.value}.docx"


# --------------------------------------------------------------------------- sample data

_SPEC = FormSpec(
    id="eksempel", version=1, service_type=ServiceType.NATIONAL_TREATMENT,
    title="Søknad om nasjonal behandlingstjeneste",
    sections=(
        Section(id="om", title="Om søknaden", fields=(
            Field(id="navn_nb", kind=FieldKind.LINE, label="Navn", required=True),)),
        Section(id="p7", number=7, title="Behandlere", fields=(
            Field(id="tekst", kind=FieldKind.TEXT, label="Tekst", required=True),
            Field(id="tabell", kind=FieldKind.TABLE, label="Tabell", required=True,
                  columns=(Column(id="navn", label="Navn"),
                           Column(id="dato", label="Dato", kind=ColumnKind.DATE))),
            Field(id="dok", kind=FieldKind.EVIDENCE, label="Dokumentasjon", required=True))),
    ),
)
_WHEN = "2026-11-02T10:15:00+01:00"


def _application_samples() -> list[Context]:
    document = ApplicationDocument(
        form_id=_SPEC.id, form_version=1, kind=ApplicationKind.ESTABLISHMENT, round_year=2027,
        organisation="Oslo universitetssykehus HF", region=Region.SOR_OST,
        answers={"navn_nb": "Nasjonal behandlingstjeneste for eksempel", "tekst": "Linje\nto",
                 "tabell": [{"navn": "Kari", "dato": "2027-01-01"}], "dok": ["Rapport"]},
        attachments=(AttachmentEntry("dok", "a.pdf", "0" * 64, 10, "application/pdf"),),
        submission=Submission(1, _WHEN, "Kari Nordmann"),
    )
    warning = Finding(rule="r", section="p7", severity=Severity.WARNING, message="Merk", point=7)
    return [application_context(document, _SPEC, [warning], "0" * 64, _WHEN)]


def _cover_samples() -> list[Context]:
    entry = RankedEntry(1, "Nasjonal behandlingstjeneste for eksempel",
                        "Nasjonal behandlingstjeneste", "Helse Sør-Øst",
                        "Oslo universitetssykehus HF", "Beskrivelse.", "Etablering av ny tjeneste")
    consent = Consent("Helse Vest", "Ola Nordmann", datetime(2027, 1, 10, 9, tzinfo=UTC),
                      "Samtykker", "Ingen merknad", "Fagdirektør")
    region = RegionReason("Helse Sør-Øst", [entry.name], "Størst nasjonalt behov.")
    contact = Contact("Kari Nordmann", "Seniorrådgiver", "Helse Sør-Øst RHF",
                      "kari@example.no", "+47 22 00 00 00")
    return [cover_letter_context(CoverLetterData(2027, [entry], [consent], date(2027, 1, 14),
                                                 "Helse Sør-Øst", [region], contact))]


def _decision_samples() -> list[Context]:
    base: dict[str, Any] = {
        "application_name": "Nasjonal kompetansetjeneste for eksempel",
        "health_trust": "Oslo universitetssykehus HF", "region": "Helse Sør-Øst",
        "service_type": "Nasjonal kompetansetjeneste", "decision_date": date(2027, 12, 1),
        "round_year": 2027, "reasons": "Begrunnelse.", "case_reference": "27/123",
        "application_kind": "Etablering av ny tjeneste",
        "contact_name": "Kari Saksbehandler", "contact_email": "kari@helsedir.no",
        "contact_phone": "810 20 050", "signatory_name": "Ola Direktør",
        "signatory_title": "Avdelingsdirektør",
    }
    return [decision_letter_context(data) for data in (
        DecisionLetterData(**base, decision=DecisionKind.APPROVED,
                           effective_date=date(2028, 1, 1), establish_by=date(2028, 12, 31),
                           competence_function="Opplæring", term_years=5,
                           term_end=date(2032, 12, 31)),
        DecisionLetterData(**base, decision=DecisionKind.APPROVED, outcome="avvikling",
                           effective_date=date(2028, 1, 1), terminated_from=date(2028, 1, 1),
                           service_name="Nasjonal kompetansetjeneste for eksempel"),
        DecisionLetterData(**base, decision=DecisionKind.APPROVED, outcome="endring_navn",
                           effective_date=date(2028, 1, 1), new_name="Nytt navn",
                           service_name="Nasjonal kompetansetjeneste for eksempel"),
        DecisionLetterData(**base, decision=DecisionKind.APPROVED, outcome="endring_innhold",
                           effective_date=date(2028, 1, 1), new_description="Ny beskrivelse.",
                           service_name="Nasjonal kompetansetjeneste for eksempel"),
        DecisionLetterData(**base, decision=DecisionKind.REJECTED),
        DecisionLetterData(**base, decision=DecisionKind.POSTPONED,
                           postponed_until=date(2028, 5, 30)),
    )]


def sample_contexts(kind: TemplateKind) -> list[Context]:
    return {TemplateKind.APPLICATION: _application_samples,
            TemplateKind.COVER_LETTER: _cover_samples,
            TemplateKind.DECISION_LETTER: _decision_samples,
            TemplateKind.ROUND_LETTER: lambda: [round_letter_context(round_letter_sample())],
            TemplateKind.REPORT_LETTER: lambda: [report_letter_context(report_letter_sample())],
            }[kind]()


# --------------------------------------------------------------------------- the variables

Schema = dict[str, Any]  # name -> None (a value) or Schema (the keys of an object / list item)


def _schema_of(value: Any) -> Schema | None:
    if isinstance(value, Mapping):
        return {key: _schema_of(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_schema_of(item) for item in value]
        merged: Schema = {}
        for item in items:
            if isinstance(item, dict):
                merged.update(item)
        return merged or None
    return None


def schema(kind: TemplateKind) -> Schema:
    merged: Schema = {}
    for context in sample_contexts(kind):
        merged.update(_schema_of(context) or {})
    return merged


def variable_names(kind: TemplateKind) -> list[str]:
    """Every name a template may use, nested ones as ``punkter[].overskrift``."""

    def walk(node: Schema, prefix: str) -> Iterator[str]:
        for key, child in node.items():
            yield prefix + key
            if isinstance(child, dict):
                yield from walk(child, f"{prefix}{key}[].")

    return list(walk(schema(kind), ""))


# --------------------------------------------------------------------------- the check


def _attribute_problems(source: str, top: Schema) -> set[str]:
    """Names like ``punkt.feil`` where ``punkt`` is known but has no key ``feil``."""
    found: set[str] = set()

    def resolve(node: nodes.Node, scope: Mapping[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name)
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            parent = resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value",
                                                                              None)
            return parent.get(key) if isinstance(parent, dict) else None
        return None

    def label(node: nodes.Node) -> str:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            return f"{label(node.node)}.{node.attr}"
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            return f"{label(node.node)}.{node.arg.value}"
        return "…"

    def walk(node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            walk(node.iter, scope)
            inner = dict(scope)
            item = resolve(node.iter, scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            for target in node.target.find_all(nodes.Name):
                inner[target.name] = None
            for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
                walk(child, inner)
            return
        if isinstance(node, nodes.Assign):
            for target in (node.target, *node.target.find_all(nodes.Name)):
                if isinstance(target, nodes.Name):
                    scope[target.name] = None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            parent = resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value",
                                                                              None)
            if isinstance(parent, dict) and isinstance(key, str) and key not in parent:
                found.add(label(node))
        for child in node.iter_child_nodes():
            walk(child, scope)

    walk(ENVIRONMENT.parse(source), dict(top))
    return found


_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_NOT_DOCX = ("Filen er ikke et gyldig Word-dokument (.docx). Lagre malen som "
             "«Word-dokument (*.docx)» i Word eller LibreOffice og last den opp igjen.")


def _content_type_problem(members: Mapping[str, bytes]) -> str | None:
    types = members.get("[Content_Types].xml", b"")
    if _MAIN_TYPE.encode() in types:
        return None
    if b"template.main+xml" in types:
        return ("Filen er en Word-mal (.dotx). Lagre den som «Word-dokument (*.docx)» og last "
                "den opp igjen.")
    if b"macroEnabled" in types:
        return ("Filen inneholder makroer (.docm). Lagre den som «Word-dokument (*.docx)» "
                "uten makroer.")
    return _NOT_DOCX


def _undefined_name(error: UndefinedError) -> str:
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", str(error))
    return next((group for group in match.groups() if group), str(error)) if match else str(error)


def check_template(kind: TemplateKind | str, data: bytes) -> list[str]:
    """Problems with ``data`` as the template for ``kind``, in Norwegian; empty when it is fine."""
    kind = TemplateKind(kind)
    try:
        members, order = engine.read_docx(data)
    except engine.TemplateFileError:
        return [_NOT_DOCX]
    if problem := _content_type_problem(members):
        return [problem]
    known = schema(kind)
    allowed = set(known) | set(ENVIRONMENT.globals)
    try:
        declared = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(ENVIRONMENT)
        prepared = engine.prepare(members, order)
    except TemplateSyntaxError as error:
        return [f"Malen har en feil i en flettekode: {error.message}. Sjekk at hver {{{{ har en "
                "}} og hver {% har en %}, og at for/if avsluttes med endfor/endif."]
    except (engine.TemplateFileError, etree.XMLSyntaxError, KeyError, ValueError,
            zipfile.BadZipFile):
        return [_NOT_DOCX]
    problems = [f"Malen bruker variabelen «{name}», som ikke finnes i dataene for "
                f"{kind.label.lower()}." for name in sorted(declared - allowed)]
    attributes: set[str] = set()
    for source in (prepared.body, *(part.source for part in prepared.parts)):
        try:
            attributes |= _attribute_problems(source, known)
        except TemplateSyntaxError as error:
            return [f"Malen har en feil i en flettekode: {error.message}."]
    problems += [f"Malen bruker «{name}», som ikke finnes i dataene for {kind.label.lower()}."
                 for name in sorted(attributes)]
    if problems:
        return problems
    return _trial_problems(kind, prepared)


def _trial_problems(kind: TemplateKind, prepared: engine.Prepared) -> list[str]:
    """Fill the template with each sample; the result must open as a Word document."""
    for context in sample_contexts(kind):
        try:
            result = engine.render(prepared, context, ENVIRONMENT, title="Prøve",
                                   moment=datetime(2027, 1, 1, tzinfo=UTC))
            docx.Document(io.BytesIO(result))
        except UndefinedError as error:
            return [f"Malen bruker «{_undefined_name(error)}», som ikke finnes i dataene for "
                    f"{kind.label.lower()}."]
        except Exception as error:
            return [f"Malen gir ikke et gyldig Word-dokument når den fylles ut ({error}). "
                    "Kontroller at for/if-kodene står i egne avsnitt eller tabellrader "
                    "({%p …%}, {%tr …%})."]
    return []


VARIABLE_HELP: dict[TemplateKind, dict[str, str]] = {
    TemplateKind.APPLICATION: {
        "tittel": "Skjemaets tittel, f.eks. «Søknad om nasjonal behandlingstjeneste»",
        "tjenestenavn": "Tjenestens navn på norsk",
        "engelsk_navn": "Forslag til engelsk navn",
        "tjenestetype": "Tjenestetypen",
        "soknadstype": "Søknadstypen (etablering, endring, avvikling)",
        "helseforetak": "Helseforetaket som søker",
        "region": "Helseregionen",
        "runde": "Søknadsrunden (år)",
        "innsendt": "Når søknaden ble sendt inn",
        "innsendt_av": "Hvem som sendte inn",
        "innsending_nr": "Innsendingens nummer (1 for første innsending)",
        "skjema": "Skjemaets tittel, slik brukerne leser den",
        "skjemaversjon": "Skjemaets versjon",
        "sha256": "SHA-256 av den innsendte versjonen",
        "punkter": "Punktene i rekkefølge (bruk {%p for punkt in punkter %})",
        "punkter[].nummer": "Punktets nummer i vedlegg 6 (tomt for «Om søknaden»)",
        "punkter[].tittel": "Punktets tittel fra vedlegg 6",
        "punkter[].overskrift": "«Punkt N: tittel»",
        "punkter[].felter": "Feltene i punktet",
        "punkter[].felter[].ledetekst": "Feltets ledetekst",
        "punkter[].felter[].type": "«tekst», «tabell» eller «liste»",
        "punkter[].felter[].tekst": "Svaret (for type «tekst»)",
        "punkter[].felter[].kolonner": "Kolonneoverskriftene (for type «tabell»)",
        "punkter[].felter[].rader": "Radene, hver en liste av celler (for type «tabell»)",
        "punkter[].felter[].liste": "Dokumentasjon og vedlegg (for type «liste»)",
        "merknader": "Advarslene fra kontrollen da søknaden ble sendt inn",
        "merknader[].punkt": "Punktet advarselen gjelder",
        "merknader[].tekst": "Advarselen",
        "merknader[].kilde": "Hvor i regelverket kravet står",
        "vedlegg": "Vedleggene",
        "vedlegg[].navn": "Filnavnet",
        "vedlegg[].storrelse": "Størrelsen",
        "vedlegg[].sha256": "Filens SHA-256",
        "vedlegg[].felt": "Punktet og feltet vedlegget hører til",
    },
    TemplateKind.COVER_LETTER: {
        "runde": "Søknadsrunden (år)",
        "dato": "Datoen brevet sendes",
        "frist": "Fristen 15. januar i søknadsrunden",
        "koordinerende_rhf": "Det regionale helseforetaket som koordinerte runden",
        "antall": "Antall søknader",
        "soknader": "Den nasjonale prioriteringslisten i rekkefølge",
        "soknader[].rang": "Prioritet (1 er høyest)",
        "soknader[].navn": "Tjenestens navn",
        "soknader[].tjenestetype": "Tjenestetypen",
        "soknader[].region": "Helseregionen",
        "soknader[].helseforetak": "Helseforetaket",
        "soknader[].beskrivelse": "Beskrivelsen fra punkt 1 (høyst 100 ord)",
        "soknader[].soknadstype": "Søknadstypen",
        "samtykker": "De regionale helseforetakenes samtykke",
        "samtykker[].region": "Helseregionen",
        "samtykker[].gitt_av": "Hvem som svarte",
        "samtykker[].tidspunkt": "Når",
        "samtykker[].beslutning": "Svaret",
        "samtykker[].kommentar": "Merknad",
        "samtykker[].tittel": "Tittelen til den som svarte (står ved underskriften)",
        "regioner": "De fire regionale helseforetakene, hver med sin prioritering",
        "regioner[].region": "Helseregionen",
        "regioner[].begrunnelse": "Regionens begrunnelse for rekkefølgen",
        "regioner[].soknader": "Regionens godtatte søknader i prioritert rekkefølge",
        "regioner[].soknader[].rang": "Plass i regionens prioritering",
        "regioner[].soknader[].navn": "Tjenestens navn",
        "kontakt_navn": "Kontaktpersonen for den samlede søknaden",
        "kontakt_tittel": "Kontaktpersonens tittel",
        "kontakt_virksomhet": "Det regionale helseforetaket kontaktpersonen arbeider i",
        "kontakt_epost": "Kontaktpersonens e-postadresse",
        "kontakt_telefon": "Kontaktpersonens telefonnummer",
    },
    TemplateKind.DECISION_LETTER: {
        "vedtak": "«approved», «rejected» eller «postponed»",
        "vedtak_tekst": "«Godkjent», «Avslått» eller «Utsatt for videre vurdering»",
        "godkjent": "Sann når søknaden er godkjent",
        "avslatt": "Sann når søknaden er avslått",
        "utsatt": "Sann når vedtaket er utsatt",
        "tjenestenavn": "Tjenestens navn",
        "helseforetak": "Helseforetaket",
        "region": "Helseregionen",
        "tjenestetype": "Tjenestetypen",
        "tjenestetype_liten": "Tjenestetypen med liten forbokstav",
        "soknadstype": "Søknadstypen",
        "runde": "Søknadsrunden (år)",
        "vedtaksdato": "Vedtaksdatoen",
        "saksnummer": "Helsedirektoratets referanse",
        "begrunnelse": "Begrunnelsen",
        "gjelder_fra": "Når godkjenningen gjelder fra",
        "etablert_innen": "Når tjenesten senest skal være etablert",
        "funksjon": "Kompetansetjenestens funksjon",
        "virketid_ar": "Virketiden i år",
        "virketid_slutt": "Siste dag i virketiden",
        "utsatt_til": "Når endelig vedtak senest fattes",
        "etablering": "Sann når søknaden gjelder etablering av en ny tjeneste",
        "avvikling": "Sann når søknaden gjelder avvikling av en tjeneste",
        "navneendring": "Sann når søknaden gjelder endring av navn",
        "innholdsendring": "Sann når søknaden gjelder endring av innhold",
        "gjelder_tjeneste": "Tjenesten i registeret som endringen eller avviklingen gjelder",
        "tidligere_navn": "Tjenestens navn før navneendringen",
        "nytt_navn": "Tjenestens nye navn (endring av navn)",
        "ny_beskrivelse": "Den nye beskrivelsen av innhold, formål og avgrensning",
        "avvikles_fra": "Dagen tjenesten avvikles fra og med (avvikling)",
        "klage": "At vedtaket ikke kan påklages (ved avslag og avvikling)",
        "kontaktperson": "Kontaktperson i Helsedirektoratet (saksbehandleren)",
        "kontakt_epost": "Kontaktpersonens e-postadresse",
        "kontakt_telefon": "Kontaktpersonens telefonnummer (kan være tomt)",
        "underskriver": "Navnet på den som undertegner vedtaket",
        "underskriver_tittel": "Tittelen til den som undertegner vedtaket",
    },
    TemplateKind.ROUND_LETTER: ROUND_LETTER_VARIABLES,
    TemplateKind.REPORT_LETTER: REPORT_LETTER_VARIABLES,
}
