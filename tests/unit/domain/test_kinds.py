"""The four kinds of application as data (version 2 of the forms): which points, fields and
checks apply to which kind, the pick from the registry, the termination's lead time, and why
a finding blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from soknad.domain import blocking, exchange, kinds, registry_pick, termination
from soknad.domain.answers import normalise
from soknad.domain.errors import FormSpecError
from soknad.domain.findings import Severity, has_blocking
from soknad.domain.formspec import FormLibrary, parse
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.organisations import Region, read_health_trusts
from soknad.domain.registry import RegistryService, read_registry, service_key
from soknad.domain.rules import CHECKS, RuleContext, check_application
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import KIND_ANSWERS, TARGET_SERVICES

ROOT = Path(__file__).resolve().parents[3]
FORMS = FormLibrary.load(ROOT / "forms")
ORGANISATIONS = tuple(read_health_trusts(ROOT / "data" / "helseforetak.csv"))
REGISTRY = tuple(read_registry(ROOT / "data" / "nasjonale_tjenester.csv"))

NT = ServiceType.NATIONAL_TREATMENT
MT = ServiceType.MULTIREGIONAL_TREATMENT
NC = ServiceType.NATIONAL_COMPETENCE
EST = ApplicationKind.ESTABLISHMENT
CONTENT = ApplicationKind.CHANGE_OF_CONTENT
RENAME = ApplicationKind.CHANGE_OF_NAME
END = ApplicationKind.TERMINATION


def context(kind: ApplicationKind, service_type: ServiceType) -> RuleContext:
    return RuleContext(kind=kind, round_year=2027,
                       applicant_organisation="Oslo universitetssykehus HF",
                       applicant_region=Region.SOR_OST, organisations=ORGANISATIONS,
                       registry=REGISTRY, service_type=service_type)


def findings_for(service_type: ServiceType, kind: ApplicationKind,
                 changes: dict[str, Any] | None = None) -> list[Any]:
    spec = FORMS.latest(service_type)
    answers, _ = normalise(spec.for_kind(kind), {**KIND_ANSWERS[service_type, kind],
                                                 **(changes or {})})
    return check_application(spec, answers, context(kind, service_type))


# --------------------------------------------------------------------------- what each kind asks

# The points of Appendix 6, then what the guides require beyond it (both for a new or changed
# service only).
POINTS = {NT: [*(f"p{n}" for n in range(1, 13)), "beredskap", "referansegruppe", "ideell"],
          MT: [*(f"p{n}" for n in range(1, 13)), "beredskap", "referansegruppe", "ideell"],
          NC: [*(f"p{n}" for n in range(1, 12)), "avgrensning", "referansegruppe", "ideell"]}


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("kind", "sections"),
    [
        pytest.param(EST, ["om", "*"], id="establishment"),
        pytest.param(CONTENT, ["om", "endring", "innholdsendring", "*"], id="change-of-content"),
        pytest.param(RENAME, ["om", "endring", "navneendring"], id="change-of-name"),
        pytest.param(END, ["om", "endring", "avvikling"], id="termination"),
    ],
)
def test_each_kind_has_its_own_points(service_type: ServiceType, kind: ApplicationKind,
                                      sections: list[str]) -> None:
    expected = [item for section in sections
                for item in (POINTS[service_type] if section == "*" else [section])]
    spec = FORMS.latest(service_type).for_kind(kind)
    assert [section.id for section in spec.sections] == expected


@pytest.mark.parametrize(
    ("service_type", "kind", "fields"),
    [
        pytest.param(NT, EST, ["navn_nb", "navn_en", "kontakt_navn", "kontakt_epost",
                               "kontakt_telefon"], id="treatment-establishment"),
        pytest.param(NC, EST, ["navn_nb", "navn_en", "funksjon", "kontakt_navn",
                               "kontakt_epost", "kontakt_telefon"], id="competence-establishment"),
        pytest.param(NC, CONTENT, ["funksjon", "kontakt_navn", "kontakt_epost",
                                   "kontakt_telefon"], id="competence-change"),
        pytest.param(MT, CONTENT, ["kontakt_navn", "kontakt_epost", "kontakt_telefon",
                                   "partner_hf", "samarbeid"], id="multiregional-change"),
        pytest.param(MT, RENAME, ["kontakt_navn", "kontakt_epost", "kontakt_telefon"],
                     id="multiregional-rename"),
        pytest.param(NC, END, ["kontakt_navn", "kontakt_epost", "kontakt_telefon"],
                     id="competence-termination"),
    ],
)
def test_the_general_part_asks_only_what_applies_to_the_kind(
        service_type: ServiceType, kind: ApplicationKind, fields: list[str]) -> None:
    section = FORMS.latest(service_type).for_kind(kind).section("om")
    assert [spec_field.id for spec_field in section.fields] == fields


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_the_rename_asks_the_new_names_and_why(service_type: ServiceType) -> None:
    spec = FORMS.latest(service_type).for_kind(RENAME)
    assert [f.id for f in spec.section("navneendring").fields] == [
        "navn_nb", "navn_en", "begrunnelse_navn", "navn_dokumentasjon"]
    assert spec.field("navn_nb").label == "Nytt navn på norsk"
    assert spec.field("gjeldende_tjeneste").kind.value == "registry_service"


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_the_termination_asks_what_the_guides_ask(service_type: ServiceType) -> None:
    spec = FORMS.latest(service_type).for_kind(END)
    assert [f.id for f in spec.section("avvikling").fields] == [
        "begrunnelse_avvikling", "oppgaver_videre", "videreforing", "videreforing_beskrivelse",
        "ansatte", "pasienter", "sluttdato"]
    assert [choice.value for choice in spec.field("videreforing").choices] == [
        "nettverk", "annen_form", "ingen"]


# --------------------------------------------------------------------------- which checks apply


@pytest.mark.parametrize(
    ("rule", "applies"),
    [
        ("english_name", {EST, RENAME}),
        ("patient_volume", {EST, CONTENT}),
        ("two_regions", {EST, CONTENT}),
        ("result_goals", {EST, CONTENT}),
        ("registry_overlap", {EST, CONTENT}),
        ("termination_notice", {END}),
        ("reference_group", {EST, CONTENT}),
        ("coordinating_region", {EST, CONTENT}),
        ("confirmation", {EST, CONTENT}),
        ("baseline_per_goal", {EST, CONTENT}),
        ("agreement_all_regions", {EST, CONTENT}),
    ],
)
def test_the_table_of_checks_per_kind(rule: str, applies: set[ApplicationKind]) -> None:
    assert {kind for kind in ApplicationKind if kinds.check_applies(rule, kind)} == applies


def test_every_named_check_is_in_the_table() -> None:
    assert set(kinds.CHECK_KINDS) == set(CHECKS)


@pytest.mark.parametrize(
    ("service_type", "kind", "rules"),
    [
        pytest.param(NT, EST, ["agreement_all_regions", "baseline_per_goal", "english_name",
                               "patient_volume", "reference_group", "registry_overlap",
                               "result_goals"], id="treatment-establishment"),
        pytest.param(MT, CONTENT, ["agreement_all_regions", "baseline_per_goal",
                                   "coordinating_region", "patient_volume", "reference_group",
                                   "registry_overlap", "result_goals", "two_regions"],
                     id="multiregional-change"),
        pytest.param(NC, RENAME, ["english_name"], id="competence-rename"),
        pytest.param(NC, END, ["termination_notice"], id="competence-termination"),
        pytest.param(MT, END, ["termination_notice"], id="multiregional-termination"),
    ],
)
def test_the_form_of_a_kind_runs_only_its_checks(service_type: ServiceType,
                                                 kind: ApplicationKind, rules: list[str]) -> None:
    spec = FORMS.latest(service_type).for_kind(kind)
    assert sorted(check.rule for check in spec.checks) == rules


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize("kind", list(ApplicationKind))
def test_complete_answers_of_each_kind_do_not_block(service_type: ServiceType,
                                                    kind: ApplicationKind) -> None:
    findings = findings_for(service_type, kind)
    assert not has_blocking(findings), [finding.text for finding in findings]


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_termination_is_not_held_to_the_rules_of_a_new_service(
        service_type: ServiceType) -> None:
    """Wrong answers to a new service's questions do not reach a termination."""
    wrong = {"navn_en": "Ugyldig", "funksjon": "", "icd10": ["XYZ"], "beskrivelse": "",
             "resultatmal": [], "pasientvolum": "5", "partner_hf": ""}
    assert findings_for(service_type, END, wrong) == []


@pytest.mark.parametrize(
    ("changes", "rules"),
    [
        pytest.param({}, [], id="complete"),
        pytest.param({"navn_en": "Unit for Replantation"}, ["english_name"], id="english-name"),
        pytest.param({"begrunnelse_navn": ""}, ["required"], id="no-reason"),
        pytest.param({"navn_dokumentasjon": []}, ["required"], id="no-documentation"),
    ],
)
def test_the_rename_checks_the_new_english_name(changes: dict[str, Any],
                                                rules: list[str]) -> None:
    found = findings_for(NT, RENAME, changes)
    assert [(f.rule, f.section) for f in found] == [(rule, "navneendring") for rule in rules]


# --------------------------------------------------------------------------- the registry pick

OTHER_TYPE_KEY = TARGET_SERVICES[NC][0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(TARGET_SERVICES[NT][0], None, id="a-service-of-the-type"),
        pytest.param("", "Velg tjenesten i «Godkjent nasjonal tjeneste» fra listen over "
                     "godkjente nasjonale tjenester.", id="none"),
        pytest.param("nasjonal_behandlingstjeneste:finnes-ikke",
                     "Tjenesten i «Godkjent nasjonal tjeneste» finnes ikke i registeret",
                     id="unknown-key"),
        pytest.param(TARGET_SERVICES[NT][1], "finnes ikke i registeret", id="a-name-not-a-key"),
        pytest.param(OTHER_TYPE_KEY, "er en nasjonal kompetansetjeneste, mens søknaden gjelder "
                     "en nasjonal behandlingstjeneste", id="another-type"),
    ],
)
def test_the_pick_must_be_an_approved_service_of_the_type(value: str,
                                                          message: str | None) -> None:
    found = findings_for(NT, END, {"gjeldende_tjeneste": value})
    if message is None:
        assert found == []
        return
    assert [(f.field, f.severity) for f in found] == [("gjeldende_tjeneste", Severity.BLOCKING)]
    assert message in found[0].message


@pytest.mark.parametrize(
    ("status", "terminated_from", "message"),
    [
        pytest.param(ServiceStatus.ACTIVE, None, None, id="active"),
        pytest.param(ServiceStatus.TERMINATED, date(2028, 1, 1),
                     "er vedtatt avviklet fra og med 1. januar 2028, og kan ikke lenger søkes "
                     "endret eller avviklet", id="termination-decided"),
    ],
)
def test_a_service_whose_termination_is_decided_cannot_be_picked(
        status: ServiceStatus, terminated_from: date | None, message: str | None) -> None:
    service = replace(_service("Nasjonal behandlingstjeneste for test"), status=status,
                      terminated_from=terminated_from)
    offered = registry_pick.options([service], NT)
    assert offered == ([service] if message is None else [])
    problem = registry_pick.choice_problem(service.key, [service], NT, "Tjenesten")
    assert (problem is None) if message is None else (message in (problem or ""))


def _service(name: str, service_type: ServiceType = NT, location: str = "") -> RegistryService:
    return RegistryService(key=service_key(service_type, name) + location,
                           service_type=service_type, regions=(Region.VEST,), name_nb=name,
                           name_en="", location=location)


@pytest.mark.parametrize(
    ("registry", "name", "found"),
    [
        pytest.param([_service("Tjeneste A")], "Tjeneste A", 0, id="exact"),
        pytest.param([_service("Tjeneste A")], "  tjeneste   a ", 0, id="case-and-spacing"),
        pytest.param([_service("Tjeneste A")], "Tjeneste", None, id="part-of-a-name"),
        pytest.param([_service("Tjeneste A", NC)], "Tjeneste A", None, id="another-type"),
        pytest.param([_service("Tjeneste A", location="x"), _service("Tjeneste A", location="y")],
                     "Tjeneste A", None, id="two-with-the-name"),
        pytest.param([_service("Tjeneste A")], "", None, id="empty"),
    ],
)
def test_an_older_files_name_is_read_as_a_key_only_when_unique(
        registry: list[RegistryService], name: str, found: int | None) -> None:
    expected = None if found is None else registry[found].key
    assert registry_pick.resolve_name(name, registry, NT) == expected


def test_the_options_are_the_types_services_by_name_with_their_place() -> None:
    options = registry_pick.options(REGISTRY, MT)
    assert {service.service_type for service in options} == {MT}
    assert [s.name_nb.casefold() for s in options] == sorted(s.name_nb.casefold() for s in options)
    assert registry_pick.option_label(options[0]) == (
        f"{options[0].name_nb} ({options[0].location})")


# --------------------------------------------------------------------------- the lead time


@pytest.mark.parametrize(
    ("end", "warns"),
    [
        pytest.param("2028-07-15", False, id="18-months-after-15-january"),
        pytest.param("2028-07-14", True, id="a-day-short"),
        pytest.param("2027-12-31", True, id="within-the-year"),
        pytest.param("2030-01-01", False, id="later"),
    ],
)
def test_the_termination_should_leave_18_months(end: str, warns: bool) -> None:
    found = findings_for(NT, END, {"sluttdato": end})
    assert [(f.rule, f.severity) for f in found] == (
        [("termination_notice", Severity.WARNING)] if warns else [])
    if warns:
        assert "minst 18 måneder fra søknad/initiativ" in found[0].quote


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2027, 1, 15), 18, date(2028, 7, 15)), (date(2027, 8, 31), 6, date(2028, 2, 29)),
     (date(2027, 12, 31), 1, date(2028, 1, 31))],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert termination.add_months(day, months) == expected


# --------------------------------------------------------------------------- why it blocks


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        pytest.param({"icd10": []}, {"icd10": blocking.PREMISE}, id="no-icd10"),
        pytest.param({"icd10": ["XYZ"]}, {"icd10": blocking.PREMISE}, id="unknown-icd10"),
        pytest.param({"beskrivelse": "ord " * 101}, {"beskrivelse": blocking.PREMISE},
                     id="over-100-words"),
        pytest.param({"fagpersoner": []}, {"fagpersoner": blocking.PREMISE},
                     id="fewer-than-3-professionals"),
        pytest.param({"tverrfaglig": ""}, {"tverrfaglig": blocking.MISSING}, id="missing"),
        pytest.param({"kontakt_epost": "ikke-en-adresse"}, {"kontakt_epost": blocking.INVALID},
                     id="invalid"),
    ],
)
def test_a_blocking_finding_says_why(changes: dict[str, Any], reasons: dict[str, str]) -> None:
    found = [f for f in findings_for(NT, EST, changes) if f.blocking]
    assert {f.field: f.reason for f in found} == reasons
    assert all(f.status_label == f"Hindrer innsending ({f.reason})" for f in found)


def test_the_two_regions_are_a_premise() -> None:
    found = findings_for(MT, EST, {"partner_hf": "Oslo universitetssykehus HF"})
    assert [(f.rule, f.reason) for f in found] == [("two_regions", blocking.PREMISE)]


def test_a_recommendation_is_labelled_so() -> None:
    found = findings_for(NT, EST, {"pasientvolum": "5"})
    assert [(f.rule, f.status_label, f.reason) for f in found] == [
        ("patient_volume_low", "Anbefales", "")]


# --------------------------------------------------------------------------- the form syntax


def _form(*sections: dict[str, Any], only_for: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form": {"id": "test", "version": 1, "service_type": NT.value, "title": "Test"},
        "sections": list(sections)}
    if only_for is not None:
        data["only_for"] = only_for
    return data


OM = {"id": "om", "title": "Om", "fields": [{"id": "navn_nb", "kind": "line", "label": "Navn"}]}


def test_a_field_id_may_repeat_for_kinds_that_do_not_meet() -> None:
    rename = {"id": "nytt", "title": "Nytt navn", "kinds": ["endring_navn"], "after": "om",
              "fields": [{"id": "navn_nb", "kind": "line", "label": "Nytt navn"}]}
    spec = parse(_form(OM, rename, only_for=[{"section": "om", "field": "navn_nb",
                                                "kinds": ["etablering"]}]))
    assert spec.for_kind(RENAME).field("navn_nb").label == "Nytt navn"
    assert spec.for_kind(EST).field("navn_nb").label == "Navn"
    assert spec.for_kind(END).sections[0].fields == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(_form(OM, {"id": "nytt", "title": "Nytt", "fields": [
            {"id": "navn_nb", "kind": "line", "label": "Nytt"}]}),
            "feltet 'navn_nb' finnes to ganger", id="same-id-same-kinds"),
        pytest.param(_form(OM, only_for=[{"section": "p9", "kinds": ["avvikling"]}]),
                     "ukjent del 'p9'", id="only-for-unknown-section"),
        pytest.param(_form(OM, only_for=[{"section": "om", "field": "x", "kinds": ["avvikling"]}]),
                     "delen 'om' har ikke feltet 'x'", id="only-for-unknown-field"),
        pytest.param(_form(OM, only_for=[{"section": "om", "kinds": ["sammenslåing"]}]),
                     "ukjent søknadstype", id="only-for-unknown-kind"),
        pytest.param(_form(OM, {"id": "ny", "title": "Ny", "after": "p9"}),
                     "after viser til ukjent del 'p9'", id="after-unknown-section"),
    ],
)
def test_the_form_syntax_for_kinds_is_checked(data: dict[str, Any], message: str) -> None:
    with pytest.raises(FormSpecError, match=message):
        parse(data)


# --------------------------------------------------------------------------- the exchange format


def _file(version: int, **extra: Any) -> dict[str, Any]:
    return {"format": exchange.FORMAT, "format_version": version,
            "form": {"id": NT.value, "version": 2}, "kind": END.value, "round": 2027,
            "organisation": {"name": "Oslo universitetssykehus HF", "region": "helse-sor-ost"},
            "answers": {"gjeldende_tjeneste": "Navnet"}, **extra}


def test_a_version_1_file_is_still_read() -> None:
    document = exchange.from_dict(_file(1))
    assert (document.format_version, document.service) == (1, None)


def test_version_1_has_no_service_block() -> None:
    with pytest.raises(Exception, match="service"):
        exchange.from_dict(_file(1, service={"key": None, "name": "Navnet"}))


def test_version_2_carries_the_service() -> None:
    service = {"key": TARGET_SERVICES[NT][0], "name": TARGET_SERVICES[NT][1]}
    document = exchange.from_dict(_file(2, service=service))
    assert document.service == exchange.TargetService(*service.values())
    assert document.to_dict()["service"] == service
    assert document.to_dict()["format_version"] == 2
