"""Realistic answers for the benchmark: long Norwegian prose, filled-in tables, references.

Everything is generated from a seeded ``random.Random``, so a run is repeatable. The text is
already in the shape the app stores (NFC, ``\\n`` line breaks, no surrounding whitespace), so
what a save sends is exactly what the database must hold afterwards.
"""

from __future__ import annotations

import random
from typing import Any

from soknad.domain.formspec import ColumnKind, Field, FieldKind, Section
from soknad.domain.organisations import Region

_VOCABULARY = (
    "pasienter behandling tjenesten nasjonal kompetanse fagmiljø sykehuset helseforetaket "
    "oppfølging utredning diagnostikk kirurgi rehabilitering forløp henvisning kvalitet "
    "prognose overlevelse komplikasjoner registeret forskning studier publikasjoner "
    "tverrfaglig team sykepleier lege overlege fysioterapeut psykolog koordinator "
    "regionene helseregion samarbeid avtale nettverk internasjonale europeiske retningslinjer "
    "metodevurdering dokumentasjon insidens prevalens volum årlig antall nye tilfeller "
    "sjeldne tilstander barn voksne eldre pårørende brukerorganisasjon likeverdig tilgang "
    "ventetid kapasitet operasjonsstue intensiv poliklinikk sengepost bildediagnostikk "
    "laboratorium patologi genetikk veiledning opplæring hospitering kurs e-læring "
    "kostnader besparelser reiser liggedøgn reoperasjoner resultater indikatorer målverdi "
    "sentralisering spredning robusthet vaktordning erfaring ferdigheter spesialisering "
    "og i for med til av på som er det at en et de har skal kan vil bør ved om fra etter "
    "innen mellom gjennom hele alle flere få noen mange både samt eller ikke også derfor "
    "dette slik vi våre disse denne dagens fremtidige nødvendig tilstrekkelig viktig økt "
    "bedre lavere høyere stabil betydelig vesentlig tydelig samlet felles nasjonalt lokalt"
)
WORDS = _VOCABULARY.split()

NAMES = ("Kari Nordmann", "Ola Hansen", "Ingrid Vik", "Per Dahl", "Sara Isaksen", "Nils Eira",
         "Anne Berg", "Lars Dale", "Eva Lien", "Hanne Moe", "Tor Aas", "Siri Lund",
         "Mona Strand", "Jon Bakke", "Liv Haugen", "Erik Solberg")
PROFESSIONS = ("Overlege", "Lege i spesialisering", "Spesialsykepleier", "Fysioterapeut",
               "Psykolog", "Ergoterapeut", "Klinisk ernæringsfysiolog", "Sosionom")
ICD10 = ("C40", "C41.2", "Q20-Q28", "M41.1", "G71.0", "E84.0")


def prose(rng: random.Random, low: int, high: int) -> str:
    """Between ``low`` and ``high`` words, in sentences and paragraphs."""
    target = rng.randint(low, high)
    paragraphs: list[str] = []
    sentences: list[str] = []
    written = 0
    while written < target:
        length = min(rng.randint(8, 22), target - written)
        words = [rng.choice(WORDS) for _ in range(length)]
        words[0] = words[0].capitalize()
        sentences.append(" ".join(words) + ".")
        written += length
        if len(sentences) >= rng.randint(3, 6):
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def references(rng: random.Random, count: int = 3) -> list[str]:
    return [
        f"{rng.choice(NAMES).split()[1]} m.fl. ({rng.randint(2015, 2026)}): "
        f"{prose(rng, 5, 9).rstrip('.')}. Tidsskrift for Den norske legeforening."
        for _ in range(count)
    ]


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2025, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _cell(rng: random.Random, kind: ColumnKind, choices: Any, column_id: str) -> str:
    if kind is ColumnKind.DATE:
        return _date(rng)
    if kind is ColumnKind.CHOICE:
        return choices[0].value
    if kind in (ColumnKind.NUMBER, ColumnKind.PERCENT):
        return str(rng.choice((20, 30, 40, 50, 60, 80, 100)))
    if column_id == "navn":
        return rng.choice(NAMES)
    if column_id == "yrke":
        return rng.choice(PROFESSIONS)
    return prose(rng, 12, 40)


def table_rows(rng: random.Random, spec_field: Field, rows: int) -> list[dict[str, str]]:
    if spec_field.row_per_region:
        return [{"region": region.value,
                 **{c.id: _cell(rng, c.kind, c.choices, c.id) for c in spec_field.columns}}
                for region in Region]
    return [{c.id: _cell(rng, c.kind, c.choices, c.id) for c in spec_field.columns}
            for _ in range(rows)]


def field_value(rng: random.Random, spec_field: Field, table_size: int) -> Any:
    """A filled-in answer for one field, in answer shape (see soknad.domain.answers)."""
    match spec_field.kind:
        case FieldKind.TEXT:
            if spec_field.max_words:
                return prose(rng, int(spec_field.max_words * 0.7), spec_field.max_words)
            return prose(rng, 100, 400)
        case FieldKind.TABLE:
            return table_rows(rng, spec_field, max(table_size, spec_field.min_rows, 1))
        case FieldKind.EVIDENCE:
            return references(rng)
        case FieldKind.ICD10_LIST:
            return list(rng.sample(ICD10, 2))
        case FieldKind.NUMBER:
            return "45"
        case FieldKind.DATE:
            return _date(rng)
        case FieldKind.CHOICE:
            values = [choice.value for choice in spec_field.choices]
            return "nei" if spec_field.id == "ny_metode" and "nei" in values else values[0]
        case FieldKind.ATTACHMENT | FieldKind.ORGANISATION:
            return None
        case _:
            return _line(rng, spec_field)


def _line(rng: random.Random, spec_field: Field) -> str:
    if spec_field.input_type == "email":
        return "kari.nordmann@ous-hf.no"
    if spec_field.input_type == "tel":
        return "+47 23 07 00 00"
    if spec_field.id == "navn_en":
        return "Norwegian National Unit for Complex Sarcoma Surgery"
    if spec_field.id == "navn_nb":
        return "Nasjonal behandlingstjeneste for kompleks sarkomkirurgi"
    return rng.choice(NAMES) if "navn" in spec_field.id else prose(rng, 3, 8).rstrip(".")


def section_values(rng: random.Random, section: Section, table_size: int = 3) -> dict[str, Any]:
    values = {}
    for spec_field in section.fields:
        value = field_value(rng, spec_field, table_size)
        if value is not None:
            values[spec_field.id] = value
    return values


def form_pairs(section: Section, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The fields as the page's form posts them (names from templates/_fields.html), with the
    CR LF line breaks a browser sends for a textarea."""
    pairs: list[tuple[str, str]] = []
    for spec_field in section.fields:
        if spec_field.id not in values:
            continue
        value = values[spec_field.id]
        match spec_field.kind:
            case FieldKind.TABLE:
                for index, row in enumerate(value):
                    pairs.extend((f"{spec_field.id}-{index}-{key}", cell)
                                 for key, cell in row.items())
            case FieldKind.EVIDENCE:
                pairs.append((spec_field.id, "\n".join(value)))
            case FieldKind.ICD10_LIST:
                pairs.append((spec_field.id, ", ".join(value)))
            case _:
                pairs.append((spec_field.id, value))
    return [(name, text.replace("\n", "\r\n")) for name, text in pairs]
