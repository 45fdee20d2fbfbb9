"""Reading the values people type: whole numbers, decimals, dates, and what counts as empty.

Answers are stored exactly as typed (after ``text.clean``), so nothing is lost when a value is
not yet valid; these functions interpret them for the rules and return None when they cannot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from soknad.domain.dates import short_date

# ASCII digits only: Python's int() would also accept "٣" (Arabic-Indic three).
_INT_RE = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_GROUPING = str.maketrans("", "", " \u00a0\u202f")
_NORWEGIAN_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_int(text: str) -> int | None:
    """``"120"`` and ``"12 000"`` → int; else (``"12,5"``, ``"ca. 40"``, ``"٣"``) → None."""
    compact = text.translate(_GROUPING)
    return int(compact) if _INT_RE.fullmatch(compact) else None


def parse_decimal(text: str) -> Decimal | None:
    """``"50"``, ``"12,5"`` and ``"12.5"`` (a trailing % allowed) → Decimal; else None."""
    compact = text.translate(_GROUPING).removesuffix("%")
    if not _DECIMAL_RE.fullmatch(compact):
        return None
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
        return None


def parse_date(text: str) -> date | None:
    """``"2027-03-01"`` (from a date input) or ``"1.3.2027"`` (typed) → date; else None."""
    text = text.strip()
    if match := _ISO_DATE_RE.fullmatch(text):
        year, month, day = map(int, match.groups())
    elif match := _NORWEGIAN_DATE_RE.fullmatch(text):
        day, month, year = map(int, match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_text(text: str) -> str:
    """A date answer (ISO from the date input, or typed) as «15.01.2027»; other text as typed."""
    parsed = parse_date(text)
    return short_date(parsed) if parsed else text


def format_date(value: date) -> str:
    return short_date(value)


def text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def items_of(value: Any) -> list[str]:
    """The non-empty strings of a list answer."""
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def rows_of(value: Any) -> list[Mapping[str, str]]:
    """The rows of a table answer that hold anything at all (blank rows are ignored)."""
    return [row for _, row in numbered_rows(value)]


def numbered_rows(value: Any) -> list[tuple[int, Mapping[str, str]]]:
    """Like ``rows_of``, with each row's number as the user sees it (counting from 1): a blank
    row the user added and left empty is skipped but keeps its place, so "Rad 3" is the third
    row on the screen."""
    if not isinstance(value, list):
        return []
    return [(number, row) for number, row in enumerate(value, start=1)
            if isinstance(row, Mapping) and row_has_content(row)]


def row_has_content(row: Mapping[str, Any], ignore: Sequence[str] = ("region",)) -> bool:
    return any(text_of(cell) for key, cell in row.items() if key not in ignore)
