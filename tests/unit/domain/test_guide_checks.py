"""The checks for what the guides require beyond Appendix 6 (``soknad/domain/guide_checks.py``),
as tables on the real version-2 forms: each row starts from ``tests.factories.VALID_ANSWERS``,
changes one thing, and states what the user is told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soknad.domain.answers import normalise
from soknad.domain.findings import has_blocking
from soknad.domain.formspec import FieldKind
from soknad.domain.guide_checks import (
    _CHAIR_QUOTE,
    _GROUP_QUOTE,
    GUIDE_CHECKS,
    regions_without_agreement,
)
from soknad.domain.organisations import Region
from soknad.domain.rules import CHECKS
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import REFERENCE_GROUP, VALID_ANSWERS
from tests.unit.domain.test_rules import (
    BLOCK,
    FORMS,
    MT,
    NC,
    NT,
    WARN,
    assert_findings,
    context,
    run,
    seen,
)

SEEDS = Path("/work/shared/seeds")
GROUP = "referansegruppe_medlemmer"


def group(*changes: tuple[int, dict[str, str] | None],
          extra: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """The baseline reference group with row ``index`` changed (None: left out)."""
    rows = [dict(row) for row in REFERENCE_GROUP]
    for index, change in sorted(changes, key=lambda item: -item[0]):
        if change is None:
            del rows[index]
        else:
            rows[index].update(change)
    return rows + (extra or [])


def member(name: str, represents: str, role: str = "medlem") -> dict[str, str]:
    return {"navn": name, "fag": "Overlege", "representerer": represents, "verv": role}


# --------------------------------------------------------------------------- registration


def test_guide_checks_are_registered_with_the_other_named_checks() -> None:
    assert set(GUIDE_CHECKS) <= set(CHECKS)
    assert CHECKS["reference_group"].field_kinds == frozenset({FieldKind.TABLE})


@pytest.mark.parametrize("quote", [_GROUP_QUOTE, _CHAIR_QUOTE])
def test_guide_checks_quotes_are_the_guides_own_words(quote: str) -> None:
    path = next(SEEDS.glob("002_*.txt"), None)
    if path is None:
        pytest.skip("the guidance texts are not available")
    assert " ".join(quote.split()) in " ".join(path.read_text(encoding="utf-8").split())


# --------------------------------------------------------------------------- reference group


@pytest.mark.parametrize("service_type", [NT, MT, NC])
@pytest.mark.parametrize(
    ("rows", "expected", "messages"),
    [
        pytest.param(group(), [], [], id="complete"),
        pytest.param(group((2, None)), [("reference_group_regions", BLOCK), ("min_rows", BLOCK)],
                     ["«Foreslått faglig referansegruppe» mangler medlem fra Helse Midt-Norge. "
                      "Hvert regionalt helseforetak skal være representert."],
                     id="one-region-missing"),
        pytest.param(group((1, {"representerer": "helse-sor-ost"}),
                           (2, {"representerer": "helse-sor-ost"})),
                     [("reference_group_regions", BLOCK)],
                     ["mangler medlem fra Helse Vest og Helse Midt-Norge."],
                     id="two-regions-missing"),
        pytest.param(group((4, {"representerer": "annen"})), [("reference_group_users", BLOCK)],
                     ["«Foreslått faglig referansegruppe» har ingen brukerrepresentant."],
                     id="no-user-representative"),
        pytest.param(group(extra=[member("Frida Bruker", "bruker")]), [], [],
                     id="two-user-representatives"),
        pytest.param(group((3, {"verv": "medlem"})), [("reference_group_chair", BLOCK)],
                     ["Marker én leder i «Foreslått faglig referansegruppe» (nå 0)."],
                     id="no-chair"),
        pytest.param(group((2, {"verv": "leder"})), [("reference_group_chair", BLOCK)],
                     ["(nå 2)"], id="two-chairs"),
        pytest.param(group((3, {"verv": "medlem"}), (0, {"verv": "leder"})),
                     [("reference_group_chair_region", WARN)],
                     ["Lederen (rad 1) kommer fra Helse Sør-Øst. Lederen bør være en av de "
                      "regionale representantene fra en annen helseregion enn Helse Sør-Øst"],
                     id="chair-from-own-region"),
        pytest.param(group((3, {"verv": "medlem"}), (4, {"verv": "leder"})),
                     [("reference_group_chair_region", WARN)],
                     ["Lederen (rad 5) kommer fra ingen helseregion."],
                     id="chair-a-user-representative"),
        pytest.param(group((1, {"verv": "", "navn": "Bjørn Vest"})), [("table_row", BLOCK),
                                                                       ("min_rows", BLOCK)],
                     ["Rad 2 i «Foreslått faglig referansegruppe» mangler: Verv."],
                     id="role-left-blank"),
    ],
)
def test_reference_group_one_member_per_rhf_users_and_a_chair_from_elsewhere(
        service_type: ServiceType, rows: list[dict[str, str]], expected: list[Any],
        messages: list[str]) -> None:
    findings = run(service_type, {GROUP: rows})
    assert_findings(findings, [seen(rule, "referansegruppe", GROUP, severity)
                               for rule, severity in expected], messages)


@pytest.mark.parametrize(
    ("chair_region", "expected"),
    [
        pytest.param("helse-nord", [], id="a-third-region"),
        pytest.param("helse-vest", [seen("reference_group_chair_region", "referansegruppe", GROUP,
                                         WARN)], id="the-partner-region"),
        pytest.param("helse-sor-ost", [seen("reference_group_chair_region", "referansegruppe",
                                            GROUP, WARN)], id="the-applicant-region"),
    ],
)
def test_reference_group_multiregional_chair_from_neither_of_its_regions(
        chair_region: str, expected: list[Any]) -> None:
    index = [row["representerer"] for row in REFERENCE_GROUP].index(chair_region)
    rows = group((3, {"verv": "medlem"}), (index, {"verv": "leder"}))
    findings = run(MT, {GROUP: rows})  # Oslo universitetssykehus HF with Helse Bergen HF
    assert_findings(findings, expected, ["enn Helse Sør-Øst og Helse Vest"] if expected else [])


def test_reference_group_blank_is_only_the_missing_rows() -> None:
    findings = run(NT, {GROUP: []})
    assert_findings(findings, [seen("min_rows", "referansegruppe", GROUP)],
                    ["«Foreslått faglig referansegruppe» må ha minst 5 fullstendige rader "
                     "(har 0)."])


# --------------------------------------------------------------------------- coordinating region


@pytest.mark.parametrize(
    ("region", "expected", "messages"),
    [
        pytest.param("helse-sor-ost", [], [], id="the-applicant-region"),
        pytest.param("helse-vest", [], [], id="the-partner-region"),
        pytest.param("helse-nord", [seen("coordinating_region", "referansegruppe",
                                         "koordinerende_region")],
                     ["Helse Nord er ikke en av tjenestens to helseregioner (Helse Sør-Øst og "
                      "Helse Vest). Velg helseregionen som skal ha koordineringsansvaret."],
                     id="a-third-region"),
        pytest.param("", [seen("required", "referansegruppe", "koordinerende_region")],
                     ["Velg et svar i «Helseregionen som har koordineringsansvaret"],
                     id="not-answered"),
    ],
)
def test_coordinating_region_is_one_of_the_two_regions(region: str, expected: list[Any],
                                                       messages: list[str]) -> None:
    assert_findings(run(MT, {"koordinerende_region": region}), expected, messages)


def test_coordinating_region_waits_for_a_partner_in_another_region() -> None:
    findings = run(MT, {"koordinerende_region": "helse-nord",
                        "partner_hf": "Akershus universitetssykehus HF"})
    assert_findings(findings, [seen("two_regions", "om", "partner_hf")])


@pytest.mark.parametrize("service_type", [NT, NC])
def test_coordinating_region_is_asked_of_multiregional_services_only(
        service_type: ServiceType) -> None:
    assert "koordinerende_region" not in {f.id for _, f in FORMS.latest(service_type).fields()}


# --------------------------------------------------------------------------- no patient treatment


@pytest.mark.parametrize(
    ("value", "expected", "messages"),
    [
        pytest.param("bekreftet", [], [], id="confirmed"),
        pytest.param("nei", [seen("confirmation", "avgrensning", "ingen_pasientbehandling")],
                     ["En nasjonal kompetansetjeneste skal ikke gi pasientbehandling. Søk om en "
                      "nasjonal behandlingstjeneste hvis tjenesten skal behandle pasienter."],
                     id="gives-treatment"),
        pytest.param("", [seen("required", "avgrensning", "ingen_pasientbehandling")],
                     ["Velg et svar i «Bekreft at tjenesten ikke skal gi pasientbehandling»."],
                     id="not-answered"),
    ],
)
def test_competence_service_confirms_no_patient_treatment(value: str, expected: list[Any],
                                                          messages: list[str]) -> None:
    findings = run(NC, {"ingen_pasientbehandling": value})
    assert_findings(findings, expected, messages)
    for finding in findings:
        assert finding.quote == "Nasjonale kompetansetjenester skal ikke drive pasientbehandling."


# --------------------------------------------------------------------------- private non-profit


PROVIDER = {"privat_ideell": "ja", "ideell_avtale": "Avtale med Helse Vest RHF fra 2026.",
            "ideell_kostnader": "Basisbevilgning og ISF.",
            "ideell_avtale_dokumentasjon": ["Avtale av 1.3.2026"]}


@pytest.mark.parametrize("service_type", [NT, MT, NC])
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"privat_ideell": "nei"}, [], id="a-health-trust"),
        pytest.param(PROVIDER, [], id="provider-with-agreement"),
        pytest.param({**PROVIDER, "ideell_avtale": ""}, ["ideell_avtale"], id="no-agreement"),
        pytest.param({**PROVIDER, "ideell_kostnader": ""}, ["ideell_kostnader"],
                     id="costs-not-said"),
        pytest.param({**PROVIDER, "ideell_avtale_dokumentasjon": []},
                     ["ideell_avtale_dokumentasjon"], id="agreement-not-documented"),
        pytest.param({"privat_ideell": ""}, ["privat_ideell"], id="not-answered"),
    ],
)
def test_private_nonprofit_provider_needs_agreement_and_costs(
        service_type: ServiceType, changes: dict[str, Any], expected: list[str]) -> None:
    findings = run(service_type, changes)
    assert_findings(findings, [seen("required", "ideell", field) for field in expected])


# --------------------------------------------------------------------------- baseline per goal

GOAL = {"mal": "Kortere ventetid", "indikator": "Dager", "malverdi": "30 dager",
        "frist": "2029-12-31"}
GOAL_2 = {**GOAL, "mal": "Færre reoperasjoner"}
GOAL_3 = {**GOAL, "mal": "Flere henvist tidlig"}


def baseline(number: str) -> dict[str, str]:
    return {"mal_nr": number, "verdi": "45 dager", "kilde": "NPR 2025"}


@pytest.mark.parametrize("service_type", [NT, NC])
@pytest.mark.parametrize(
    ("goals", "baselines", "expected", "messages"),
    [
        pytest.param([GOAL], [baseline("1")], [], [], id="one-each"),
        pytest.param([GOAL, GOAL_2], [baseline("1")], [("baseline_missing", WARN)],
                     ["Resultatmål 2 mangler utgangspunkt i «Utgangspunkt for resultatmålene "
                      "(situasjonen i dag)». Uten et utgangspunkt kan ikke effekten av tjenesten "
                      "dokumenteres."], id="second-goal-without"),
        pytest.param([GOAL, GOAL_2, GOAL_3], [baseline("2")], [("baseline_missing", WARN)],
                     ["Resultatmål 1 og 3 mangler utgangspunkt"], id="two-goals-without"),
        pytest.param([GOAL], [baseline("1"), baseline("4")], [("baseline_goal", BLOCK)],
                     ["Rad 2 i «Utgangspunkt for resultatmålene (situasjonen i dag)» viser til "
                      "resultatmål 4, som ikke finnes. Resultatmålene har nummer 1."],
                     id="unknown-goal"),
        pytest.param([GOAL], [baseline("én")], [("table_cell", BLOCK), ("min_rows", BLOCK),
                                               ("baseline_missing", WARN)],
                     ["«Resultatmål nr.» må være et heltall (fikk «én»)"], id="not-a-number"),
        pytest.param([GOAL, dict.fromkeys(GOAL, ""), GOAL_3], [baseline("1"), baseline("3")], [],
                     [], id="numbered-as-on-screen"),
        pytest.param([], [baseline("1")], [("min_rows", BLOCK)], [], id="no-goals-yet"),
    ],
)
def test_baseline_for_every_result_goal(service_type: ServiceType, goals: list[dict[str, str]],
                                        baselines: list[dict[str, str]], expected: list[Any],
                                        messages: list[str]) -> None:
    section = "p10" if service_type is NT else "p9"
    findings = run(service_type, {"resultatmal": goals, "utgangspunkt": baselines})
    fields = {"min_rows": "resultatmal"} if not goals else {}
    assert_findings(findings, [seen(rule, section, fields.get(rule, "utgangspunkt"), severity)
                               for rule, severity in expected], messages)


# --------------------------------------------------------------------------- agreement


def anchoring(**answers: str) -> list[dict[str, str]]:
    return [{"region": region.value, "med_hvem": "Fagdirektøren", "dato": "2026-09-01",
             "enighet": answers.get(region.value.replace("-", "_"), "ja")} for region in Region]


@pytest.mark.parametrize("service_type", [NT, MT, NC])
@pytest.mark.parametrize(
    ("rows", "regions", "messages"),
    [
        pytest.param(anchoring(), [], [], id="all-agree"),
        pytest.param(anchoring(helse_vest="delvis"), [], [], id="partly-is-not-no"),
        pytest.param(anchoring(helse_nord="nei"), [Region.NORD],
                     ["Helse Nord har svart nei på om det er enighet om behovet. Det regionale "
                      "helseforetaket får se dette"], id="one-no"),
        pytest.param(anchoring(helse_nord="nei", helse_vest="nei"), [Region.VEST, Region.NORD],
                     ["Helse Vest og Helse Nord har svart nei"], id="two-no"),
    ],
)
def test_agreement_a_no_is_a_warning_and_named_for_the_rhf(
        service_type: ServiceType, rows: list[dict[str, str]], regions: list[Region],
        messages: list[str]) -> None:
    section = "p3" if service_type is NC else "p4"
    findings = run(service_type, {"forankring": rows})
    assert_findings(findings, [seen("agreement_all_regions", section, "forankring", WARN)]
                    * bool(regions), messages)
    assert not has_blocking(findings)
    spec = FORMS.latest(service_type)
    answers, _ = normalise(spec, {**VALID_ANSWERS[service_type], "forankring": rows})
    assert regions_without_agreement(spec, answers) == regions


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_agreement_version_1_forms_are_read_for_the_rhf_too(service_type: ServiceType) -> None:
    spec = FORMS.get(FORMS.latest(service_type).id, 1)
    assert regions_without_agreement(spec, {"forankring": anchoring(helse_midt_norge="nei")}) \
        == [Region.MIDT_NORGE]


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize("kind", [ApplicationKind.CHANGE_OF_NAME, ApplicationKind.TERMINATION])
def test_guide_fields_are_not_asked_of_a_rename_or_termination(
        service_type: ServiceType, kind: ApplicationKind) -> None:
    blank = {GROUP: [], "privat_ideell": "", "utgangspunkt": [], "kvalitetssystemer": [],
             "effekt_dokumentasjon": ""}
    if service_type is NC:
        blank["ingen_pasientbehandling"] = ""
    findings = run(service_type, blank, ctx=context(kind))
    assert not {finding.field for finding in findings} & set(blank)
