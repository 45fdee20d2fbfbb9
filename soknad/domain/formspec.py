"""Form definitions as data: ``forms/<form id>.v<version>.toml`` parsed into frozen dataclasses.

The schema is documented in ``forms/README.md``. ``parse`` is strict: an unknown key, field kind
or check is an error with the file and the place named, so a mistake in a form definition shows
up when the application starts (and in ``tests/unit/domain/test_formspec.py``), not in front
of a user.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from soknad.domain.errors import FormSpecError
from soknad.domain.service_types import ApplicationKind, ServiceType


class FieldKind(StrEnum):
    LINE = "line"  # one line of text
    TEXT = "text"  # several lines, optionally with a word limit
    NUMBER = "number"  # a whole number
    DATE = "date"
    CHOICE = "choice"  # one of fixed choices (radio buttons)
    ORGANISATION = "organisation"  # a health trust from the organisation list
    ICD10_LIST = "icd10_list"  # ICD-10 codes or ranges
    TABLE = "table"  # rows of columns
    EVIDENCE = "evidence"  # documentation: attachments and/or written references
    ATTACHMENT = "attachment"  # a named attachment (e.g. the Beslutningsforum decision)
    # An approved national service picked from the registry; the answer is its registry key
    # (``NationalService.key``). Change, rename and termination name the service this way.
    REGISTRY_SERVICE = "registry_service"


class FormPurpose(StrEnum):
    """What a form is for: an application (``forms/<type>.v<n>.toml``) or a service's annual
    report (``forms/arsrapport_<type>.v<n>.toml``)."""

    APPLICATION = "soknad"
    ANNUAL_REPORT = "arsrapport"


class ColumnKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    CHOICE = "choice"


# Kinds whose value is a list of strings / a list of row dicts / a single string.
LIST_KINDS = frozenset({FieldKind.ICD10_LIST, FieldKind.EVIDENCE})
FILE_KINDS = frozenset({FieldKind.EVIDENCE, FieldKind.ATTACHMENT})

# How much one answer may hold (``soknad/domain/limits.py`` checks them; forms/README.md).
DEFAULT_MAX_CHARS = {FieldKind.LINE: 300, FieldKind.TEXT: 30_000}
DEFAULT_MAX_ROWS = 200  # rows of a table: far above any real list of people or goals
CELL_MAX_CHARS = 2_000  # one cell of a table
MAX_LIST_ITEMS = 200  # ICD-10 codes, or references to documentation
ITEM_MAX_CHARS = 2_000  # one ICD-10 code or one reference (a long web address fits)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choice_label(choices: tuple[Choice, ...], value: str) -> str:
    """The label of a choice value, or the value itself if it is not one of the choices."""
    return next((choice.label for choice in choices if choice.value == value), value)


@dataclass(frozen=True)
class Condition:
    """``required_if``: the field is required when another field has one of these values."""

    field: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return str(answers.get(self.field) or "") in self.values


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = True
    choices: tuple[Choice, ...] = ()
    help: str = ""
    autocomplete: str = ""

    def choice_label(self, value: str) -> str:
        return choice_label(self.choices, value)


@dataclass(frozen=True)
class Field:
    id: str
    kind: FieldKind
    label: str
    help: str = ""
    required: bool = False
    required_if: Condition | None = None
    max_words: int | None = None
    max_chars: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    unit: str = ""
    choices: tuple[Choice, ...] = ()
    columns: tuple[Column, ...] = ()
    min_rows: int = 0
    max_rows: int = DEFAULT_MAX_ROWS
    # Columns that tell rows apart (e.g. a person's name): a repeated row counts once.
    distinct: tuple[str, ...] = ()
    row_per_region: bool = False
    input_type: str = "text"
    autocomplete: str = ""
    lang: str = ""
    rows: int = 6
    quote: str = ""
    source: str = ""
    kinds: frozenset[ApplicationKind] = frozenset(ApplicationKind)
    #: A report's table: its first rows are copied from this table of the service's approved
    #: application (its result goals, its plan for spreading competence), column by column.
    prefill_from: str = ""

    def choice_label(self, value: str) -> str:
        return choice_label(self.choices, value)

    def applies_to(self, kind: ApplicationKind) -> bool:
        return kind in self.kinds

    @property
    def char_limit(self) -> int | None:
        return self.max_chars or DEFAULT_MAX_CHARS.get(self.kind)

    def column(self, column_id: str) -> Column:
        return next(column for column in self.columns if column.id == column_id)

    def is_required(self, answers: Mapping[str, Any]) -> bool:
        return self.required or (self.required_if is not None and self.required_if.holds(answers))


@dataclass(frozen=True)
class Section:
    """One point of Appendix 6 (``number`` 1–12), or the general part (``number`` None)."""

    id: str
    title: str
    fields: tuple[Field, ...]
    number: int | None = None
    help: str = ""
    quote: str = ""
    source: str = ""
    kinds: frozenset[ApplicationKind] = frozenset(ApplicationKind)

    @property
    def heading(self) -> str:
        return f"Punkt {self.number}: {self.title}" if self.number else self.title

    @property
    def short_heading(self) -> str:
        return f"Punkt {self.number}" if self.number else self.title

    def applies_to(self, kind: ApplicationKind) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class Check:
    """A named rule from ``soknad.domain.rules.CHECKS`` with its parameters."""

    rule: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormSpec:
    id: str
    version: int
    service_type: ServiceType
    title: str
    sections: tuple[Section, ...]
    checks: tuple[Check, ...] = ()
    intro: str = ""
    purpose: FormPurpose = FormPurpose.APPLICATION

    @property
    def key(self) -> str:
        return f"{self.id}.v{self.version}"

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def sections_for(self, kind: ApplicationKind) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.applies_to(kind))

    def for_kind(self, kind: ApplicationKind) -> FormSpec:
        """The form as an application of this kind sees it: only the points, fields and named
        checks that apply to the kind (``soknad.domain.kinds``). The same object every time,
        so what is built per form (the web forms) is built once per kind."""
        return _for_kind(self, kind)

    def fields(self) -> Iterator[tuple[Section, Field]]:
        for section in self.sections:
            for spec_field in section.fields:
                yield section, spec_field

    def field(self, field_id: str) -> Field:
        for _, spec_field in self.fields():
            if spec_field.id == field_id:
                return spec_field
        raise KeyError(field_id)

    def section_of(self, field_id: str) -> Section:
        for section, spec_field in self.fields():
            if spec_field.id == field_id:
                return section
        raise KeyError(field_id)


# --------------------------------------------------------------------------- parsing

_FORM_KEYS = {"id", "version", "service_type", "title", "intro", "extends", "purpose"}
_SECTION_KEYS = {"id", "number", "title", "help", "quote", "source", "kinds", "fields", "after"}
_FIELD_KEYS = {
    "id", "kind", "label", "help", "required", "required_if", "max_words", "max_chars",
    "min_value", "max_value", "unit", "choices", "columns", "min_rows", "max_rows",
    "distinct", "row_per_region", "input_type", "autocomplete", "lang", "rows", "quote", "source",
    "kinds", "prefill_from",
}
_COLUMN_KEYS = {"id", "label", "kind", "required", "choices", "help", "autocomplete"}


def _only(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise FormSpecError(f"{where}: ukjente nøkler {sorted(unknown)}")


def _need(data: Mapping[str, Any], required: Iterable[str], where: str) -> None:
    missing = [key for key in required if key not in data]
    if missing:
        raise FormSpecError(f"{where}: mangler nøkler {missing}")


def _kinds(raw: Mapping[str, Any], where: str) -> frozenset[ApplicationKind]:
    try:
        return frozenset(ApplicationKind(kind) for kind in raw.get("kinds", list(ApplicationKind)))
    except ValueError as error:
        known = [kind.value for kind in ApplicationKind]
        raise FormSpecError(f"{where}: ukjent søknadstype i kinds; kjente er {known}") from error


def _choices(raw: Iterable[Any], where: str) -> tuple[Choice, ...]:
    choices = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2):
            raise FormSpecError(f"{where}: et valg skrives [verdi, tekst], fikk {item!r}")
        choices.append(Choice(str(item[0]), str(item[1])))
    return tuple(choices)


def _column(raw: Mapping[str, Any], where: str) -> Column:
    _only(raw, _COLUMN_KEYS, where)
    _need(raw, ("id", "label"), where)
    try:
        kind = ColumnKind(raw.get("kind", "text"))
    except ValueError as error:
        raise FormSpecError(f"{where}: ukjent kolonnetype {raw.get('kind')!r}") from error
    if kind is ColumnKind.CHOICE and not raw.get("choices"):
        raise FormSpecError(f"{where}: en valgkolonne må ha valg")
    return Column(
        id=raw["id"], label=raw["label"], kind=kind, required=raw.get("required", True),
        choices=_choices(raw.get("choices", ()), where), help=raw.get("help", ""),
        autocomplete=raw.get("autocomplete", ""),
    )


def _field(raw: Mapping[str, Any], where: str) -> Field:
    where = f"{where}, felt {raw.get('id', '?')}"
    _only(raw, _FIELD_KEYS, where)
    _need(raw, ("id", "label"), where)
    try:
        kind = FieldKind(raw["kind"])
    except (KeyError, ValueError) as error:
        raise FormSpecError(
            f"{where}: ukjent eller manglende felttype {raw.get('kind')!r}"
        ) from error
    condition = None
    if "required_if" in raw:
        cond = raw["required_if"]
        if not isinstance(cond, Mapping) or "field" not in cond or not (
            cond.get("in") or "equals" in cond
        ):
            raise FormSpecError(
                f"{where}: required_if må ha «field» og «equals» eller «in», fikk {cond!r}"
            )
        values = cond.get("in") or [cond["equals"]]
        condition = Condition(field=cond["field"], values=frozenset(map(str, values)))
    columns = tuple(
        _column(column, f"{where}, kolonne {index + 1}")
        for index, column in enumerate(raw.get("columns", ()))
    )
    if raw.get("prefill_from") and kind is not FieldKind.TABLE:
        raise FormSpecError(f"{where}: prefill_from gjelder bare tabeller")
    if kind is FieldKind.TABLE and not columns:
        raise FormSpecError(f"{where}: en tabell må ha kolonner")
    if kind is FieldKind.CHOICE and not raw.get("choices"):
        raise FormSpecError(f"{where}: et valgfelt må ha valg")
    distinct = tuple(raw.get("distinct", ()))
    unknown = set(distinct) - {column.id for column in columns}
    if unknown:
        raise FormSpecError(f"{where}: distinct viser til ukjente kolonner {sorted(unknown)}")
    values = {key: value for key, value in raw.items() if key not in {
        "kind", "required_if", "columns", "choices", "distinct", "kinds"}}
    return Field(kind=kind, required_if=condition, columns=columns, distinct=distinct,
                 choices=_choices(raw.get("choices", ()), where), kinds=_kinds(raw, where),
                 **values)


def _section(raw: Mapping[str, Any], where: str) -> Section:
    where = f"{where}, del {raw.get('id', '?')}"
    _only(raw, _SECTION_KEYS, where)
    _need(raw, ("id", "title"), where)
    kinds = _kinds(raw, where)
    return Section(
        id=raw["id"], title=raw["title"], number=raw.get("number"), help=raw.get("help", ""),
        quote=raw.get("quote", ""), source=raw.get("source", ""), kinds=kinds,
        fields=tuple(_field(item, where) for item in raw.get("fields", ())),
    )


def parse(data: Mapping[str, Any], *, where: str = "skjema",
          base: FormSpec | None = None) -> FormSpec:
    """Build a FormSpec from the TOML data. ``base`` is the form named by ``extends``."""
    _only(data, {"form", "sections", "extra_fields", "checks", "only_for"}, where)
    head = data.get("form", {})
    _only(head, _FORM_KEYS, where)
    sections = list(base.sections) if base else []
    own: set[str] = set()  # a section may replace one of the base form's, not one of this file's
    for raw in data.get("sections", ()):
        section = _section(raw, where)
        if section.id in own:
            raise FormSpecError(f"{where}: delen {section.id!r} finnes to ganger")
        own.add(section.id)
        position = next((i for i, old in enumerate(sections) if old.id == section.id), None)
        if position is not None:
            sections[position] = section
        elif "after" in raw:  # a new point placed after another (e.g. after "endring")
            after = next((i for i, old in enumerate(sections) if old.id == raw["after"]), None)
            if after is None:
                raise FormSpecError(f"{where}: after viser til ukjent del {raw['after']!r}")
            sections.insert(after + 1, section)
        else:
            sections.append(section)
    for extra in data.get("extra_fields", ()):
        raw = dict(extra)
        _need(raw, ("section",), f"{where}, extra_fields")
        section_id = raw.pop("section")
        after = raw.pop("after", None)  # the field it follows; default: the section's last
        position = next((i for i, old in enumerate(sections) if old.id == section_id), None)
        if position is None:
            raise FormSpecError(f"{where}: extra_fields viser til ukjent del {section_id!r}")
        old = sections[position]
        ids = [spec_field.id for spec_field in old.fields]
        if after is not None and after not in ids:
            raise FormSpecError(f"{where}: extra_fields «after» viser til ukjent felt {after!r} "
                                f"i delen {section_id!r}")
        at = ids.index(after) + 1 if after is not None else len(ids)
        sections[position] = replace(old, fields=(*old.fields[:at], _field(raw, where),
                                                  *old.fields[at:]))
    for raw in data.get("only_for", ()):
        sections = _only_for(sections, raw, f"{where}, only_for")
    for raw in data.get("checks", ()):
        _need(raw, ("rule",), f"{where}, checks")
    own_checks = [Check(rule=raw["rule"], params={k: v for k, v in raw.items() if k != "rule"})
                  for raw in data.get("checks", ())]
    # A check of the same rule on the same field as one of the base form's replaces it (form
    # version 2 gives the overlap check more to compare and the table that answers it).
    replaced = {(check.rule, check.params.get("field")) for check in own_checks}
    checks = (*(check for check in (base.checks if base else ())
                if (check.rule, check.params.get("field")) not in replaced), *own_checks)
    try:
        spec = FormSpec(
            id=head["id"], version=int(head["version"]),
            service_type=ServiceType(head["service_type"]), title=head["title"],
            intro=head.get("intro", base.intro if base else ""),
            sections=tuple(sections), checks=checks,
            purpose=FormPurpose(head.get("purpose", base.purpose if base else "soknad")),
        )
    except (KeyError, ValueError) as error:
        raise FormSpecError(f"{where}: [form] mangler eller har ugyldig verdi: {error}") from error
    _validate(spec, where)
    return spec


def _only_for(sections: list[Section], raw: Mapping[str, Any], where: str) -> list[Section]:
    """``[[only_for]]``: narrow the kinds of an inherited point (``section``) or of a field in
    it (``section`` and ``field``) without copying it, e.g. the English name only where a name
    is proposed."""
    _only(raw, {"section", "field", "kinds"}, where)
    _need(raw, ("section", "kinds"), where)
    kinds = _kinds(raw, where)
    position = next((i for i, old in enumerate(sections) if old.id == raw["section"]), None)
    if position is None:
        raise FormSpecError(f"{where}: ukjent del {raw['section']!r}")
    section = sections[position]
    if "field" not in raw:
        sections[position] = replace(section, kinds=kinds)
        return sections
    if not any(item.id == raw["field"] for item in section.fields):
        raise FormSpecError(f"{where}: delen {section.id!r} har ikke feltet {raw['field']!r}")
    sections[position] = replace(section, fields=tuple(
        replace(item, kinds=kinds) if item.id == raw["field"] else item
        for item in section.fields))
    return sections


_KIND_VIEWS: dict[tuple[int, ApplicationKind], tuple[FormSpec, FormSpec]] = {}


def _for_kind(spec: FormSpec, kind: ApplicationKind) -> FormSpec:
    key = (id(spec), kind)
    if key not in _KIND_VIEWS:
        # Imported here because the kinds table names the checks of soknad.domain.rules.
        from soknad.domain.kinds import check_applies

        sections = tuple(
            replace(section, fields=tuple(item for item in section.fields if item.applies_to(kind)))
            for section in spec.sections_for(kind)
        )
        fields = {item.id for section in sections for item in section.fields}
        checks = tuple(check for check in spec.checks
                       if check.params.get("field") in fields and check_applies(check.rule, kind))
        view = replace(spec, sections=sections, checks=checks)
        _KIND_VIEWS[key] = (spec, view)
        _KIND_VIEWS[(id(view), kind)] = (view, view)  # the view of the view is itself
    return _KIND_VIEWS[key][1]


def _validate(spec: FormSpec, where: str) -> None:
    seen: set[str] = set()
    for section in spec.sections:
        if section.id in seen:
            raise FormSpecError(f"{where}: delen {section.id!r} finnes to ganger")
        seen.add(section.id)
    # A field id is unique among the fields an application of one kind sees: the new name of a
    # change of name may be «navn_nb» in its own point while «Om søknaden» asks it of a new one.
    kinds_of: dict[str, frozenset[ApplicationKind]] = {}
    for section, spec_field in spec.fields():
        kinds = section.kinds & spec_field.kinds
        if spec_field.id in seen or kinds & kinds_of.get(spec_field.id, frozenset()):
            raise FormSpecError(f"{where}: feltet {spec_field.id!r} finnes to ganger")
        kinds_of[spec_field.id] = kinds_of.get(spec_field.id, frozenset()) | kinds
    field_ids = set(kinds_of)
    for _, spec_field in spec.fields():
        if spec_field.required_if and spec_field.required_if.field not in field_ids:
            raise FormSpecError(
                f"{where}: {spec_field.id}.required_if viser til ukjent felt "
                f"{spec_field.required_if.field!r}"
            )
    # Imported here because rules import this module for the dataclasses.
    from soknad.domain.rules import validate_check

    field_kinds = {spec_field.id: spec_field.kind for _, spec_field in spec.fields()}
    for check in spec.checks:
        problem = validate_check(check, field_kinds)
        if problem:
            raise FormSpecError(f"{where}: kontrollen {check.rule!r}: {problem}")


# --------------------------------------------------------------------------- the library


class FormLibrary:
    """All form definitions in a directory, by key ``<id>.v<version>``."""

    def __init__(self, specs: Iterable[FormSpec]) -> None:
        self._specs = {spec.key: spec for spec in specs}

    @classmethod
    def load(cls, directory: Path) -> FormLibrary:
        raw: dict[str, dict[str, Any]] = {}
        for path in sorted(directory.glob("*.v*.toml")):
            with path.open("rb") as handle:
                raw[path.name.removesuffix(".toml")] = tomllib.load(handle)
        specs: dict[str, FormSpec] = {}

        def build(key: str, chain: tuple[str, ...] = ()) -> FormSpec:
            if key in specs:
                return specs[key]
            if key in chain:
                raise FormSpecError(f"{key}: extends går i ring: {' → '.join(chain)}")
            if key not in raw:
                raise FormSpecError(f"Fant ikke skjemaet {key}.toml i {directory}")
            data = raw[key]
            parent = data.get("form", {}).get("extends")
            base = build(parent, (*chain, key)) if parent else None
            spec = parse(data, where=f"{key}.toml", base=base)
            if spec.key != key:
                raise FormSpecError(f"{key}.toml: [form] id og version gir {spec.key}, ikke {key}")
            specs[key] = spec
            return spec

        for key in raw:
            build(key)
        return cls(specs.values())

    def get(self, form_id: str, version: int) -> FormSpec:
        try:
            return self._specs[f"{form_id}.v{version}"]
        except KeyError:
            raise FormSpecError(f"Skjemaet {form_id} versjon {version} finnes ikke") from None

    def latest(self, service_type: ServiceType,
               purpose: FormPurpose = FormPurpose.APPLICATION) -> FormSpec:
        candidates = [spec for spec in self._specs.values()
                      if spec.service_type is service_type and spec.purpose is purpose]
        if not candidates:
            raise FormSpecError(f"Ingen skjemadefinisjon for {service_type.label}")
        return max(candidates, key=lambda spec: spec.version)

    def __iter__(self) -> Iterator[FormSpec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.key))
