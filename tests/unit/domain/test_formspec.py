"""The form definitions: the three real forms in ``forms/``, and ``parse`` refusing bad ones."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from soknad.domain.errors import FormSpecError
from soknad.domain.formspec import FieldKind, FormLibrary, FormPurpose, FormSpec, parse
from soknad.domain.rules import CHECKS
from soknad.domain.service_types import ApplicationKind, ServiceType

ROOT = Path(__file__).resolve().parents[3]
FORMS = FormLibrary.load(ROOT / "forms")
NT = FORMS.latest(ServiceType.NATIONAL_TREATMENT)
MT = FORMS.latest(ServiceType.MULTIREGIONAL_TREATMENT)
NC = FORMS.latest(ServiceType.NATIONAL_COMPETENCE)
ALL = [pytest.param(spec, id=spec.id) for spec in (NT, MT, NC)]
GUIDE_SECTIONS = {
    ServiceType.NATIONAL_TREATMENT: ["beredskap", "referansegruppe", "ideell"],
    ServiceType.MULTIREGIONAL_TREATMENT: ["beredskap", "referansegruppe", "ideell"],
    ServiceType.NATIONAL_COMPETENCE: ["avgrensning", "referansegruppe", "ideell"],
}

# The guidance documents the forms quote (not part of the repository). SOKNAD_SEEDS points
# elsewhere; without them the quote tests are skipped, saying so.
SEEDS = Path(os.environ.get("SOKNAD_SEEDS", "/work/shared/seeds"))
GUIDE_2018 = "002_eb730e2fb951b473.txt"


def squash(text: str) -> str:
    return " ".join(text.split())


@cache
def seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the guidance text {path} is not available")
    return squash(path.read_text(encoding="utf-8"))


@cache
def appendix_6_items() -> dict[str, dict[int, str]]:
    """Appendix 6 of 002, point by point: {"competence": {1: text, …}, "treatment": {…}}."""
    text = seed(GUIDE_2018)
    appendix = text[text.index("6. Innhold og dokumentasjon i søknader om nasjonale tjenester"):]
    competence_start = appendix.index("Søknader om nasjonale kompetansetjenester bør inneholde:")
    treatment_start = appendix.index(
        "Søknader om nasjonale og flerregionale behandlingstjenester bør inneholde:")
    items = {}
    for name, part in (("competence", appendix[competence_start:treatment_start]),
                       ("treatment", appendix[treatment_start:])):
        pieces = re.split(r"(?:^|\s)(\d{1,2})\.\s(?=[A-ZÆØÅ])", part)
        items[name] = {int(number): text for number, text in zip(pieces[1::2], pieces[2::2],
                                                                 strict=True)}
    return items


# --------------------------------------------------------------------------- the real forms


def test_forms_the_three_forms_load_in_two_versions() -> None:
    assert [spec.key for spec in FORMS if spec.purpose is FormPurpose.APPLICATION] == [
        "flerregional_behandlingstjeneste.v1",
        "flerregional_behandlingstjeneste.v2",
        "nasjonal_behandlingstjeneste.v1",
        "nasjonal_behandlingstjeneste.v2",
        "nasjonal_kompetansetjeneste.v1",
        "nasjonal_kompetansetjeneste.v2",
    ]
    assert FORMS.get("nasjonal_kompetansetjeneste", 2) is NC
    assert {spec.service_type for spec in FORMS} == set(ServiceType)


def test_forms_each_type_has_an_annual_report_form_apart_from_its_application() -> None:
    for service_type in ServiceType:
        report = FORMS.latest(service_type, FormPurpose.ANNUAL_REPORT)
        assert report.key == f"arsrapport_{service_type.value}.v1"
        assert FORMS.latest(service_type).purpose is FormPurpose.APPLICATION
        goals = report.field("resultatmal")
        assert goals.prefill_from == "resultatmal"
        assert {"status", "naadd_dato"} <= {column.id for column in goals.columns}


def test_forms_prefill_from_is_for_tables_only() -> None:
    data = {"form": {"id": "x", "version": 1, "service_type": "nasjonal_kompetansetjeneste",
                     "title": "X", "purpose": "arsrapport"},
            "sections": [{"id": "a", "title": "A", "fields": [
                {"id": "f", "kind": "text", "label": "F", "prefill_from": "resultatmal"}]}]}
    with pytest.raises(FormSpecError, match="prefill_from gjelder bare tabeller"):
        parse(data)


def test_forms_unknown_form_is_refused_in_norwegian() -> None:
    with pytest.raises(FormSpecError, match="Skjemaet nasjonal_behandlingstjeneste versjon 9 "
                                            "finnes ikke"):
        FORMS.get("nasjonal_behandlingstjeneste", 9)
    with pytest.raises(FormSpecError, match="Ingen skjemadefinisjon for Nasjonal "
                                            "kompetansetjeneste"):
        FormLibrary([NT]).latest(ServiceType.NATIONAL_COMPETENCE)


@pytest.mark.parametrize(
    ("spec", "points"),
    [pytest.param(NT, 12, id="national"), pytest.param(MT, 12, id="multiregional"),
     pytest.param(NC, 11, id="competence")],
)
def test_forms_points_are_numbered_as_in_appendix_6(spec: FormSpec, points: int) -> None:
    numbered = [section for section in spec.sections if section.number]
    assert [(section.id, section.number) for section in numbered] == [
        (f"p{n}", n) for n in range(1, points + 1)]
    assert spec.sections[0].id == "om"
    # the points stand together, the kinds' own parts before point 1, and after the last
    # point what the guides require beyond Appendix 6, without a point number
    first, last = spec.sections.index(numbered[0]), spec.sections.index(numbered[-1])
    assert last - first + 1 == points
    assert [(section.id, section.number) for section in spec.sections[last + 1:]] == [
        (section_id, None) for section_id in GUIDE_SECTIONS[spec.service_type]]
    for section in numbered:
        assert section.source == f"Vedlegg 6, punkt {section.number}"
        assert section.heading == f"Punkt {section.number}: {section.title}"


@pytest.mark.parametrize("spec", ALL)
def test_forms_points_apply_to_the_right_kinds(spec: FormSpec) -> None:
    everything = frozenset(ApplicationKind)
    content = frozenset({ApplicationKind.ESTABLISHMENT, ApplicationKind.CHANGE_OF_CONTENT})
    own = {"navneendring": {ApplicationKind.CHANGE_OF_NAME},
           "innholdsendring": {ApplicationKind.CHANGE_OF_CONTENT},
           "avvikling": {ApplicationKind.TERMINATION}}
    for section in spec.sections:
        if section.id == "om" or (section.id == "p1" and spec.version == 1):
            assert section.kinds == everything, section.id
        elif section.id == "endring":
            assert section.kinds == everything - {ApplicationKind.ESTABLISHMENT}
        elif section.id in own:
            assert section.kinds == own[section.id], section.id
        else:  # from version 2, point 1 is not asked of a rename or a termination
            assert section.kinds == content, section.id


def test_forms_multiregional_extends_the_national_form() -> None:
    assert [s.id for s in MT.sections] == [s.id for s in NT.sections]
    for national, multiregional in zip(NT.sections, MT.sections, strict=True):
        if national.id not in {"om", "referansegruppe"}:
            assert multiregional == national
    group = MT.section("referansegruppe")
    assert group.fields[:-1] == NT.section("referansegruppe").fields
    assert (group.fields[-1].id, group.fields[-1].kind) == ("koordinerende_region",
                                                             FieldKind.CHOICE)
    om = MT.section("om")
    assert om.fields[:-2] == NT.section("om").fields
    partner, cooperation = om.fields[-2:]
    assert (partner.id, partner.kind, partner.required) == (
        "partner_hf", FieldKind.ORGANISATION, True)
    assert (cooperation.id, cooperation.kind, cooperation.required) == (
        "samarbeid", FieldKind.TEXT, True)
    assert MT.checks[:-2] == NT.checks
    assert MT.checks[-2].rule == "two_regions"
    assert dict(MT.checks[-2].params) == {"field": "partner_hf"}
    assert dict(MT.checks[-1].params) == {"field": "koordinerende_region",
                                          "partner_field": "partner_hf"}
    assert MT.intro == NT.intro
    assert MT.service_type is ServiceType.MULTIREGIONAL_TREATMENT


@pytest.mark.parametrize("spec", ALL)
def test_forms_point_1_has_100_words_and_icd10(spec: FormSpec) -> None:
    description = spec.field("beskrivelse")
    assert (description.kind, description.max_words, description.required) == (
        FieldKind.TEXT, 100, True)
    assert spec.field("icd10").kind is FieldKind.ICD10_LIST
    assert spec.section_of("icd10").number == 1
    treatment_fields = {"behandlingsmetode", "ny_metode", "beslutningsforum"}
    field_ids = {f.id for _, f in spec.fields()}
    if spec.service_type.is_treatment:
        assert treatment_fields <= {f.id for f in spec.section("p1").fields}
        assert spec.field("fagpersoner").min_rows == 3
        assert spec.section_of("fagpersoner").number == 7
    else:
        assert not treatment_fields & field_ids
        assert spec.field("funksjon").required


TREATMENT_GUIDE_CHECKS = ["reference_group", "baseline_per_goal", "agreement_all_regions"]


@pytest.mark.parametrize("spec", ALL)
def test_forms_checks_are_the_expected_ones(spec: FormSpec) -> None:
    rules = [check.rule for check in spec.checks]
    expected = {
        "nasjonal_behandlingstjeneste": ["english_name", "patient_volume", "result_goals",
                                         "registry_overlap", *TREATMENT_GUIDE_CHECKS],
        "flerregional_behandlingstjeneste": ["english_name", "patient_volume", "result_goals",
                                             "registry_overlap", *TREATMENT_GUIDE_CHECKS,
                                             "two_regions", "coordinating_region"],
        "nasjonal_kompetansetjeneste": ["english_name", "result_goals", "registry_overlap",
                                        "confirmation", "reference_group", "baseline_per_goal",
                                        "agreement_all_regions"],
    }[spec.id]
    assert sorted(rules) == sorted([*expected, "termination_notice"])  # version 2 adds it
    prefix = next(check for check in spec.checks if check.rule == "english_name").params["prefix"]
    assert prefix == ("Norwegian National Unit for" if spec.service_type.is_treatment
                      else "Norwegian National Advisory Unit on")


def test_forms_competence_terms_match_the_function_choices() -> None:
    goals = next(check for check in NC.checks if check.rule == "result_goals")
    assert dict(goals.params["terms"]) == {"opplaering": 5, "kompetanseoppbygging": 10}
    choices = {choice.value for choice in NC.field(goals.params["function_field"]).choices}
    assert choices == set(goals.params["terms"])


@pytest.mark.parametrize("spec", ALL)
def test_forms_required_if_values_are_choices_of_the_field(spec: FormSpec) -> None:
    conditional = [f for _, f in spec.fields() if f.required_if]
    assert conditional
    for spec_field in conditional:
        assert spec_field.required_if is not None
        target = spec.field(spec_field.required_if.field)
        assert target.kind is FieldKind.CHOICE
        assert spec_field.required_if.values <= {choice.value for choice in target.choices}


@pytest.mark.parametrize("spec", ALL)
def test_forms_every_point_quotes_appendix_6_verbatim(spec: FormSpec) -> None:
    items = appendix_6_items()["treatment" if spec.service_type.is_treatment else "competence"]
    numbered = [section for section in spec.sections if section.number is not None]
    assert [section.number for section in numbered] == sorted(items)
    for section in numbered:
        assert section.quote, section.id
        assert squash(section.quote) in items[section.number], section.id


@pytest.mark.parametrize("spec", ALL)
def test_forms_every_quote_is_found_in_the_guidance(spec: FormSpec) -> None:
    """A quote is shown to users in «»: it must be the guidance's own words."""
    texts = [seed(path.name) for path in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
    if not texts:
        pytest.skip(f"the guidance texts in {SEEDS} are not available")
    quotes = [(section.id, section.quote) for section in spec.sections]
    quotes += [(f.id, f.quote) for _, f in spec.fields()]
    quotes += [(check.rule, str(check.params.get("quote", ""))) for check in spec.checks]
    for place, quote in quotes:
        if quote:
            assert any(squash(quote) in text for text in texts), place


# --------------------------------------------------------------------------- malformed forms


def minimal() -> dict[str, Any]:
    """A small valid form definition, as tomllib returns it."""
    return {
        "form": {"id": "test", "version": 1, "service_type": "nasjonal_behandlingstjeneste",
                 "title": "Test"},
        "sections": [
            {"id": "om", "title": "Om søknaden", "fields": [
                {"id": "navn_en", "kind": "line", "label": "Engelsk navn"},
            ]},
            {"id": "p1", "number": 1, "title": "Punkt 1", "fields": [
                {"id": "tekst", "kind": "text", "label": "Tekst", "required": True},
                {"id": "valg", "kind": "choice", "label": "Valg",
                 "choices": [["ja", "Ja"], ["nei", "Nei"]]},
                {"id": "antall", "kind": "number", "label": "Antall"},
                {"id": "tabell", "kind": "table", "label": "Tabell", "columns": [
                    {"id": "navn", "label": "Navn"},
                    {"id": "svar", "label": "Svar", "kind": "choice",
                     "choices": [["ja", "Ja"]]},
                ]},
            ]},
        ],
        "checks": [{"rule": "english_name", "field": "navn_en", "prefix": "Norwegian"}],
    }


def field(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(f for section in data["sections"] for f in section["fields"]
                if f["id"] == field_id)


def test_parse_minimal_form_is_valid() -> None:
    spec = parse(minimal())
    assert spec.key == "test.v1"
    assert [f.id for _, f in spec.fields()] == ["navn_en", "tekst", "valg", "antall", "tabell"]
    assert spec.field("tabell").column("svar").choices[0].value == "ja"


Mutation = Callable[[dict[str, Any]], None]


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        path(data)[key] = value
    return mutate


def _drop(path: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del path(data)[key]
    return mutate


def _add_field(section: int, new: dict[str, Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["sections"][section]["fields"].append(new)
    return mutate


def _add_section(new: dict[str, Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["sections"].append(new)
    return mutate


def _check(new: dict[str, Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["checks"] = [new]
    return mutate


def _root(data: dict[str, Any]) -> dict[str, Any]:
    return data


def _head(data: dict[str, Any]) -> dict[str, Any]:
    return data["form"]


def _p1(data: dict[str, Any]) -> dict[str, Any]:
    return data["sections"][1]


def _column(data: dict[str, Any]) -> dict[str, Any]:
    return field(data, "tabell")["columns"][0]


def _in(field_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: field(data, field_id)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(_set(_root, "felter", []), "skjema: ukjente nøkler ['felter']",
                     id="unknown-top-level-key"),
        pytest.param(_set(_head, "versjon", 2), "skjema: ukjente nøkler ['versjon']",
                     id="unknown-form-key"),
        pytest.param(_set(_p1, "nummer", 1), "skjema, del p1: ukjente nøkler ['nummer']",
                     id="unknown-section-key"),
        pytest.param(_set(_in("tekst"), "maxwords", 100),
                     "skjema, del p1, felt tekst: ukjente nøkler ['maxwords']",
                     id="unknown-field-key"),
        pytest.param(_set(_column, "bredde", 3),
                     "skjema, del p1, felt tabell, kolonne 1: ukjente nøkler ['bredde']",
                     id="unknown-column-key"),
        pytest.param(_set(_in("tekst"), "kind", "essay"),
                     "skjema, del p1, felt tekst: ukjent eller manglende felttype 'essay'",
                     id="unknown-field-kind"),
        pytest.param(_drop(_in("tekst"), "kind"),
                     "skjema, del p1, felt tekst: ukjent eller manglende felttype None",
                     id="missing-field-kind"),
        pytest.param(_set(_column, "kind", "money"),
                     "kolonne 1: ukjent kolonnetype 'money'", id="unknown-column-kind"),
        pytest.param(_add_field(1, {"id": "tekst", "kind": "line", "label": "Igjen"}),
                     "skjema: feltet 'tekst' finnes to ganger", id="duplicate-field-id"),
        pytest.param(_add_field(0, {"id": "antall", "kind": "number", "label": "Igjen"}),
                     "skjema: feltet 'antall' finnes to ganger",
                     id="duplicate-field-id-in-other-section"),
        pytest.param(_add_field(1, {"id": "p1", "kind": "line", "label": "Som delen"}),
                     "skjema: feltet 'p1' finnes to ganger", id="field-id-is-a-section-id"),
        pytest.param(_add_section({"id": "p1", "title": "Igjen", "fields": []}),
                     "skjema: delen 'p1' finnes to ganger", id="duplicate-section-id"),
        pytest.param(_set(_in("tekst"), "required_if", {"field": "finnes_ikke", "equals": "ja"}),
                     "skjema: tekst.required_if viser til ukjent felt 'finnes_ikke'",
                     id="required-if-unknown-field"),
        pytest.param(_set(_in("tekst"), "required_if", {"equals": "ja"}),
                     "felt tekst: required_if må ha «field» og «equals» eller «in»",
                     id="required-if-without-field"),
        pytest.param(_set(_in("tekst"), "required_if", {"field": "valg"}),
                     "felt tekst: required_if må ha «field» og «equals» eller «in»",
                     id="required-if-without-value"),
        pytest.param(_check({"rule": "spelling", "field": "tekst"}),
                     "skjema: kontrollen 'spelling': ukjent kontroll; kjente er "
                     f"{sorted(CHECKS)}", id="unknown-check"),
        pytest.param(_check({"rule": "english_name", "field": "antall", "prefix": "N"}),
                     "skjema: kontrollen 'english_name': feltet 'antall' har typen number, som "
                     "kontrollen ikke gjelder", id="check-on-wrong-kind"),
        pytest.param(_check({"rule": "patient_volume", "field": "tekst"}),
                     "kontrollen 'patient_volume': feltet 'tekst' har typen text",
                     id="volume-on-text"),
        pytest.param(_check({"rule": "two_regions", "field": "finnes_ikke"}),
                     "kontrollen 'two_regions': ukjent felt 'finnes_ikke'",
                     id="check-on-unknown-field"),
        pytest.param(_check({"rule": "english_name", "prefix": "N"}),
                     "kontrollen 'english_name': mangler «field»", id="check-without-field"),
        pytest.param(_check({"rule": "english_name", "field": "navn_en"}),
                     "skjema: kontrollen 'english_name': mangler ['prefix']",
                     id="missing-check-parameter"),
        pytest.param(_check({"rule": "result_goals", "field": "tabell"}),
                     "kontrollen 'result_goals': mangler ['due_column']",
                     id="missing-result-goals-parameter"),
        pytest.param(_check({"rule": "english_name", "field": "navn_en", "prefix": "N",
                             "suffix": "x"}),
                     "kontrollen 'english_name': ukjente parametre ['suffix']",
                     id="unknown-check-parameter"),
        pytest.param(_check({"field": "navn_en"}), "skjema, checks: mangler nøkler ['rule']",
                     id="check-without-rule"),
        pytest.param(_add_field(1, {"id": "t", "kind": "table", "label": "Tom tabell"}),
                     "skjema, del p1, felt t: en tabell må ha kolonner",
                     id="table-without-columns"),
        pytest.param(_add_field(1, {"id": "c", "kind": "choice", "label": "Uten valg"}),
                     "skjema, del p1, felt c: et valgfelt må ha valg",
                     id="choice-without-choices"),
        pytest.param(_set(_in("valg"), "choices", [["ja", "Ja"], ["nei"]]),
                     "felt valg: et valg skrives [verdi, tekst], fikk ['nei']",
                     id="choice-without-label"),
        pytest.param(_drop(_column, "label"),
                     "felt tabell, kolonne 1: mangler nøkler ['label']",
                     id="column-without-label"),
        pytest.param(_set(_in("tabell"), "columns", [{"id": "svar", "label": "Svar",
                                                      "kind": "choice"}]),
                     "felt tabell, kolonne 1: en valgkolonne må ha valg",
                     id="choice-column-without-choices"),
        pytest.param(_drop(_in("tekst"), "label"), "skjema, del p1, felt tekst: mangler nøkler "
                     "['label']", id="field-without-label"),
        pytest.param(_drop(_in("tekst"), "id"), "skjema, del p1, felt ?: mangler nøkler ['id']",
                     id="field-without-id"),
        pytest.param(_drop(_p1, "title"), "skjema, del p1: mangler nøkler ['title']",
                     id="section-without-title"),
        pytest.param(_set(_p1, "kinds", ["etablering", "sammenslåing"]),
                     "skjema, del p1: ukjent søknadstype i kinds; kjente er ['etablering', "
                     "'endring_innhold', 'endring_navn', 'avvikling']", id="unknown-kind"),
        pytest.param(_drop(_head, "id"), "skjema: [form] mangler eller har ugyldig verdi",
                     id="form-without-id"),
        pytest.param(_set(_head, "service_type", "nasjonal_tjeneste"),
                     "skjema: [form] mangler eller har ugyldig verdi", id="unknown-service-type"),
        pytest.param(_set(_root, "extra_fields", [{"section": "p9", "id": "x", "kind": "line",
                                                   "label": "X"}]),
                     "skjema: extra_fields viser til ukjent del 'p9'",
                     id="extra-field-unknown-section"),
        pytest.param(_set(_root, "extra_fields", [{"id": "x", "kind": "line", "label": "X"}]),
                     "skjema, extra_fields: mangler nøkler ['section']",
                     id="extra-field-without-section"),
        pytest.param(_set(_root, "extra_fields", [{"section": "p1", "after": "ukjent", "id": "x",
                                                   "kind": "line", "label": "X"}]),
                     "skjema: extra_fields «after» viser til ukjent felt 'ukjent' i delen 'p1'",
                     id="extra-field-after-unknown-field"),
    ],
)
def test_parse_malformed_form_raises_formspecerror(mutate: Mutation, message: str) -> None:
    data = copy.deepcopy(minimal())
    mutate(data)
    with pytest.raises(FormSpecError) as error:
        parse(data)
    assert message in str(error.value)


def test_parse_names_the_file_in_the_message() -> None:
    data = minimal()
    data["sections"][1]["fields"][0]["kind"] = "essay"
    with pytest.raises(FormSpecError, match=r"^minform\.v1\.toml, del p1, felt tekst: "):
        parse(data, where="minform.v1.toml")


def test_parse_extends_replaces_a_section_of_the_base_form() -> None:
    base = parse(minimal())
    child = {
        "form": {"id": "barn", "version": 1, "service_type": "flerregional_behandlingstjeneste",
                 "title": "Barn"},
        "sections": [{"id": "p1", "number": 1, "title": "Nytt punkt 1", "fields": [
            {"id": "ny", "kind": "text", "label": "Ny"}]}],
    }
    spec = parse(child, base=base)
    assert [s.id for s in spec.sections] == ["om", "p1"]
    assert [f.id for f in spec.section("p1").fields] == ["ny"]
    assert spec.checks == base.checks


@pytest.mark.parametrize(
    ("extra", "order"),
    [
        pytest.param({}, ["tekst", "valg", "antall", "tabell", "x"], id="appended"),
        pytest.param({"after": "tekst"}, ["tekst", "x", "valg", "antall", "tabell"],
                     id="after-a-field"),
    ],
)
def test_parse_extra_field_goes_where_it_is_told(extra: dict[str, str],
                                                 order: list[str]) -> None:
    child = {"form": {"id": "barn", "version": 2, "service_type": "nasjonal_behandlingstjeneste",
                      "title": "Barn"},
             "extra_fields": [{"section": "p1", "id": "x", "kind": "line", "label": "X", **extra}]}
    spec = parse(child, base=parse(minimal()))
    assert [f.id for f in spec.section("p1").fields] == order


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        pytest.param({"rule": "english_name", "field": "navn_en", "prefix": "Norwegian Unit"},
                     [("english_name", "Norwegian Unit")], id="same-rule-and-field-replaces"),
        pytest.param({"rule": "patient_volume", "field": "antall"},
                     [("english_name", "Norwegian"), ("patient_volume", None)], id="another-adds"),
    ],
)
def test_parse_a_check_of_the_extending_form(check: dict[str, str],
                                             expected: list[tuple[str, str | None]]) -> None:
    child = {"form": {"id": "barn", "version": 2, "service_type": "nasjonal_behandlingstjeneste",
                      "title": "Barn"}, "checks": [check]}
    spec = parse(child, base=parse(minimal()))
    assert [(c.rule, c.params.get("prefix")) for c in spec.checks] == expected


# --------------------------------------------------------------------------- the library


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


FORM_TOML = """
[form]
id = "{id}"
version = {version}
service_type = "nasjonal_behandlingstjeneste"
title = "T"
{extends}

[[sections]]
id = "{section}"
title = "S"
"""


def form_toml(form_id: str, version: int = 1, extends: str = "", section: str = "om") -> str:
    return FORM_TOML.format(id=form_id, version=version, section=section,
                            extends=f'extends = "{extends}"' if extends else "")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param({"a.v1.toml": form_toml("a", extends="b.v1"),
                      "b.v1.toml": form_toml("b", extends="a.v1", section="p1")},
                     "extends går i ring", id="cycle"),
        pytest.param({"a.v1.toml": form_toml("a", extends="mangler.v1")},
                     "Fant ikke skjemaet mangler.v1.toml", id="missing-base"),
        pytest.param({"a.v1.toml": form_toml("a", version=2)},
                     "a.v1.toml: [form] id og version gir a.v2, ikke a.v1", id="name-mismatch"),
    ],
)
def test_library_load_refuses_inconsistent_files(tmp_path: Path, files: dict[str, str],
                                                 message: str) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(FormSpecError) as error:
        FormLibrary.load(tmp_path)
    assert message in str(error.value)


def test_library_latest_picks_the_highest_version(tmp_path: Path) -> None:
    write(tmp_path, "a.v1.toml", form_toml("a"))
    write(tmp_path, "a.v2.toml", form_toml("a", version=2))
    library = FormLibrary.load(tmp_path)
    assert library.latest(ServiceType.NATIONAL_TREATMENT).key == "a.v2"
    assert library.get("a", 1).version == 1
