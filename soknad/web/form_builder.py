"""WTForms classes built from the form definitions, one fresh class per point.

The classes parse what the browser posts (CSRF included) into answer values; they validate only
what must hold before anything is stored. Everything else is a *finding* from the domain rules,
shown next to the field, so that text is always saved, even when it is not yet valid.

The pages render the inputs with plain Jinja macros (``templates/_fields.html``) using the same
names WTForms parses (``table-0-column``): widget rendering through WTForms costs about 70 % of
a long page (``../shared/research/performance.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field as WTField,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from soknad.domain import icd10, limits
from soknad.domain.formspec import Field, FieldKind, FormSpec, Section

FILES_SUFFIX = "__filer"


def _row_form(spec_field: Field) -> type[Form]:
    attributes: dict[str, Any] = {column.id: StringField() for column in spec_field.columns}
    if spec_field.row_per_region:
        attributes["region"] = HiddenField()
    return type(f"Row_{spec_field.id}", (Form,), attributes)


_BUILDERS: dict[FieldKind, Callable[[Field], WTField]] = {
    FieldKind.LINE: lambda f: StringField(),
    FieldKind.TEXT: lambda f: TextAreaField(),
    FieldKind.NUMBER: lambda f: StringField(),  # kept as typed; the rules read the number
    FieldKind.DATE: lambda f: StringField(),
    FieldKind.CHOICE: lambda f: StringField(),  # the rules say when a value is not a choice
    FieldKind.ORGANISATION: lambda f: StringField(),
    FieldKind.REGISTRY_SERVICE: lambda f: StringField(),  # the rules say when it is unknown
    FieldKind.ICD10_LIST: lambda f: StringField(),
    # No max_entries: WTForms would drop the rows past it without a word. The limit is the
    # domain's (``domain.limits``), refused at save with what was typed kept.
    FieldKind.TABLE: lambda f: FieldList(FormField(_row_form(f)), min_entries=0),
    FieldKind.EVIDENCE: lambda f: TextAreaField(),
    FieldKind.ATTACHMENT: lambda f: HiddenField(),
}


class SectionForm(FlaskForm):
    """Base class: the point's version when the page was opened, for the conflict check."""

    version = IntegerField(validators=[InputRequired()])
    handling = StringField()  # which button: "lagre", "legg_til:<table>", "fjern:<table>:<row>"
    fjern_vedlegg = StringField()


_CLASSES: dict[tuple[int, str], tuple[FormSpec, type[SectionForm]]] = {}


def section_form_class(spec: FormSpec, section_id: str) -> type[SectionForm]:
    """A subclass of its own per (form definition, point), built once and reused."""
    key = (id(spec), section_id)
    if key not in _CLASSES:
        _CLASSES[key] = (spec, _new_class(spec, section_id))
    return _CLASSES[key][1]


def _new_class(spec: FormSpec, section_id: str) -> type[SectionForm]:
    section = spec.section(section_id)
    attributes: dict[str, Any] = {f.id: _BUILDERS[f.kind](f) for f in section.fields}
    for spec_field in section.fields:
        if spec_field.kind in {FieldKind.EVIDENCE, FieldKind.ATTACHMENT}:
            attributes[spec_field.id + FILES_SUFFIX] = MultipleFileField()
    return type(f"Section_{spec.id}_v{spec.version}_{section_id}", (SectionForm,), attributes)


def build(spec: FormSpec, section: Section, **kwargs: Any) -> SectionForm:
    return section_form_class(spec, section.id)(**kwargs)


def posted_values(form: SectionForm, section: Section) -> dict[str, Any]:
    """The answers of the point as posted, in answer shape (before cleaning)."""
    values: dict[str, Any] = {}
    for spec_field in section.fields:
        data = form[spec_field.id].data
        match spec_field.kind:
            case FieldKind.TABLE:
                values[spec_field.id] = [dict(row) for row in data or []]
            case FieldKind.ICD10_LIST:
                values[spec_field.id] = icd10.split_codes(data or "")
            case FieldKind.EVIDENCE:
                values[spec_field.id] = (data or "").split("\n")
            case FieldKind.ATTACHMENT:
                continue
            case _:
                values[spec_field.id] = data or ""
    return values


def uploaded_files(form: SectionForm, section: Section) -> list[tuple[str, Any]]:
    """(field id, FileStorage) for every file chosen in the point's file inputs."""
    result = []
    for spec_field in section.fields:
        name = spec_field.id + FILES_SUFFIX
        if name in form:
            result.extend((spec_field.id, item) for item in form[name].data or []
                          if getattr(item, "filename", ""))
    return result


# --------------------------------------------------------------------------- table rows


@dataclass(frozen=True)
class RowAction:
    """What a no-JavaScript row button did: the table to come back to, or why it could not."""

    anchor: str | None = None
    refusal: str = ""


def apply_row_action(action: str, values: dict[str, Any], section: Section) -> RowAction:
    """Add or remove a table row for the no-JavaScript buttons («legg_til:<table>»,
    «fjern:<table>:<row>»), on an application's point and an annual report's part alike."""
    verb, _, rest = action.partition(":")
    table_id, _, index = rest.partition(":")
    tables = {f.id: f for f in section.fields
              if f.kind is FieldKind.TABLE and not f.row_per_region}
    if table_id not in tables:
        return RowAction()
    rows = values.setdefault(table_id, [])
    if verb == "legg_til" and (refusal := limits.no_room_for_a_row(tables[table_id], rows)):
        return RowAction(table_id, refusal)
    if verb == "legg_til":
        rows.append({})
    elif verb == "fjern" and index.isdigit() and int(index) < len(rows):
        rows.pop(int(index))
    return RowAction(table_id)
