"""The overlap check against the real registry (data/nasjonale_tjenester.csv): which pairs of
services it finds and which it leaves alone. The thresholds in soknad/domain/overlap.py are
chosen from these tables."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rapidfuzz.distance import Indel

from soknad.domain import overlap
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import FormLibrary
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.registry import RegistryService, read_registry
from soknad.domain.rules import RuleContext, check_application
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import VALID_ANSWERS

ROOT = Path(__file__).resolve().parents[3]
REGISTRY = tuple(read_registry(ROOT / "data" / "nasjonale_tjenester.csv"))
FORMS = FormLibrary.load(ROOT / "forms")
NC = ServiceType.NATIONAL_COMPETENCE

ABX = "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens"
ABX_USE = "Nasjonal kompetansetjeneste for antibiotikabruk i spesialisthelsetjenesten"
ABX_DESCRIPTION = (
    "Tjenesten skal bygge opp og spre kompetanse om antibiotikaresistens: påvisning og "
    "karakterisering av resistente bakterier i de medisinske mikrobiologiske avdelingene, råd "
    "til infeksjonsmedisinere og smittevernpersonell, og faglige nettverk for bioingeniører."
)


def service(name: str) -> RegistryService:
    return next(item for item in REGISTRY if item.name_nb == name)


def found(name: str = "", description: str = "", codes: tuple[str, ...] = (),
          exclude: str = "") -> dict[str, tuple[str, ...]]:
    return {item.service.name_nb: item.reasons for item in overlap.find_overlaps(
        overlap.index_of(REGISTRY), codes=codes, name=name, description=description,
        exclude=exclude)}


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("Nasjonal kompetansetjeneste for antibiotikaresistens", ABX, id="issue-10"),
        pytest.param("Nasjonal kompetansetjeneste for antibiotika-resistens", ABX,
                     id="hyphenated"),
        pytest.param("Nasjonal kompetansetjeneste for påvisningen av antibiotikaresistens", ABX,
                     id="inflected"),
        pytest.param("Nasjonal behandlingstjeneste for screening av nyfødte og avansert "
                     "laboratoriediagnostikk ved medfødte stoffskiftesykdommer",
                     "Nasjonal kompetansetjeneste for medfødte stoffskiftesykdommer",
                     id="registry-stoffskifte"),
        pytest.param("Nasjonal behandlingstjeneste for revmatologisk rehabilitering",
                     "Nasjonal kompetansetjeneste for revmatologisk rehabilitering",
                     id="registry-revmatologisk-rehabilitering"),
        pytest.param("Nasjonal kompetansetjeneste for kirurgisk epilepsi",
                     "Nasjonal behandlingstjeneste for kirurgisk epilepsi", id="other-type"),
    ],
)
def test_names_that_overlap(first: str, second: str) -> None:
    assert overlap.name_score(first, second) >= overlap.NAME_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [  # the closest pairs of unrelated services in the registry
        pytest.param("Nasjonal kompetansetjeneste for funksjonelle mage-tarm sykdommer",
                     "Nasjonal kompetansetjeneste for funksjonell MRI", id="funksjonell"),
        pytest.param("Nasjonal behandlingstjeneste for gynekologiske fistler",
                     "Nasjonal kompetansetjeneste for gynekologisk onkologi", id="gynekologisk"),
        pytest.param("Nasjonal behandlingstjeneste for hørsel og psykisk helse",
                     "Nasjonal kompetansetjeneste for utviklingshemning og psykisk helse",
                     id="psykisk-helse"),
        pytest.param("Nasjonal behandlingstjeneste for kirurgisk behandling ved ikke maligne "
                     "rygglidelser hos barn", "Nasjonal behandlingstjeneste for kirurgisk "
                     "behandling ved kraniofaciale misdannelser", id="kirurgisk-behandling"),
        pytest.param("Nasjonal behandlingstjeneste for CBRNE-medisin",
                     "Nasjonale kompetansetjeneste for trening som medisin", id="medisin"),
        pytest.param("Nasjonal kompetansetjeneste for antibiotikaresistens",
                     "Nasjonal kompetansetjeneste for amming", id="unrelated"),
    ],
)
def test_names_that_do_not_overlap(first: str, second: str) -> None:
    assert overlap.name_score(first, second) < overlap.NAME_THRESHOLD


def test_no_two_registry_names_overlap_except_the_known_pairs() -> None:
    index = overlap.index_of(REGISTRY)
    similar = {
        (a.service.name_nb, b.service.name_nb)
        for a, b in itertools.combinations(index.services, 2)
        if overlap.name_score(a.service.name_nb, b.service.name_nb) >= overlap.NAME_THRESHOLD
    }
    assert similar == {
        ("Nasjonal behandlingstjeneste for screening av nyfødte og avansert "
         "laboratoriediagnostikk ved medfødte stoffskiftesykdommer",
         "Nasjonal kompetansetjeneste for medfødte stoffskiftesykdommer"),
        ("Nasjonal behandlingstjeneste for revmatologisk rehabilitering",
         "Nasjonal kompetansetjeneste for revmatologisk rehabilitering"),
    }


@pytest.mark.parametrize(
    ("name", "core"),
    [
        (ABX, "påvisning antibiotikaresistens"),
        ("Nasjonal kompetansetjeneste for funksjonelle mage-tarm sykdommer",
         "funksjonell magetarm sykdomm"),
        ("NASJONAL  BEHANDLINGSTJENESTE VED Øyesykdommer", "øyesykdomm"),
    ],
)
def test_name_core_drops_the_generic_words(name: str, core: str) -> None:
    assert overlap.name_core(name) == core


# --------------------------------------------------------------------------- descriptions


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        pytest.param(ABX_DESCRIPTION, {ABX: ("lignende beskrivelse",)}, id="paraphrase"),
        pytest.param(service(ABX_USE).description, {ABX_USE: ("lignende beskrivelse",)},
                     id="same-text"),
        pytest.param("Tjenesten skal bygge opp og spre kompetanse i alle helseregioner, med "
                     "faglige nettverk, kurs og veiledning til helsepersonell.", {},
                     id="only-common-words"),
        pytest.param("Tjenesten er avviklet.", {}, id="too-short"),
    ],
)
def test_descriptions(description: str, expected: dict[str, tuple[str, ...]]) -> None:
    assert found(description=description) == expected


def test_no_two_registry_descriptions_overlap() -> None:
    """The closest pair («amming» and «kvinnehelse») scores 0.27."""
    index = overlap.index_of(REGISTRY)
    scores = [
        Indel.normalized_similarity(a.description_words, b.description_words)
        for a, b in itertools.combinations(index.services, 2)
        if min(len(a.description_words), len(b.description_words))
        >= overlap.MIN_DESCRIPTION_WORDS
    ]
    assert len(scores) > 3000
    assert max(scores) < overlap.DESCRIPTION_THRESHOLD


# --------------------------------------------------------------------------- the whole registry


@pytest.mark.parametrize(
    ("name", "description", "codes", "expected"),
    [
        pytest.param("Nasjonal kompetansetjeneste for antibiotikaresistens", ABX_DESCRIPTION, (),
                     {ABX: ("lignende navn", "lignende beskrivelse")}, id="issue-10"),
        pytest.param("Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                     "Tjenesten utreder og behandler barn og voksne med sjeldne beinsykdommer.",
                     ("Q78.0", "M88"), {}, id="nothing-like-it"),
        pytest.param("Nasjonal behandlingstjeneste for replantasjon", "", ("S68.1",),
                     {"Nasjonal behandlingstjeneste for akutt replantasjonskirurgi":
                      ("felles ICD-10-koder: S68.1",)}, id="shared-code"),
    ],
)
def test_against_the_registry(name: str, description: str, codes: tuple[str, ...],
                              expected: dict[str, tuple[str, ...]]) -> None:
    assert found(name, description, codes) == expected


@pytest.mark.parametrize(
    "current",
    [
        pytest.param(service(ABX).key, id="v2-registry-key"),
        pytest.param(ABX, id="v1-name"),
        pytest.param(" nasjonal kompetansetjeneste for påvisning av antibiotikaresistens ",
                     id="v1-name-as-typed"),
    ],
)
def test_the_service_a_change_is_about_is_left_out(current: str) -> None:
    assert found(ABX, service(ABX).description, exclude=current) == {}


def test_the_index_is_built_once_per_registry() -> None:
    assert overlap.index_of(REGISTRY) is overlap.index_of(REGISTRY)
    assert overlap.index_of(REGISTRY[:10]) is not overlap.index_of(REGISTRY)


def test_a_service_whose_termination_is_decided_is_no_candidate() -> None:
    abx = service(ABX)
    ended = replace(abx, status=ServiceStatus.TERMINATED, terminated_from=date(2028, 1, 1))
    registry = tuple(ended if item is abx else item for item in REGISTRY)
    assert abx in overlap.candidates(REGISTRY)
    assert ended not in overlap.candidates(registry)
    assert len(overlap.candidates(registry)) == len(overlap.candidates(REGISTRY)) - 1
    new = {"name": "Nasjonal kompetansetjeneste for antibiotikaresistens",
           "description": ABX_DESCRIPTION}
    assert ABX in {item.service.name_nb for item in overlap.find_overlaps(
        overlap.index_of(REGISTRY), codes=(), exclude="", **new)}
    assert not overlap.find_overlaps(overlap.index_of(registry), codes=(), exclude="", **new)


# --------------------------------------------------------------------------- the finding (form v2)

ANTIBIOTICS = {**VALID_ANSWERS[NC],
               "navn_nb": "Nasjonal kompetansetjeneste for antibiotikaresistens",
               "beskrivelse": ABX_DESCRIPTION, "icd10": ["Z16"]}


def check(answers: dict[str, object], kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
          ) -> list[Finding]:
    context = RuleContext(kind=kind, round_year=2027, registry=REGISTRY)
    return [finding for finding in check_application(FORMS.latest(NC), answers, context)
            if finding.rule == "registry_overlap"]


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        pytest.param([], [ABX], id="not-answered"),
        pytest.param([{"tjeneste": ABX, "avklaring": ""}], [ABX], id="row-without-answer"),
        pytest.param([{"tjeneste": "Nasjonal kompetansetjeneste for amming",
                       "avklaring": "Ingen felles oppgaver."}], [ABX], id="another-service"),
        pytest.param([{"tjeneste": ABX, "avklaring": "De påviser resistens i laboratoriet; vi "
                       "gir råd om behandling."}], [], id="answered"),
        pytest.param([{"tjeneste": "påvisning av antibiotikaresistens",
                       "avklaring": "Vi gir råd om behandling, de påviser."}], [],
                     id="answered-by-short-name"),
        pytest.param([{"tjeneste": "nasjonal_kompetansetjeneste:nasjonal-kompetansetjeneste-for-"
                       "påvisning-av-antibiotikaresistens", "avklaring": "Avklart i møte."}], [],
                     id="answered-by-key"),
    ],
)
def test_the_finding_is_met_when_each_named_service_is_answered(
        rows: list[dict[str, str]], named: list[str]) -> None:
    findings = check({**ANTIBIOTICS, "overlapp_avklaring": rows})
    assert [link for finding in findings for link, _ in finding.links] == named
    for finding in findings:
        assert finding.severity is Severity.WARNING
        assert (finding.section, finding.field) == ("p1", "icd10")
        assert f"{ABX} (lignende navn; lignende beskrivelse)" in finding.message
        assert "«Ansvarsavklaring mot godkjente tjenester»" in finding.message


def test_a_change_of_the_service_itself_gets_no_finding() -> None:
    answers = {**ANTIBIOTICS, "navn_nb": ABX, "gjeldende_tjeneste": service(ABX).key,
               "begrunnelse_endring": "Nytt innhold."}
    assert check(answers, ApplicationKind.CHANGE_OF_CONTENT) == []
