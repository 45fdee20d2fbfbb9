"""What changed between two submitted versions of an application, point by point.

A coordinator who returned an application reads the resubmission as a list of the points that
changed; within a point, each changed field shows the words removed and added. Values are
compared as the lines a reader sees (a table row is one line), so a reordered table or an
edited cell shows up as the rows that differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from soknad.domain.formspec import Field, FieldKind, FormSpec, Section
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind
from soknad.domain.values import items_of, text_of


class Op(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: Field
    before: tuple[str, ...]
    after: tuple[str, ...]
    pieces: tuple[Piece, ...]  # the word-level difference, in reading order


@dataclass(frozen=True)
class SectionChange:
    section: Section
    fields: tuple[FieldChange, ...]


def display_lines(spec_field: Field, value: Any) -> tuple[str, ...]:
    """The value as the lines a reader sees."""
    match spec_field.kind:
        case FieldKind.TABLE:
            lines = []
            for row in value if isinstance(value, list) else []:
                if not isinstance(row, Mapping):
                    continue
                cells = [
                    f"{column.label}: {column.choice_label(text_of(row.get(column.id)))}"
                    for column in spec_field.columns if text_of(row.get(column.id))]
                if not cells:
                    continue
                region = text_of(row.get("region"))
                prefix = f"{Region(region).label} – " if region in set(Region) else ""
                lines.append(prefix + " · ".join(cells))
            return tuple(lines)
        case FieldKind.ICD10_LIST | FieldKind.EVIDENCE:
            return tuple(items_of(value))
        case FieldKind.CHOICE:
            text = text_of(value)
            return (spec_field.choice_label(text),) if text else ()
        case FieldKind.ATTACHMENT:
            return ()
        case _:
            return tuple(line for line in text_of(value).split("\n") if line.strip())


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    """Words removed and added between two texts (whitespace-separated; line breaks kept as
    words of their own so a new paragraph shows)."""
    old = before.replace("\n", " \n ").split(" ")
    new = after.replace("\n", " \n ").split(" ")
    old, new = [word for word in old if word], [word for word in new if word]
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece(Op.SAME, " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(Op.REMOVED, " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(Op.ADDED, " ".join(new[j1:j2])))
    return tuple(pieces)


def compare(spec: FormSpec, kind: ApplicationKind, before: Mapping[str, Any],
            after: Mapping[str, Any]) -> list[SectionChange]:
    """The points whose answers differ between ``before`` and ``after``, in form order."""
    changes = []
    for section in spec.for_kind(kind).sections:
        fields = []
        for spec_field in section.fields:
            old = display_lines(spec_field, before.get(spec_field.id))
            new = display_lines(spec_field, after.get(spec_field.id))
            if old != new:
                fields.append(FieldChange(spec_field, old, new,
                                          word_diff("\n".join(old), "\n".join(new))))
        if fields:
            changes.append(SectionChange(section, tuple(fields)))
    return changes


def changed_attachments(before: list[Mapping[str, Any]],
                        after: list[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """(names of attachments added, names removed), compared by content checksum."""
    old = {entry["sha256"]: entry["name"] for entry in before}
    new = {entry["sha256"]: entry["name"] for entry in after}
    return ([name for sha, name in new.items() if sha not in old],
            [name for sha, name in old.items() if sha not in new])
