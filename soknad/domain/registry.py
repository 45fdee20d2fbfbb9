"""The registry of national services: reading the published ICD-10 text, and when two codes
overlap (``soknad.domain.overlap`` compares an application with the registry).

The ICD-10 column of the published list is messy ("Q 28.2", "F.64.1", "T20-25",
"Q20 – Q28", "C78.6 Peritoneale metastaser", procedure codes such as "MAA06"). ``parse_icd10``
keeps what can be read as WHO ICD-10 codes and ranges, and reports the rest word for word.

Overlap: a code covers its subcodes ("C40" covers "C40.1"), a range covers every code between
its ends ("Q20-Q28" covers "Q25.1"), and two codes or ranges overlap when what they cover meets.
Codes that share only the chapter ("C40" and "C50") do not overlap.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from soknad.domain import icd10
from soknad.domain.lifecycle import ServiceStatus, counts_as_active
from soknad.domain.organisations import Region
from soknad.domain.service_types import ServiceType

# A code as printed in the list: a letter, two digits, maybe ".d(d)", spaces and dots tolerated;
# optionally followed by a dash and the end of a range ("T20-25", "Q20 – Q28", "Q 50-56").
_CODE = r"[A-Z]\s?\.?\s?\d{2}(?:\.\d{1,2})?"
_TOKEN_RE = re.compile(
    rf"(?<![A-Za-z0-9])({_CODE})(?:\s?[-–]\s?((?:[A-Z]\s?)?\d{{2}}(?:\.\d{{1,2}})?))?(?![0-9])"
)


@dataclass(frozen=True)
class ParsedIcd10:
    codes: tuple[str, ...]  # normalised WHO codes and ranges, in the order printed, no repeats
    unparsed: tuple[str, ...]  # code-like text WHO ICD-10 does not know, as printed
    notes: tuple[str, ...]  # words beside the codes ("Peritoneale metastaser", "ev.")


_NOTE_TRIM = " \t()=,.;:"


def parse_icd10(text: str) -> ParsedIcd10:
    """Read the ICD-10 cell of the registry (items separated by ";")."""
    codes: list[str] = []
    unparsed: list[str] = []
    notes: list[str] = []
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        matches = list(_TOKEN_RE.finditer(item))
        if not matches:
            unparsed.append(item)
            continue
        for match in matches:
            start, end = match.group(1), match.group(2)
            code = icd10.normalise(f"{start}-{end}" if end else start)
            if not icd10.is_valid(code):
                unparsed.append(match.group(0).strip())
            elif code not in codes:
                codes.append(code)
        leftover = _TOKEN_RE.sub(" ", item)
        note = " ".join(leftover.split()).strip(_NOTE_TRIM)
        if note and any(char.isalnum() for char in note):
            notes.append(note)
    return ParsedIcd10(tuple(codes), tuple(unparsed), tuple(notes))


# --------------------------------------------------------------------------- overlap

_SINGLE_RE = re.compile(r"([A-Z])(\d{2})(?:\.(\d{1,2}))?")


def _bounds(code: str) -> tuple[int, int]:
    """The interval of codes covered, as ordinals: letter, category, two-digit subcode."""
    match = _SINGLE_RE.fullmatch(code)
    if not match:
        raise ValueError(code)
    letter, category, sub = match.groups()
    base = (ord(letter) - ord("A")) * 10_000 + int(category) * 100
    if sub is None:
        return base, base + 99
    if len(sub) == 1:
        return base + int(sub) * 10, base + int(sub) * 10 + 9
    return base + int(sub), base + int(sub)


@lru_cache(maxsize=8192)
def coverage(code: str) -> tuple[int, int]:
    """The interval of a normalised code or range (``A-B`` covers from A to the end of B)."""
    start, dash, end = code.partition("-")
    low = _bounds(start)[0]
    high = _bounds(end if dash else start)[1]
    return low, high


def overlaps(first: str, second: str) -> bool:
    (low1, high1), (low2, high2) = coverage(first), coverage(second)
    return low1 <= high2 and low2 <= high1


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class RegistryService:
    """One approved national service, as the rules and pages need it."""

    key: str
    service_type: ServiceType
    regions: tuple[Region, ...]
    name_nb: str
    name_en: str
    location: str = ""
    description: str = ""
    icd10_text: str = ""
    codes: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    approved_from: date | None = None
    source_line: int | None = None
    status: ServiceStatus = ServiceStatus.ACTIVE
    terminated_from: date | None = None  # f.o.m. (``lifecycle``)

    def active_on(self, today: date) -> bool:
        return counts_as_active(self.status, self.terminated_from, today)


_TYPES = {item.value: item for item in ServiceType}


def service_key(service_type: ServiceType, name_nb: str) -> str:
    """A stable key: the type and the Norwegian name, lower case, words joined by hyphens."""
    words = re.findall(r"[0-9a-zæøå]+", unicodedata.normalize("NFC", name_nb.lower()))
    return f"{service_type.value}:{'-'.join(words)}"


def read_registry(path: Path) -> list[RegistryService]:
    """Read ``data/nasjonale_tjenester.csv`` (see ``data/README.md``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    services = []
    for row in rows:
        service_type = _TYPES[row["type"].strip()]
        parsed = parse_icd10(row["icd10"])
        approved = row["approved_from"].strip()
        services.append(RegistryService(
            key=service_key(service_type, row["name_nb"]),
            service_type=service_type,
            regions=tuple(Region.from_label(name) for name in row["rhf"].split(";")),
            name_nb=row["name_nb"].strip(),
            name_en=row["name_en"].strip(),
            location=row["location"].strip(),
            description=row["description"].strip(),
            icd10_text=row["icd10"].strip(),
            codes=parsed.codes,
            unparsed=parsed.unparsed,
            notes=parsed.notes,
            approved_from=date.fromisoformat(approved) if approved else None,
            source_line=int(row["source_line"]) if row["source_line"].strip() else None,
        ))
    return services
