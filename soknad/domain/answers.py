"""Answers: field id → value, cleaned and shaped by the form definition.

Shapes: a string for single values; a list of strings for ICD-10 codes and evidence references;
a list of row dicts (column id → string) for tables, where a per-region table's rows also carry
``region``. ``normalise`` is where every answer enters the system, from the web form and from a
JSON file alike: text is cleaned, ICD-10 codes get WHO's spelling, unknown keys are reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soknad.domain import icd10
from soknad.domain.formspec import Field, FieldKind, FormSpec
from soknad.domain.organisations import Region
from soknad.domain.text import clean, clean_line

Answers = dict[str, Any]


def _text(value: Any, *, one_line: bool) -> str:
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    return clean_line(value) if one_line else clean(value)


def _table(spec_field: Field, value: Any) -> list[dict[str, str]]:
    rows = []
    columns = [column.id for column in spec_field.columns]
    for raw in value if isinstance(value, list) else []:
        if not isinstance(raw, Mapping):
            continue
        row = {column: _text(raw.get(column, ""), one_line=False) for column in columns}
        if spec_field.row_per_region:
            row["region"] = str(raw.get("region", ""))
        rows.append(row)
    if spec_field.row_per_region:
        by_region = {row["region"]: row for row in rows}
        rows = [by_region.get(region.value, {**dict.fromkeys(columns, ""), "region": region.value})
                for region in Region]
    return rows


def normalise_value(spec_field: Field, value: Any) -> Any:
    match spec_field.kind:
        case FieldKind.TABLE:
            return _table(spec_field, value)
        case FieldKind.ICD10_LIST:
            items = value if isinstance(value, list) else icd10.split_codes(str(value or ""))
            return [icd10.normalise(_text(item, one_line=True)) for item in items
                    if _text(item, one_line=True)]
        case FieldKind.EVIDENCE:
            items = value if isinstance(value, list) else str(value or "").split("\n")
            return [line for line in (_text(item, one_line=True) for item in items) if line]
        case FieldKind.ATTACHMENT:
            return None
        case FieldKind.TEXT:
            return _text(value, one_line=False)
        case _:
            return _text(value, one_line=True)


def normalise(spec: FormSpec, raw: Mapping[str, Any]) -> tuple[Answers, list[str]]:
    """(the cleaned answers for the form's fields, the ids in ``raw`` the form does not have)."""
    answers: Answers = {}
    for _, spec_field in spec.fields():
        if spec_field.kind is FieldKind.ATTACHMENT:
            continue
        if spec_field.id in raw:
            answers[spec_field.id] = normalise_value(spec_field, raw[spec_field.id])
    known = {spec_field.id for _, spec_field in spec.fields()}
    return answers, sorted(set(raw) - known)


def empty_answers(spec: FormSpec) -> Answers:
    """A new draft: every field present and empty (per-region tables with their four rows)."""
    return {
        spec_field.id: normalise_value(spec_field, [] if spec_field.kind in {
            FieldKind.TABLE, FieldKind.ICD10_LIST, FieldKind.EVIDENCE} else "")
        for _, spec_field in spec.fields() if spec_field.kind is not FieldKind.ATTACHMENT
    }
