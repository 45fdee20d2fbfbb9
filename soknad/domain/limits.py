"""How much one answer may hold, so that nothing typed is ever cut off without a word.

The limits (``formspec.DEFAULT_MAX_CHARS``, ``DEFAULT_MAX_ROWS``, ``CELL_MAX_CHARS``,
``MAX_LIST_ITEMS``, ``ITEM_MAX_CHARS``) are shown at each field. An answer over one is refused
when it is saved, from the form, autosave or a JSON file alike: the whole save is refused, the
message stands at the field, and what was typed stays in the form. The rules report the same
messages as blocking findings, so a draft stored before a limit existed says what to shorten.

Characters are counted on the cleaned text (``text.clean``): what is stored is what counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from soknad.domain.formspec import (
    CELL_MAX_CHARS,
    ITEM_MAX_CHARS,
    MAX_LIST_ITEMS,
    Field,
    FieldKind,
)


def count_text(number: int) -> str:
    """``30000`` → ``"30 000"`` (Norwegian grouping, with a non-breaking space)."""
    return f"{number:,}".replace(",", "\u00a0")


def over_limits(spec_field: Field, value: Any) -> list[str]:
    """The field's answer's limit problems, as messages to show at the field (empty: none)."""
    return list(_problems(spec_field, value))


def no_room_for_a_row(spec_field: Field, rows: list[Any]) -> str:
    """Why a row cannot be added to a table (empty: it can)."""
    if len(rows) < spec_field.max_rows:
        return ""
    return (f"«{spec_field.label}» har allerede {len(rows)} rader, og høyst "
            f"{spec_field.max_rows} kan lagres. Ingen rad er lagt til.")


def _problems(spec_field: Field, value: Any) -> Iterator[str]:
    label = spec_field.label
    if isinstance(value, str):
        limit = spec_field.char_limit
        if limit and len(value) > limit:
            yield (f"«{label}» har {count_text(len(value))} tegn; høyst {count_text(limit)} kan "
                   f"lagres. Kort ned teksten med {count_text(len(value) - limit)} tegn.")
    elif spec_field.kind is FieldKind.TABLE and isinstance(value, list):
        yield from _table_problems(spec_field, value)
    elif spec_field.kind in {FieldKind.ICD10_LIST, FieldKind.EVIDENCE} and isinstance(value, list):
        what = "koder" if spec_field.kind is FieldKind.ICD10_LIST else "linjer"
        if len(value) > MAX_LIST_ITEMS:
            yield (f"«{label}» har {len(value)} {what}; høyst {MAX_LIST_ITEMS} kan lagres. "
                   f"Fjern {len(value) - MAX_LIST_ITEMS}.")
        for number, item in enumerate(value, start=1):
            if isinstance(item, str) and len(item) > ITEM_MAX_CHARS:
                yield (f"Linje {number} i «{label}» har {count_text(len(item))} tegn; høyst "
                       f"{count_text(ITEM_MAX_CHARS)} kan lagres.")


def _table_problems(spec_field: Field, rows: list[Any]) -> Iterator[str]:
    label = spec_field.label
    if len(rows) > spec_field.max_rows:
        surplus = len(rows) - spec_field.max_rows
        yield (f"«{label}» har {len(rows)} rader; høyst {spec_field.max_rows} kan lagres. "
               f"Fjern {surplus} {'rad' if surplus == 1 else 'rader'}.")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            continue
        for column in spec_field.columns:
            cell = row.get(column.id)
            if isinstance(cell, str) and len(cell) > CELL_MAX_CHARS:
                yield (f"Rad {number} i «{label}», «{column.label}»: {count_text(len(cell))} "
                       f"tegn; høyst {count_text(CELL_MAX_CHARS)} kan lagres.")
