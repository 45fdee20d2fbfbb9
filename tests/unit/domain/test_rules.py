"""``check_application`` on the real form definitions in ``forms/``, as tables.

Every row starts from a complete, valid application (``tests.factories.VALID_ANSWERS``), changes
one thing, and states exactly what a user is told: the rule, how serious it is, the point and
field it belongs to, and the words of the Norwegian message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from soknad.domain.answers import Answers, normalise
from soknad.domain.calendar import GUIDE
from soknad.domain.findings import Finding, Severity, has_blocking
from soknad.domain.formspec import FieldKind, FormLibrary, FormSpec
from soknad.domain.organisations import Region, read_health_trusts
from soknad.domain.registry import RegistryService, service_key
from soknad.domain.rules import AttachmentRef, RuleContext, check_application
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import KIND_ANSWERS, VALID_ANSWERS

ROOT = Path(__file__).resolve().parents[3]
FORMS = FormLibrary.load(ROOT / "forms")
ORGANISATIONS = tuple(read_health_trusts(ROOT / "data" / "helseforetak.csv"))
# The round whose joint deadline is 15 January 2027: approvals take effect 1 January 2028.
ROUND = 2027
APPLICANT = "Oslo universitetssykehus HF"

NT = ServiceType.NATIONAL_TREATMENT
MT = ServiceType.MULTIREGIONAL_TREATMENT
NC = ServiceType.NATIONAL_COMPETENCE
TREATMENTS = (NT, MT)

BLOCK = Severity.BLOCKING
WARN = Severity.WARNING

# What identifies a finding for a user: rule, severity, section, point, field.
Seen = tuple[str, Severity, str, int | None, str | None]


def seen(rule: str, section: str, field: str, severity: Severity = BLOCK) -> Seen:
    """A finding at ``section`` ("om", "endring" or "p<number>") with its point number."""
    point = int(section[1:]) if section.startswith("p") else None
    return (rule, severity, section, point, field)


def context(kind: ApplicationKind = ApplicationKind.ESTABLISHMENT, *,
            attachments: Iterable[AttachmentRef] = (), organisation: str = APPLICANT,
            region: Region | None = Region.SOR_OST,
            registry: Iterable[RegistryService] = ()) -> RuleContext:
    return RuleContext(
        kind=kind, round_year=ROUND, applicant_organisation=organisation,
        applicant_region=region, organisations=ORGANISATIONS, attachments=tuple(attachments),
        registry=tuple(registry),
    )


def answers_for(service_type: ServiceType, changes: Mapping[str, Any] | None = None,
                remove: Sequence[str] = (), spec: FormSpec | None = None
                ) -> tuple[FormSpec, Answers]:
    """The baseline answers with ``changes`` applied, normalised as every answer is. For an
    older ``spec``, the baseline keeps only the fields that version has."""
    baseline = VALID_ANSWERS[service_type]
    if spec is not None:
        known = {spec_field.id for _, spec_field in spec.fields()}
        baseline = {key: value for key, value in baseline.items() if key in known}
    spec = spec or FORMS.latest(service_type)
    raw = {**baseline, **(changes or {})}
    for field_id in remove:
        raw.pop(field_id)
    answers, unknown = normalise(spec, raw)
    assert unknown == []
    return spec, answers


def run(service_type: ServiceType, changes: Mapping[str, Any] | None = None, *,
        remove: Sequence[str] = (), ctx: RuleContext | None = None,
        spec: FormSpec | None = None) -> list[Finding]:
    spec, answers = answers_for(service_type, changes, remove, spec)
    return check_application(spec, answers, ctx or context())


def summary(findings: Iterable[Finding]) -> Counter[Seen]:
    return Counter((f.rule, f.severity, f.section, f.point, f.field) for f in findings)


def assert_findings(findings: list[Finding], expected: Sequence[Seen],
                    fragments: Sequence[str] = ()) -> None:
    assert summary(findings) == Counter(expected), [f.text for f in findings]
    messages = " | ".join(finding.message for finding in findings)
    for fragment in fragments:
        assert fragment in messages


def blank(kind: FieldKind) -> Any:
    return [] if kind in {FieldKind.TABLE, FieldKind.ICD10_LIST, FieldKind.EVIDENCE} else ""


# --------------------------------------------------------------------------- the baseline


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_baseline_valid_answers_give_no_findings(service_type: ServiceType) -> None:
    findings = run(service_type)
    assert findings == [], [finding.text for finding in findings]
    assert not has_blocking(findings)


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_baseline_answers_are_already_normalised(service_type: ServiceType) -> None:
    spec, answers = answers_for(service_type)
    for field_id, value in VALID_ANSWERS[service_type].items():
        if spec.field(field_id).kind is not FieldKind.TABLE:
            assert answers[field_id] == value, field_id


# --------------------------------------------------------------------------- required fields


def _required_fields() -> list[Any]:
    cases = []
    for service_type in ServiceType:
        spec = FORMS.latest(service_type)
        for section in spec.sections_for(ApplicationKind.ESTABLISHMENT):
            for spec_field in section.fields:
                if spec_field.required and spec_field.id in VALID_ANSWERS[service_type]:
                    cases.append(pytest.param(service_type, section.id, spec_field.id,
                                              id=f"{service_type.value}-{spec_field.id}"))
    return cases


@pytest.mark.parametrize(("service_type", "section_id", "field_id"), _required_fields())
def test_required_field_blank_blocks_at_its_own_point(service_type: ServiceType, section_id: str,
                                                     field_id: str) -> None:
    spec = FORMS.latest(service_type)
    spec_field = spec.field(field_id)
    findings = run(service_type, {field_id: blank(spec_field.kind)})
    expected_rule = "required"
    count = 1
    if spec_field.kind is FieldKind.TABLE:
        expected_rule = "all_regions" if spec_field.row_per_region else "min_rows"
        count = len(Region) if spec_field.row_per_region else 1
    assert_findings(findings, [seen(expected_rule, section_id, field_id)] * count)
    assert all(f"«{spec_field.label}»" in finding.message for finding in findings)


def test_required_fields_table_covers_every_required_field() -> None:
    """Every required field of every form is in VALID_ANSWERS (and, for each kind, in
    KIND_ANSWERS), so the table above is complete."""
    for service_type in ServiceType:
        for kind in ApplicationKind:
            spec = FORMS.latest(service_type).for_kind(kind)
            required = {f.id for _, f in spec.fields() if f.required}
            assert required <= set(KIND_ANSWERS[service_type, kind]), (service_type, kind)
        assert KIND_ANSWERS[service_type, ApplicationKind.ESTABLISHMENT] == VALID_ANSWERS[
            service_type]


@pytest.mark.parametrize(
    ("service_type", "field_id", "expected", "message"),
    [
        pytest.param(NT, "navn_nb", seen("required", "om", "navn_nb"),
                     "«Tjenestens navn på norsk» må fylles ut.", id="line"),
        pytest.param(NC, "beskrivelse", seen("required", "p1", "beskrivelse"),
                     "«Beskrivelse av innhold, formål og avgrensning» må fylles ut.", id="text"),
        pytest.param(NT, "pasientvolum", seen("required", "p2", "pasientvolum"),
                     "«Antall nye pasienter eller behandlingsprosedyrer per år» må fylles ut.",
                     id="number"),
        pytest.param(NT, "ny_metode", seen("required", "p1", "ny_metode"),
                     "Velg et svar i «Forutsetter tjenesten bruk av en ny metode?».",
                     id="choice"),
        pytest.param(MT, "partner_hf", seen("required", "om", "partner_hf"),
                     "Velg helseforetak i «Det andre helseforetaket».", id="organisation"),
        pytest.param(NC, "icd10", seen("required", "p1", "icd10"),
                     "Skriv minst én ICD-10-kode i «ICD-10-koder».", id="icd10_list"),
        pytest.param(NT, "p3_dokumentasjon", seen("required", "p3", "p3_dokumentasjon"),
                     "Dokumentasjon mangler: legg ved et vedlegg eller skriv en henvisning (for "
                     "eksempel rapport, artikkel eller nettadresse) i «Dokumentasjon av "
                     "helsemessig tilleggsgevinst».", id="evidence"),
        pytest.param(NT, "fagpersoner", seen("min_rows", "p7", "fagpersoner"),
                     "«Fagpersoner som avsettes til tjenesten» må ha minst 3 fullstendige rader "
                     "(har 0).", id="table"),
        pytest.param(NC, "spredningsplan", seen("min_rows", "p8", "spredningsplan"),
                     "«Tiltak for kompetansespredning» må ha minst 1 fullstendig rad (har 0).",
                     id="table-one-row"),
    ],
)
def test_required_field_blank_says_what_to_fill_in(service_type: ServiceType, field_id: str,
                                                   expected: Seen, message: str) -> None:
    spec = FORMS.latest(service_type)
    findings = run(service_type, {field_id: blank(spec.field(field_id).kind)})
    assert_findings(findings, [expected])
    assert findings[0].message == message


@pytest.mark.parametrize("value", ["", "   ", "\n\t", "\u00ad"])
def test_required_whitespace_only_counts_as_empty(value: str) -> None:
    findings = run(NT, {"behandlingsmetode": value})
    assert_findings(findings, [seen("required", "p1", "behandlingsmetode")],
                    ["«Behandlingsmetode» må fylles ut."])


def test_required_finding_quotes_the_point_of_appendix_6() -> None:
    [finding] = run(NT, {"tverrfaglig": ""})
    assert finding.source == "Vedlegg 6, punkt 7"
    assert "minst tre fagpersoner" in finding.quote
    assert finding.text.startswith("Punkt 7: «(Tverr)faglig kompetanse som avsettes")
    assert "Vedlegg 6, punkt 7: «forutsetningen er minst tre fagpersoner" in finding.text


def test_required_field_in_general_part_is_shown_as_om_soknaden() -> None:
    [finding] = run(NC, {"kontakt_navn": ""})
    assert finding.point is None
    assert finding.text.startswith("Om søknaden: «Kontaktperson» må fylles ut.")


def test_required_table_without_min_rows_blank_blocks() -> None:
    """A required table that sets no ``min_rows`` still needs one row (a form-author slip must
    not make a required table optional)."""
    spec = FORMS.latest(NT)
    section = spec.section("p7")
    fields = tuple(replace(f, min_rows=0) if f.id == "fagpersoner" else f for f in section.fields)
    sections = tuple(replace(s, fields=fields) if s.id == "p7" else s for s in spec.sections)
    spec = replace(spec, sections=sections)
    _, answers = answers_for(NT, {"fagpersoner": []})
    findings = check_application(spec, answers, context())
    assert_findings(findings, [seen("required", "p7", "fagpersoner")],
                    ["«Fagpersoner som avsettes til tjenesten» må fylles ut."])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("kari@", [seen("email", "om", "kontakt_epost")], id="no-domain"),
        pytest.param("kari nordmann@ous-hf.no", [seen("email", "om", "kontakt_epost")],
                     id="space"),
        pytest.param("kari.nordmann@ous-hf.no", [], id="valid"),
        pytest.param("Kari.Nordmann@OUS-HF.NO", [], id="capitals"),
    ],
)
def test_email_must_be_an_address(value: str, expected: list[Seen]) -> None:
    findings = run(NT, {"kontakt_epost": value})
    assert_findings(findings, expected)
    if expected:
        assert findings[0].message == (
            f"«{value}» er ikke en gyldig e-postadresse. Skriv den som navn@domene.no."
        )


def test_line_over_300_characters_blocks() -> None:
    findings = run(NT, {"kontakt_navn": "K" * 301})
    assert_findings(findings, [seen("limit", "om", "kontakt_navn")],
                    ["«Kontaktperson» har 301 tegn; høyst 300 kan lagres. Kort ned teksten med "
                     "1 tegn."])


@pytest.mark.parametrize(
    ("answers", "expected", "message"),
    [
        pytest.param({"sentralisering": "x" * 30_000}, [], "", id="text-at-limit"),
        pytest.param({"sentralisering": "x" * 30_001}, [seen("limit", "p3", "sentralisering")],
                     "har 30\u00a0001 tegn; høyst 30\u00a0000 kan lagres. Kort ned teksten med 1 "
                     "tegn.", id="text-over"),
        pytest.param({"fagpersoner": [{"navn": "A", "yrke": "Lege", "kompetanse": "k" * 2_001,
                                       "stillingsandel": "10"}]},
                     [seen("limit", "p7", "fagpersoner"), seen("min_rows", "p7", "fagpersoner")],
                     "Rad 1 i «Fagpersoner som avsettes til tjenesten», «Kompetanse»: 2\u00a0001 "
                     "tegn; høyst 2\u00a0000 kan lagres.", id="cell-over"),
        pytest.param({"icd10": ["Q78.0"] * 201}, [seen("limit", "p1", "icd10")],
                     "har 201 koder; høyst 200 kan lagres. Fjern 1.", id="codes-over"),
        pytest.param({"p7_dokumentasjon": ["r" * 2_001]},
                     [seen("limit", "p7", "p7_dokumentasjon")],
                     "Linje 1 i «Dokumentasjon av kompetansen» har 2\u00a0001 tegn",
                     id="reference-over"),
    ],
)
def test_limits_block_with_the_limit_named(answers: dict[str, Any], expected: list[Seen],
                                           message: str) -> None:
    findings = [finding for finding in run(NT, answers) if finding.rule != "icd10_overlap"]
    assert_findings(findings, expected)
    if message:
        assert message in findings[0].message


# --------------------------------------------------------------------------- point 1: 100 words


def words(count: int, separator: str = " ") -> str:
    return separator.join(f"ord{index}" for index in range(count))


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("text", "count"),
    [
        pytest.param(words(1), None, id="1"),
        pytest.param(words(100), None, id="100"),
        pytest.param(words(100, "\u00a0"), None, id="100-nbsp"),
        pytest.param(words(100, "\n"), None, id="100-lines"),
        pytest.param(words(50) + " – " + words(50), None, id="100-and-a-dash"),
        pytest.param(words(100) + " .", None, id="100-and-a-full-stop"),
        pytest.param(words(101), 101, id="101"),
        pytest.param(words(101, "\u00a0"), 101, id="101-nbsp"),
        pytest.param(words(50, "\u00a0") + "\u00a0" + words(51, "\u202f"), 101,
                     id="101-narrow-nbsp"),
        pytest.param(words(101, "\x0b"), 101, id="101-word-soft-breaks"),
        pytest.param(words(150), 150, id="150"),
    ],
)
def test_max_words_point_1_allows_exactly_100(service_type: ServiceType, text: str,
                                              count: int | None) -> None:
    findings = run(service_type, {"beskrivelse": text})
    if count is None:
        assert_findings(findings, [])
        return
    assert_findings(findings, [seen("max_words", "p1", "beskrivelse")])
    assert findings[0].message == (
        f"«Beskrivelse av innhold, formål og avgrensning» har {count} ord; høyst 100 ord er "
        f"tillatt. Fjern {count - 100} ord."
    )
    assert findings[0].source == "Vedlegg 6, punkt 1"
    assert "(100 ord)" in findings[0].quote


# --------------------------------------------------------------------------- point 1: ICD-10


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("codes", "stored", "invalid"),
    [
        pytest.param(["Q78.0", "M88"], ["Q78.0", "M88"], [], id="valid"),
        pytest.param(["q78.0", "m88"], ["Q78.0", "M88"], [], id="lowercase"),
        pytest.param("c 40, c41.2; q78.0", ["C40", "C41.2", "Q78.0"], [], id="typed-text"),
        pytest.param(["C401"], ["C40.1"], [], id="no-dot"),
        pytest.param(["q20-28"], ["Q20-Q28"], [], id="short-range"),
        pytest.param(["Q20 – Q28"], ["Q20-Q28"], [], id="range-en-dash"),
        pytest.param(["C99"], ["C99"], ["C99"], id="unknown-category"),
        pytest.param(["c99"], ["C99"], ["C99"], id="unknown-lowercase-shown-normalised"),
        pytest.param(["Q78.0", "XYZ", "Z99.99"], ["Q78.0", "XYZ", "Z99.99"], ["XYZ", "Z99.99"],
                     id="two-bad-one-good"),
        pytest.param(["C41-C40"], ["C41-C40"], ["C41-C40"], id="range-backwards"),
    ],
)
def test_icd10_codes_are_normalised_then_checked(service_type: ServiceType, codes: Any,
                                                 stored: list[str], invalid: list[str]) -> None:
    spec, answers = answers_for(service_type, {"icd10": codes})
    assert answers["icd10"] == stored
    findings = check_application(spec, answers, context())
    if not invalid:
        assert_findings(findings, [])
        return
    assert_findings(findings, [seen("icd10", "p1", "icd10")])
    listed = ", ".join(f"«{code}»" for code in invalid)
    assert findings[0].message.startswith(f"{listed} finnes ikke i WHO ICD-10. ")
    assert "for eksempel C40 eller C40.1" in findings[0].message


# --------------------------------------------------------------------------- point 1: method


@pytest.mark.parametrize("service_type", TREATMENTS)
def test_treatment_method_blank_blocks_for_treatment_services(service_type: ServiceType) -> None:
    findings = run(service_type, {"behandlingsmetode": ""})
    assert_findings(findings, [seen("required", "p1", "behandlingsmetode")],
                    ["«Behandlingsmetode» må fylles ut."])


def test_treatment_method_is_not_asked_of_competence_services() -> None:
    field_ids = {f.id for _, f in FORMS.latest(NC).fields()}
    assert "behandlingsmetode" not in field_ids
    assert "ny_metode" not in field_ids


@pytest.mark.parametrize("service_type", TREATMENTS)
@pytest.mark.parametrize(
    ("new_method", "attachments", "expected"),
    [
        pytest.param("nei", [], [], id="no-new-method"),
        pytest.param("ja", [], [seen("required", "p1", "beslutningsforum")], id="missing"),
        pytest.param("ja", [AttachmentRef("beslutningsforum", "vedtak.pdf")], [], id="attached"),
        pytest.param("ja", [AttachmentRef("p2_dokumentasjon", "vedtak.pdf")],
                     [seen("required", "p1", "beslutningsforum")], id="attached-elsewhere"),
        pytest.param("kanskje", [], [seen("choice", "p1", "ny_metode")], id="not-a-choice"),
    ],
)
def test_new_method_requires_the_beslutningsforum_decision(
        service_type: ServiceType, new_method: str, attachments: list[AttachmentRef],
        expected: list[Seen]) -> None:
    findings = run(service_type, {"ny_metode": new_method}, ctx=context(attachments=attachments))
    assert_findings(findings, expected)
    for finding in findings:
        if finding.field == "beslutningsforum":
            assert finding.message == (
                "Legg ved «Beslutning fra Beslutningsforum for nye metoder»."
            )
            assert finding.source == f"{GUIDE}, kap. 4.3"
            assert "positiv beslutning fra Beslutningsforum" in finding.quote
        else:
            assert finding.message == (
                "Velg et av svarene i «Forutsetter tjenesten bruk av en ny metode?»."
            )


# --------------------------------------------------------------------------- point 7: staff

LABEL_STAFF = "«Fagpersoner som avsettes til tjenesten»"
LABEL_SHARE = "«Andel av full stilling (%)»"


def staff(*shares: str, **blank_cells: int) -> list[dict[str, str]]:
    """Complete professionals with these shares; ``yrke=2`` leaves row 2's "yrke" empty."""
    rows = [{"navn": f"Person {n}", "yrke": "Lege", "kompetanse": "Ortoped",
             "stillingsandel": share} for n, share in enumerate(shares, start=1)]
    for column, number in blank_cells.items():
        rows[number - 1][column] = ""
    return rows


def share_problem(row: int, value: str) -> str:
    return (f"Rad {row} i {LABEL_STAFF}: {LABEL_SHARE} må være et tall mellom 1 og 100 "
            f"(prosent av full stilling) (fikk «{value}»).")


@pytest.mark.parametrize("service_type", TREATMENTS)
@pytest.mark.parametrize(
    ("rows", "expected", "fragments"),
    [
        pytest.param(staff("100", "50", "20"), [], [], id="three-complete"),
        pytest.param(staff("12,5", "12.5", "100 %"), [], [], id="decimals-and-percent-sign"),
        pytest.param(staff("1", "100", "60%"), [], [], id="bounds"),
        pytest.param(staff("100", "50", "20", "10", yrke=4), [seen("table_row", "p7",
                     "fagpersoner")], [f"Rad 4 i {LABEL_STAFF} mangler: Yrke."],
                     id="four-one-incomplete"),
        pytest.param(staff("100", "50"),
                     [seen("min_rows", "p7", "fagpersoner")],
                     [f"{LABEL_STAFF} må ha minst 3 fullstendige rader (har 2)."], id="two"),
        pytest.param(staff("100", "50", "20", yrke=2),
                     [seen("table_row", "p7", "fagpersoner"),
                      seen("min_rows", "p7", "fagpersoner")],
                     [f"Rad 2 i {LABEL_STAFF} mangler: Yrke.", "(har 2)"], id="missing-cell"),
        pytest.param(staff("100", "50", "", navn=1),
                     [seen("table_row", "p7", "fagpersoner")] * 2
                     + [seen("min_rows", "p7", "fagpersoner")],
                     [f"Rad 1 i {LABEL_STAFF} mangler: Navn.",
                      f"Rad 3 i {LABEL_STAFF} mangler: Andel av full stilling (%).", "(har 1)"],
                     id="two-rows-missing-cells"),
        pytest.param(staff("100", "50", "20", yrke=1, kompetanse=1),
                     [seen("table_row", "p7", "fagpersoner"),
                      seen("min_rows", "p7", "fagpersoner")],
                     [f"Rad 1 i {LABEL_STAFF} mangler: Yrke, Kompetanse."], id="two-cells"),
        *(
            pytest.param(staff("100", "50", bad),
                         [seen("table_cell", "p7", "fagpersoner"),
                          seen("min_rows", "p7", "fagpersoner")],
                         [share_problem(3, bad), "(har 2)"], id=f"share-{bad}")
            for bad in ["0", "0,5", "150", "100,5", "abc", "-5", "halv", "50-60"]
        ),
    ],
)
def test_professionals_need_three_complete_rows(service_type: ServiceType,
                                                rows: list[dict[str, str]],
                                                expected: list[Seen],
                                                fragments: list[str]) -> None:
    findings = run(service_type, {"fagpersoner": rows})
    assert_findings(findings, expected, fragments)


PERSON = {"navn": "Kari Nordmann", "yrke": "Lege", "kompetanse": "Ortoped",
          "stillingsandel": "50"}


@pytest.mark.parametrize(
    ("rows", "expected", "fragments"),
    [
        pytest.param([*staff("100", "50"), PERSON], [], [], id="three-people"),
        pytest.param([*staff("100", "50"), staff("20")[0]],
                     [seen("table_repeat", "p7", "fagpersoner"),
                      seen("min_rows", "p7", "fagpersoner")],
                     [f"Rad 3 i {LABEL_STAFF} har samme navn som rad 1 (Person 1). Hver rad skal "
                      "være en egen person eller oppføring, så rad 3 teller ikke med.", "(har 2)"],
                     id="same-person-twice"),
        pytest.param([PERSON, {**PERSON, "navn": "  kari   NORDMANN ", "yrke": "Forsker"},
                      *staff("10")],
                     [seen("table_repeat", "p7", "fagpersoner"),
                      seen("min_rows", "p7", "fagpersoner")],
                     ["Rad 2 i", "som rad 1 (kari   NORDMANN)", "(har 2)"],
                     id="same-name-other-case-and-role"),
        pytest.param([PERSON, PERSON, PERSON, *staff("10", "20", "30")],  # rows 2 and 3 repeat
                     [seen("table_repeat", "p7", "fagpersoner")] * 2,
                     ["Rad 2 i", "Rad 3 i"], id="six-rows-four-people"),
    ],
)
def test_professionals_are_distinct_people(rows: list[dict[str, str]], expected: list[Seen],
                                           fragments: list[str]) -> None:
    """The guide's premise is three professionals: the same person twice is one of them."""
    findings = run(NT, {"fagpersoner": rows})
    assert_findings(findings, expected, fragments)


def test_identical_rows_count_once_in_any_table() -> None:
    row = {"kompetanse": "Diagnostikk", "malgruppe": "Leger", "virkemiddel": "Kurs",
           "frist": "2029-01-01"}
    findings = [finding for finding in run(NT, {"spredningsplan": [row, dict(row)]})
                if finding.field == "spredningsplan"]
    assert [finding.rule for finding in findings] == ["table_repeat"]
    assert findings[0].message.startswith("Rad 2 i «Tiltak for kompetansespredning» er lik rad 1.")


def test_professionals_blank_rows_are_ignored_but_keep_their_row_number() -> None:
    """A user who adds a row and leaves it empty is not told about it, and the row numbers in
    the messages are the ones on the screen."""
    blank_row = {"navn": "", "yrke": "", "kompetanse": "", "stillingsandel": " "}
    rows = [*staff("100", "50"), blank_row, {**staff("20", yrke=1)[0], "navn": "Person 4"}]
    findings = run(NT, {"fagpersoner": rows})
    assert_findings(findings, [seen("table_row", "p7", "fagpersoner"),
                               seen("min_rows", "p7", "fagpersoner")],
                    [f"Rad 4 i {LABEL_STAFF} mangler: Yrke.", "(har 2)"])


def test_professionals_are_not_asked_of_competence_services() -> None:
    assert "fagpersoner" not in {f.id for _, f in FORMS.latest(NC).fields()}


# --------------------------------------------------------------------------- multi-regional


@pytest.mark.parametrize(
    ("organisation", "region", "partner", "expected", "message"),
    [
        pytest.param(APPLICANT, Region.SOR_OST, "Helse Bergen HF", [], "", id="vest"),
        pytest.param(APPLICANT, Region.SOR_OST, "St. Olavs hospital HF", [], "", id="midt"),
        pytest.param(APPLICANT, Region.SOR_OST, "Universitetssykehuset Nord-Norge HF", [], "",
                     id="nord"),
        pytest.param(APPLICANT, Region.SOR_OST, APPLICANT,
                     [seen("two_regions", "om", "partner_hf")],
                     "Det andre helseforetaket kan ikke være søkerens eget helseforetak.",
                     id="same-hf"),
        pytest.param(APPLICANT, Region.SOR_OST, "Akershus universitetssykehus HF",
                     [seen("two_regions", "om", "partner_hf")],
                     "Akershus universitetssykehus HF ligger i samme helseregion (Helse Sør-Øst) "
                     "som søkeren. En flerregional tjeneste skal ligge i to ulike helseregioner.",
                     id="same-region"),
        pytest.param("Universitetssykehuset Nord-Norge HF", Region.NORD, "Helse Finnmark HF",
                     [seen("two_regions", "om", "partner_hf")],
                     "Helse Finnmark HF ligger i samme helseregion (Helse Nord) som søkeren.",
                     id="same-region-nord"),
        pytest.param("Universitetssykehuset Nord-Norge HF", Region.NORD, APPLICANT, [], "",
                     id="nord-with-sor-ost"),
        pytest.param(APPLICANT, Region.SOR_OST, "Haraldsplass Diakonale Sykehus", [], "",
                     id="private-nonprofit-other-region"),
        pytest.param(APPLICANT, Region.SOR_OST, "Sykehuset Utenfor HF",
                     [seen("organisation", "om", "partner_hf")],
                     "«Sykehuset Utenfor HF» er ikke et helseforetak i organisasjonslisten.",
                     id="not-in-list"),
    ],
)
def test_multiregional_partner_is_another_hf_in_another_region(
        organisation: str, region: Region, partner: str, expected: list[Seen],
        message: str) -> None:
    findings = [finding for finding in run(MT, {"partner_hf": partner},
                                           ctx=context(organisation=organisation, region=region))
                if not finding.rule.startswith("reference_group")]  # test_guide_checks.py
    assert_findings(findings, expected, [message] if message else [])
    for finding in findings:
        if finding.rule == "two_regions":
            assert finding.source == f"{GUIDE}, kap. 2"
            assert "to ulike helseregioner" in finding.quote


@pytest.mark.parametrize("service_type", [NT, NC])
def test_multiregional_partner_is_not_asked_of_national_services(
        service_type: ServiceType) -> None:
    field_ids = {f.id for _, f in FORMS.latest(service_type).fields()}
    assert "partner_hf" not in field_ids
    assert "two_regions" not in {check.rule for check in FORMS.latest(service_type).checks}


# --------------------------------------------------------------------------- competence function


@pytest.mark.parametrize(
    ("value", "expected", "message"),
    [
        pytest.param("opplaering", [], "", id="training"),
        pytest.param("kompetanseoppbygging", [], "", id="building"),
        pytest.param("", [seen("required", "om", "funksjon")],
                     "Velg et svar i «Funksjon og virketid».", id="blank"),
        pytest.param("begge", [seen("choice", "om", "funksjon")],
                     "Velg et av svarene i «Funksjon og virketid».", id="unknown"),
        pytest.param("Opplæring (virketid 5 år)", [seen("choice", "om", "funksjon")],
                     "Velg et av svarene i «Funksjon og virketid».", id="the-label"),
    ],
)
def test_competence_function_is_required(value: str, expected: list[Seen], message: str) -> None:
    findings = run(NC, {"funksjon": value})
    assert_findings(findings, expected)
    if expected:
        assert findings[0].message == message
        assert findings[0].source == f"{GUIDE}, kap. 2"


# --------------------------------------------------------------------------- English name

TREATMENT_PREFIX = ("Det engelske navnet skal begynne med «Norwegian National Unit for …», for "
                    "eksempel «Norwegian National Unit for Replantation Surgery».")
COMPETENCE_PREFIX = ("Det engelske navnet skal begynne med «Norwegian National Advisory Unit on "
                     "…», for eksempel «Norwegian National Advisory Unit on Rheumatic Diseases in "
                     "Children and Adolescents».")


def capitalise(suggestion: str) -> str:
    return ("Bruk stor forbokstav i alle ord unntatt artikler og preposisjoner: "
            f"«{suggestion}».")


@pytest.mark.parametrize(
    ("service_type", "name", "rule", "message"),
    [
        pytest.param(NT, "Norwegian National Unit for Rare Bone Diseases", None, "", id="t-ok"),
        pytest.param(MT, "Norwegian National Unit for Rare Bone Diseases", None, "", id="m-ok"),
        pytest.param(NT, "Norwegian National Unit for the Treatment of Burns", None, "",
                     id="t-article-after-prefix"),
        pytest.param(NT, "Norwegian National Unit for Surgery in Children and Adolescents", None,
                     "", id="t-prepositions-inside"),
        pytest.param(NT, "Norwegian National Unit for CNS Tumours", None, "", id="t-acronym"),
        pytest.param(NT, "  Norwegian National  Unit for Rare Bone Diseases ", None, "",
                     id="t-extra-spaces"),
        pytest.param(NT, "National Unit for Rare Bone Diseases", "english_name",
                     TREATMENT_PREFIX, id="t-no-norwegian"),
        pytest.param(NT, "Norwegian National Unit on Rare Bone Diseases", "english_name",
                     TREATMENT_PREFIX, id="t-wrong-preposition"),
        pytest.param(NT, "Norwegian National Treatment Unit for Rare Bone Diseases",
                     "english_name", TREATMENT_PREFIX, id="t-treatment-repeated"),
        pytest.param(NT, "Norwegian National Advisory Unit on Rare Bone Diseases", "english_name",
                     TREATMENT_PREFIX, id="t-competence-prefix"),
        pytest.param(NT, "Norwegian National Unit for", "english_name", TREATMENT_PREFIX,
                     id="t-prefix-only"),
        pytest.param(NT, "Norwegian National Unit forRare Bone Diseases", "english_name",
                     TREATMENT_PREFIX, id="t-no-space"),
        pytest.param(NT, "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                     "english_name", TREATMENT_PREFIX, id="t-norwegian-name"),
        pytest.param(NT, "Norwegian National Unit for rare bone diseases", "english_name_case",
                     capitalise("Norwegian National Unit for Rare Bone Diseases"),
                     id="t-lowercase"),
        pytest.param(NT, "Norwegian National Unit for Rare Bone Diseases In Children",
                     "english_name_case",
                     capitalise("Norwegian National Unit for Rare Bone Diseases in Children"),
                     id="t-capital-preposition"),
        pytest.param(NT, "Norwegian National Unit for The Treatment of Burns",
                     "english_name_case",
                     capitalise("Norwegian National Unit for the Treatment of Burns"),
                     id="t-capital-article"),
        pytest.param(NC, "Norwegian National Advisory Unit on Rheumatic Diseases in Children and "
                     "Adolescents", None, "", id="c-appendix-4-example"),
        pytest.param(NC, "Norwegian National Advisory Unit on Rare Bone Diseases", None, "",
                     id="c-ok"),
        pytest.param(NC, "Norwegian National Unit for Rare Bone Diseases", "english_name",
                     COMPETENCE_PREFIX, id="c-treatment-prefix"),
        pytest.param(NC, "Norwegian National Advisory Unit for Rare Bone Diseases",
                     "english_name", COMPETENCE_PREFIX, id="c-wrong-preposition"),
        pytest.param(NC, "Norwegian National Advisory Unit on rheumatic diseases in children",
                     "english_name_case",
                     capitalise("Norwegian National Advisory Unit on Rheumatic Diseases in "
                                "Children"), id="c-lowercase"),
    ],
)
def test_english_name_follows_appendix_4(service_type: ServiceType, name: str, rule: str | None,
                                         message: str) -> None:
    findings = run(service_type, {"navn_en": name})
    if rule is None:
        assert_findings(findings, [])
        return
    severity = WARN if rule == "english_name_case" else BLOCK
    assert_findings(findings, [seen(rule, "om", "navn_en", severity)])
    assert findings[0].message == message
    assert findings[0].source == "Vedlegg 4 til veilederen (engelske navn)"
    assert findings[0].quote


def test_english_name_blank_is_only_required_once() -> None:
    findings = run(NC, {"navn_en": ""})
    assert_findings(findings, [seen("required", "om", "navn_en")],
                    ["«Forslag til engelsk navn» må fylles ut."])


# --------------------------------------------------------------------------- point 2: volume


@pytest.mark.parametrize("service_type", TREATMENTS)
@pytest.mark.parametrize(
    ("volume", "expected", "message"),
    [
        pytest.param("20", [], "", id="20"),
        pytest.param("60", [], "", id="60"),
        pytest.param("200", [], "", id="200"),
        pytest.param("19", [seen("patient_volume_low", "p2", "pasientvolum", WARN)],
                     "19 nye pasienter i året er under 20. Veilederen råder: «< 20: Vurdere "
                     "overnasjonal løsning». Forklar hvorfor en nasjonal tjeneste likevel er "
                     "riktig.", id="19"),
        pytest.param("0", [seen("patient_volume_low", "p2", "pasientvolum", WARN)],
                     "0 nye pasienter i året er under 20.", id="0"),
        pytest.param("201", [seen("patient_volume_high", "p2", "pasientvolum", WARN)],
                     "201 nye pasienter i året er over 200. Veilederen råder: «> 200: Vurdere "
                     "deling av funksjonen». Forklar hvorfor funksjonen ikke bør deles.",
                     id="201"),
        pytest.param("1 200", [seen("patient_volume_high", "p2", "pasientvolum", WARN)],
                     "1200 nye pasienter i året er over 200.", id="grouped-thousands"),
        pytest.param("ca. 40", [seen("number", "p2", "pasientvolum")],
                     "«Antall nye pasienter eller behandlingsprosedyrer per år» må være et "
                     "heltall (bare sifre), fikk «ca. 40».", id="not-a-number"),
        pytest.param("12,5", [seen("number", "p2", "pasientvolum")],
                     "må være et heltall (bare sifre), fikk «12,5».", id="decimal"),
        pytest.param("2000000", [seen("number", "p2", "pasientvolum"),
                                 seen("patient_volume_high", "p2", "pasientvolum", WARN)],
                     "«Antall nye pasienter eller behandlingsprosedyrer per år» må være mellom 0 "
                     "og 1000000.", id="too-many"),
    ],
)
def test_patient_volume_warns_outside_20_to_200(service_type: ServiceType, volume: str,
                                                expected: list[Seen], message: str) -> None:
    findings = run(service_type, {"pasientvolum": volume})
    assert_findings(findings, expected, [message] if message else [])
    for finding in findings:
        if finding.rule.startswith("patient_volume"):
            assert not finding.blocking
            assert finding.source == "Kriterier for nasjonale behandlingstjenester"
            assert "20 - 200 nye pasienter" in finding.quote


def test_patient_volume_is_not_asked_of_competence_services() -> None:
    assert "pasientvolum" not in {f.id for _, f in FORMS.latest(NC).fields()}


# --------------------------------------------------------------------------- regional anchoring

LABEL_ANCHOR = "«Regional forankring»"


def anchoring(**changes: dict[str, str] | None) -> list[dict[str, str]]:
    """The four complete region rows; ``helse_vest={"dato": ""}`` changes a cell, ``=None``
    leaves the region out."""
    rows = []
    for region in Region:
        key = region.value.replace("-", "_")
        change = changes.get(key, {})
        if change is None:
            continue
        rows.append({"region": region.value, "med_hvem": f"Fagdirektør i {region.label}",
                     "dato": "2026-09-01", "enighet": "ja", **change})
    return rows


ANCHOR_SECTION = {NT: "p4", MT: "p4", NC: "p3"}


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("rows", "rules", "messages"),
    [
        pytest.param(anchoring(), [], [], id="complete"),
        pytest.param(anchoring(helse_nord={"enighet": "nei"}), [], [],
                     id="disagreement-is-not-missing"),  # a warning: test_guide_checks.py
        pytest.param(anchoring(helse_vest={"dato": "1.9.2026"}), [], [], id="typed-date"),
        pytest.param(anchoring(helse_nord=None), ["all_regions"],
                     [f"Helse Nord mangler i {LABEL_ANCHOR}. Alle fire helseregioner skal være "
                      "med."], id="region-left-out"),
        pytest.param(anchoring(helse_midt_norge={"med_hvem": "", "dato": "", "enighet": ""}),
                     ["all_regions"], [f"Helse Midt-Norge mangler i {LABEL_ANCHOR}."],
                     id="region-row-empty"),
        pytest.param(anchoring(helse_vest={"dato": ""}), ["all_regions"],
                     [f"Helse Vest i {LABEL_ANCHOR} mangler: Når."], id="date-missing"),
        pytest.param(anchoring(helse_sor_ost={"med_hvem": "", "enighet": ""}), ["all_regions"],
                     [f"Helse Sør-Øst i {LABEL_ANCHOR} mangler: Med hvem (fagmiljø og ledelse), "
                      "Enighet om behovet."], id="two-cells-missing"),
        pytest.param(anchoring(helse_vest={"dato": "31.02.2026"}), ["table_cell"],
                     ["Helse Vest: «Når» må være en gyldig dato (dd.mm.åååå) (fikk "
                      "«31.02.2026»)."], id="impossible-date"),
        pytest.param(anchoring(helse_nord={"enighet": "kanskje"}), ["table_cell"],
                     ["Helse Nord: «Enighet om behovet» må være et av valgene (fikk "
                      "«kanskje»)."], id="unknown-choice"),
        pytest.param(anchoring(helse_vest=None, helse_nord=None), ["all_regions"] * 2,
                     ["Helse Vest mangler", "Helse Nord mangler"], id="two-regions-left-out"),
        pytest.param([], ["all_regions"] * 4,
                     [f"{region.label} mangler i {LABEL_ANCHOR}" for region in Region],
                     id="no-rows"),
    ],
)
def test_regional_anchoring_needs_all_four_regions(service_type: ServiceType,
                                                   rows: list[dict[str, str]], rules: list[str],
                                                   messages: list[str]) -> None:
    findings = [finding for finding in run(service_type, {"forankring": rows})
                if finding.rule != "agreement_all_regions"]
    section = ANCHOR_SECTION[service_type]
    assert_findings(findings, [seen(rule, section, "forankring") for rule in rules], messages)


def test_regional_anchoring_rows_come_back_one_per_region_in_order() -> None:
    rows = list(reversed(anchoring(helse_vest=None)))
    _, answers = answers_for(NT, {"forankring": rows})
    assert [row["region"] for row in answers["forankring"]] == [region.value for region in Region]
    assert answers["forankring"][1] == {"region": "helse-vest", "med_hvem": "", "dato": "",
                                        "enighet": ""}


# --------------------------------------------------------------------------- users consulted

USER_SECTION = {NT: "p5", MT: "p5", NC: "p4"}
USERS_ROW = {"organisasjon": "Norsk forening for sjeldne", "dato": "2026-08-15",
             "synspunkt": "Støtter"}
LABEL_USERS = "«Pasientorganisasjoner og brukere som er konsultert»"


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("changes", "expected", "messages"),
    [
        pytest.param({}, [], [], id="ja-complete"),
        pytest.param({"brukerorganisasjoner": [{**USERS_ROW, "synspunkt": ""}]}, [], [],
                     id="ja-optional-column-blank"),
        pytest.param({"brukerorganisasjoner": []},
                     [("min_rows", "brukerorganisasjoner")],
                     [f"{LABEL_USERS} må ha minst 1 fullstendig rad (har 0)."], id="ja-no-table"),
        pytest.param({"brukerorganisasjoner": [{**USERS_ROW, "dato": ""}]},
                     [("table_row", "brukerorganisasjoner"),
                      ("min_rows", "brukerorganisasjoner")],
                     [f"Rad 1 i {LABEL_USERS} mangler: Når."], id="ja-row-without-date"),
        pytest.param({"brukerorganisasjoner": [{**USERS_ROW, "dato": "i fjor"}]},
                     [("table_cell", "brukerorganisasjoner"),
                      ("min_rows", "brukerorganisasjoner")],
                     [f"Rad 1 i {LABEL_USERS}: «Når» må være en gyldig dato (dd.mm.åååå) (fikk "
                      "«i fjor»)."], id="ja-bad-date"),
        pytest.param({"brukere_konsultert": "nei", "begrunnelse_ikke_brukere": "Ingen "
                      "pasientorganisasjon finnes.", "brukerorganisasjoner": []}, [], [],
                     id="nei-with-reason"),
        pytest.param({"brukere_konsultert": "nei", "brukerorganisasjoner": []},
                     [("required", "begrunnelse_ikke_brukere")],
                     ["«Hvorfor er pasientorganisasjoner og brukere ikke konsultert?» må fylles "
                      "ut."], id="nei-without-reason"),
        pytest.param({"brukere_konsultert": "", "brukerorganisasjoner": []},
                     [("required", "brukere_konsultert")],
                     ["Velg et svar i «Er spørsmålet diskutert med pasientorganisasjoner og "
                      "brukere?»."], id="unanswered"),
    ],
)
def test_user_organisations_consulted_or_reason_given(
        service_type: ServiceType, changes: dict[str, Any],
        expected: list[tuple[str, str]], messages: list[str]) -> None:
    section = USER_SECTION[service_type]
    findings = run(service_type, changes)
    assert_findings(findings, [seen(rule, section, field) for rule, field in expected], messages)


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_user_organisations_ja_requires_evidence(service_type: ServiceType) -> None:
    section = USER_SECTION[service_type]
    evidence = f"{section}_dokumentasjon"
    findings = run(service_type, {evidence: []})
    assert_findings(findings, [seen("required", section, evidence)],
                    ["Dokumentasjon mangler", "«Dokumentasjon av dialogen med brukerne»"])
    findings = run(service_type, {evidence: [], "brukere_konsultert": "nei",
                                  "begrunnelse_ikke_brukere": "Ingen organisasjon finnes."})
    assert_findings(findings, [])


# --------------------------------------------------------------------------- spreading plan

PLAN_SECTION = {NT: "p9", MT: "p9", NC: "p8"}
PLAN_ROW = {"kompetanse": "Diagnostikk", "malgruppe": "Barneleger", "virkemiddel": "Kurs",
            "frist": "2028-06-01"}
LABEL_PLAN = "«Tiltak for kompetansespredning»"


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("rows", "expected", "messages"),
    [
        pytest.param([PLAN_ROW], [], [], id="complete"),
        pytest.param([{**PLAN_ROW, "frist": "1.6.2028"}], [], [], id="typed-date"),
        pytest.param([PLAN_ROW, {**PLAN_ROW, "virkemiddel": ""}], ["table_row"],
                     [f"Rad 2 i {LABEL_PLAN} mangler: Virkemiddel."], id="second-incomplete"),
        pytest.param([{**PLAN_ROW, "malgruppe": ""}], ["table_row", "min_rows"],
                     [f"Rad 1 i {LABEL_PLAN} mangler: Primær målgruppe.",
                      f"{LABEL_PLAN} må ha minst 1 fullstendig rad (har 0)."],
                     id="only-row-incomplete"),
        pytest.param([{**PLAN_ROW, "frist": ""}], ["table_row", "min_rows"],
                     [f"Rad 1 i {LABEL_PLAN} mangler: Gjennomført innen."], id="no-date"),
        pytest.param([{**PLAN_ROW, "frist": "snart"}], ["table_cell", "min_rows"],
                     [f"Rad 1 i {LABEL_PLAN}: «Gjennomført innen» må være en gyldig dato "
                      "(dd.mm.åååå) (fikk «snart»)."], id="not-a-date"),
        pytest.param([{**PLAN_ROW, "frist": "2028-02-30"}], ["table_cell", "min_rows"],
                     ["(fikk «2028-02-30»)"], id="impossible-date"),
        pytest.param([{**PLAN_ROW, "frist": "06/01/2028"}], ["table_cell", "min_rows"],
                     ["(fikk «06/01/2028»)"], id="american-date"),
    ],
)
def test_spreading_plan_rows_are_complete_with_a_date(service_type: ServiceType,
                                                      rows: list[dict[str, str]],
                                                      expected: list[str],
                                                      messages: list[str]) -> None:
    section = PLAN_SECTION[service_type]
    findings = run(service_type, {"spredningsplan": rows})
    assert_findings(findings, [seen(rule, section, "spredningsplan") for rule in expected],
                    messages)


# --------------------------------------------------------------------------- result goals

GOAL_SECTION = {NT: "p10", MT: "p10", NC: "p9"}
GOAL = {"mal": "Kortere ventetid", "indikator": "Dager til utredning",
        "malverdi": "Under 30 dager", "frist": "2029-12-31"}
TERM_5 = ("Resultatmål 1 har frist 01.01.2033, etter at virketiden på 5 år er slutt "
          "(31.12.2032). Sett en frist innenfor virketiden.")
TERM_10 = ("Resultatmål 1 har frist 01.01.2038, etter at virketiden på 10 år er slutt "
           "(31.12.2037). Sett en frist innenfor virketiden.")


def goals(*rows: dict[str, str]) -> list[dict[str, str]]:
    return [{**GOAL, **row} for row in rows]


def baselines(*numbers: int) -> list[dict[str, str]]:
    """A baseline for each result goal ``numbers`` names (the rule: test_guide_checks.py)."""
    return [{"mal_nr": str(number), "verdi": "45 dager", "kilde": "NPR 2025"}
            for number in numbers]


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize(
    ("rows", "expected", "messages"),
    [
        pytest.param(goals({}), [], [], id="baseline"),
        pytest.param(goals({"frist": "2028-01-01"}), [], [], id="on-the-start-date"),
        pytest.param(goals({"frist": "2027-12-31"}), [("result_goal_date", WARN)],
                     ["Resultatmål 1 har frist 31.12.2027, før tjenesten tidligst kan starte "
                      "01.01.2028."], id="before-start"),
        pytest.param(goals({}, {"frist": "15.3.2027"}), [("result_goal_date", WARN)],
                     ["Resultatmål 2 har frist 15.03.2027"], id="second-before-start"),
        pytest.param(goals({"malverdi": "Kortere"}), [("result_goal_measurable", WARN)],
                     ["Målverdien «Kortere» i resultatmål 1 inneholder ikke et tall. "
                      "Resultatmål skal være målbare"], id="target-without-digit"),
        pytest.param(goals({"malverdi": "90 %"}), [], [], id="target-percent"),
        pytest.param(goals({"malverdi": "Innen 1.1.2029"}), [], [], id="target-date"),
        pytest.param(goals({"frist": "snart"}), [("table_cell", BLOCK), ("min_rows", BLOCK)],
                     ["«Nådd innen» må være en gyldig dato (dd.mm.åååå) (fikk «snart»)."],
                     id="not-a-date"),
        pytest.param(goals({"frist": "2027-06-01", "malverdi": "Bedre"}),
                     [("result_goal_date", WARN), ("result_goal_measurable", WARN)],
                     ["frist 01.06.2027", "«Bedre»"], id="both-warnings"),
    ],
)
def test_result_goals_are_measurable_and_dated(service_type: ServiceType,
                                               rows: list[dict[str, str]],
                                               expected: list[tuple[str, Severity]],
                                               messages: list[str]) -> None:
    section = GOAL_SECTION[service_type]
    findings = run(service_type, {"resultatmal": rows,
                                  "utgangspunkt": baselines(*range(1, len(rows) + 1))})
    assert_findings(findings, [seen(rule, section, "resultatmal", severity)
                               for rule, severity in expected], messages)
    for finding in findings:
        if finding.rule == "result_goal_measurable":
            assert "målbare" in finding.quote


@pytest.mark.parametrize(
    ("service_type", "function", "due", "message"),
    [
        pytest.param(NC, "opplaering", "2032-12-31", "", id="training-last-day"),
        pytest.param(NC, "opplaering", "31.12.2032", "", id="training-last-day-typed"),
        pytest.param(NC, "opplaering", "2033-01-01", TERM_5, id="training-after-5-years"),
        pytest.param(NC, "kompetanseoppbygging", "2033-01-01", "", id="building-in-year-6"),
        pytest.param(NC, "kompetanseoppbygging", "2037-12-31", "", id="building-last-day"),
        pytest.param(NC, "kompetanseoppbygging", "2038-01-01", TERM_10,
                     id="building-after-10-years"),
        pytest.param(NT, None, "2045-01-01", "", id="treatment-has-no-term"),
        pytest.param(MT, None, "2045-01-01", "", id="multiregional-has-no-term"),
    ],
)
def test_result_goals_of_competence_services_fall_within_the_term(
        service_type: ServiceType, function: str | None, due: str, message: str) -> None:
    changes: dict[str, Any] = {"resultatmal": goals({"frist": due})}
    if function is not None:
        changes["funksjon"] = function
    findings = run(service_type, changes)
    if not message:
        assert_findings(findings, [])
        return
    assert_findings(findings, [seen("result_goal_term", GOAL_SECTION[service_type],
                                    "resultatmal")])
    assert findings[0].message == message
    assert findings[0].source == f"{GUIDE}, kap. 2"
    assert "virketid på 5 år" in findings[0].quote


def test_result_goals_term_unknown_without_a_function() -> None:
    findings = run(NC, {"funksjon": "", "resultatmal": goals({"frist": "2040-01-01"})})
    assert_findings(findings, [seen("required", "om", "funksjon")])


def test_result_goals_numbered_as_on_screen_when_a_row_is_blank() -> None:
    empty = dict.fromkeys(GOAL, "")
    findings = run(NT, {"resultatmal": [GOAL, empty, {**GOAL, "malverdi": "Bedre"}],
                        "utgangspunkt": baselines(1, 3)})
    assert_findings(findings, [seen("result_goal_measurable", "p10", "resultatmal", WARN)],
                    ["i resultatmål 3 inneholder"])


# --------------------------------------------------------------------------- evidence

EVIDENCE_FIELDS = {
    NT: ["p2_dokumentasjon", "p3_dokumentasjon", "p4_dokumentasjon", "p6_dokumentasjon",
         "p7_dokumentasjon", "p8_dokumentasjon", "p11_dokumentasjon", "p12_dokumentasjon"],
    NC: ["p2_dokumentasjon", "p3_dokumentasjon", "p5_dokumentasjon", "p6_dokumentasjon",
         "p7_dokumentasjon", "p10_dokumentasjon", "p11_dokumentasjon"],
}


@pytest.mark.parametrize(
    ("service_type", "field_id"),
    [(service_type, field_id) for service_type, ids in EVIDENCE_FIELDS.items()
     for field_id in ids],
)
@pytest.mark.parametrize(
    ("references", "attachment", "blocks"),
    [
        pytest.param(["Rapport 2025"], False, False, id="reference"),
        pytest.param("https://example.org/rapport\n\nSmith 2024", False, False,
                     id="reference-lines"),
        pytest.param([], True, False, id="attachment"),
        pytest.param(["Rapport"], True, False, id="both"),
        pytest.param([], False, True, id="neither"),
        pytest.param(["   ", ""], False, True, id="blank-lines"),
    ],
)
def test_evidence_is_a_reference_or_an_attachment(service_type: ServiceType, field_id: str,
                                                  references: Any, attachment: bool,
                                                  blocks: bool) -> None:
    attachments = [AttachmentRef(field_id, "dokumentasjon.pdf")] if attachment else []
    findings = run(service_type, {field_id: references}, ctx=context(attachments=attachments))
    section = field_id.removesuffix("_dokumentasjon")
    assert_findings(findings, [seen("required", section, field_id)] if blocks else [])
    if blocks:
        label = FORMS.latest(service_type).field(field_id).label
        assert findings[0].message.startswith("Dokumentasjon mangler: legg ved et vedlegg eller "
                                              "skriv en henvisning")
        assert findings[0].message.endswith(f"i «{label}».")


def test_evidence_every_evidence_field_is_in_the_table() -> None:
    for service_type, ids in EVIDENCE_FIELDS.items():
        spec = FORMS.latest(service_type).for_kind(ApplicationKind.ESTABLISHMENT)
        required = {f.id for _, f in spec.fields() if f.kind is FieldKind.EVIDENCE and f.required}
        assert required == set(ids), service_type


# --------------------------------------------------------------------------- kinds of application
# Version 1 of the forms: the kinds share "om", "endring" (a free-text name) and point 1. The
# kinds of version 2 are tested in test_kinds.py.

V1 = {service_type: FORMS.get(service_type.value, 1) for service_type in ServiceType}

ONLY_NAME_CHANGE = {"gjeldende_tjeneste": "Nasjonal behandlingstjeneste for sjeldne sykdommer",
                    "begrunnelse_endring": "Navnet skal samsvare med fagfeltets navn."}
GUIDE_SECTIONS = {NT: ["beredskap", "referansegruppe", "ideell"],
                  MT: ["beredskap", "referansegruppe", "ideell"],
                  NC: ["avgrensning", "referansegruppe", "ideell"]}
POINTS_2_TO_12 = {NT: [f"p{n}" for n in range(2, 13)], MT: [f"p{n}" for n in range(2, 13)],
                  NC: [f"p{n}" for n in range(2, 12)]}


def only_general_part(service_type: ServiceType) -> dict[str, Any]:
    """The answers to "om", "endring" and point 1, and nothing else."""
    spec = V1[service_type]
    keep = {f.id for section in spec.sections if section.id in {"om", "endring", "p1"}
            for f in section.fields}
    return {key: value for key, value in {**VALID_ANSWERS[service_type],
                                          **ONLY_NAME_CHANGE}.items() if key in keep}


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize("kind", [ApplicationKind.CHANGE_OF_NAME, ApplicationKind.TERMINATION])
def test_kind_name_change_and_termination_skip_points_2_to_12(service_type: ServiceType,
                                                               kind: ApplicationKind) -> None:
    spec = V1[service_type]
    answers, _ = normalise(spec, only_general_part(service_type))
    assert check_application(spec, answers, context(kind)) == []
    assert [section.id for section in spec.sections_for(kind)] == ["om", "endring", "p1"]


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_kind_name_change_ignores_wrong_answers_in_points_that_do_not_apply(
        service_type: ServiceType) -> None:
    wrong = {"fagpersoner": [{"navn": "En", "stillingsandel": "0"}], "pasientvolum": "5",
             "resultatmal": goals({"frist": "2020-01-01", "malverdi": "Bedre"}),
             "forankring": [], "spredningsplan": [{"frist": "snart"}]}
    spec = V1[service_type]
    raw = {**only_general_part(service_type),
           **{key: value for key, value in wrong.items() if key in
              {f.id for _, f in spec.fields()}}}
    answers, unknown = normalise(spec, raw)
    assert unknown == []
    findings = check_application(spec, answers, context(ApplicationKind.CHANGE_OF_NAME))
    assert findings == []
    establishment = check_application(spec, answers, context())
    assert {f.section for f in establishment} >= {"p2", "p3"}


@pytest.mark.parametrize("service_type", list(ServiceType))
@pytest.mark.parametrize("kind", [ApplicationKind.CHANGE_OF_CONTENT,
                                  ApplicationKind.CHANGE_OF_NAME, ApplicationKind.TERMINATION])
def test_kind_change_or_termination_requires_the_endring_section(
        service_type: ServiceType, kind: ApplicationKind) -> None:
    findings = run(service_type, spec=V1[service_type], ctx=context(kind))
    assert_findings(findings, [seen("required", "endring", "gjeldende_tjeneste"),
                               seen("required", "endring", "begrunnelse_endring")],
                    ["«Navnet på den godkjente tjenesten søknaden gjelder» må fylles ut.",
                     "«Hva skal endres, og hvorfor?» må fylles ut."])
    assert all(finding.point is None for finding in findings)
    assert findings[0].text.startswith("Om søknaden: ")
    assert findings[0].source == "Veilederen kap. II.1"


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_kind_change_of_content_checks_every_point(service_type: ServiceType) -> None:
    spec = V1[service_type]
    sections = [section.id for section in spec.sections_for(ApplicationKind.CHANGE_OF_CONTENT)]
    assert sections == ["om", "endring", "p1", *POINTS_2_TO_12[service_type]]
    changes: dict[str, Any] = dict(ONLY_NAME_CHANGE)
    expected: list[Seen] = []
    if service_type.is_treatment:
        changes["pasientvolum"] = "5"
        expected = [seen("patient_volume_low", "p2", "pasientvolum", WARN)]
    findings = run(service_type, changes, spec=V1[service_type],
                   ctx=context(ApplicationKind.CHANGE_OF_CONTENT))
    assert_findings(findings, expected)


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_kind_establishment_does_not_ask_for_the_endring_section(
        service_type: ServiceType) -> None:
    spec = V1[service_type]
    assert "endring" not in {s.id for s in spec.sections_for(ApplicationKind.ESTABLISHMENT)}
    assert_findings(run(service_type, {"gjeldende_tjeneste": "", "begrunnelse_endring": ""},
                        spec=V1[service_type]), [])


# --------------------------------------------------------------------------- order and overlap


def test_findings_come_in_the_order_of_the_form() -> None:
    findings = run(NT, {"p12_dokumentasjon": [], "beskrivelse": "", "navn_nb": "",
                        "pasientvolum": "5", "fagpersoner": staff("100")})
    assert [f.section for f in findings] == ["om", "p1", "p2", "p7", "p12"]
    assert [f.field for f in findings] == ["navn_nb", "beskrivelse", "pasientvolum",
                                           "fagpersoner", "p12_dokumentasjon"]


def _registered(name: str, codes: tuple[str, ...]) -> RegistryService:
    return RegistryService(key=service_key(NT, name), service_type=NT, regions=(Region.VEST,),
                           name_nb=name, name_en="", codes=codes)


@pytest.mark.parametrize(
    ("registry", "changes", "fragments"),
    [
        pytest.param([_registered("Nasjonal behandlingstjeneste for hjertefeil", ("Q20-Q28",))],
                     {}, [], id="no-shared-code"),
        pytest.param([_registered("Nasjonal behandlingstjeneste for skjelettdysplasi",
                                  ("Q77-Q78",))], {},
                     ["Nasjonal behandlingstjeneste for skjelettdysplasi (felles ICD-10-koder: "
                      "Q78.0)", "Beskriv i «Ansvarsavklaring mot godkjente tjenester» hvordan "
                      "ansvaret er fordelt"], id="shared-code"),
        pytest.param([_registered("Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                                  ())], {},
                     ["(lignende navn)"], id="same-name"),
        pytest.param([_registered("Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                                  ("M88",))],
                     {"gjeldende_tjeneste": "Nasjonal behandlingstjeneste for sjeldne "
                      "beinsykdommer"}, [], id="the-service-being-changed"),
    ],
)
def test_registry_overlap_warns_and_links_the_services(registry: list[RegistryService],
                                                       changes: dict[str, str],
                                                       fragments: list[str]) -> None:
    kind = (ApplicationKind.CHANGE_OF_CONTENT if "gjeldende_tjeneste" in changes
            else ApplicationKind.ESTABLISHMENT)
    changes = {**changes, "begrunnelse_endring": "Endret avgrensning."} if changes else changes
    findings = run(NT, changes, ctx=context(kind, registry=registry),
                   spec=V1[NT] if "gjeldende_tjeneste" in changes else None)
    if not fragments:
        assert_findings(findings, [])
        return
    assert_findings(findings, [seen("registry_overlap", "p1", "icd10", WARN)], fragments)
    assert findings[0].links == ((registry[0].name_nb, registry[0].key),)


def test_finding_round_trips_through_a_dict() -> None:
    """Findings are stored with a submitted version and read back for the coordinator."""
    registry = [_registered("Nasjonal behandlingstjeneste for skjelettdysplasi", ("Q77-Q78",))]
    findings = run(NT, {"pasientvolum": "5", "tverrfaglig": ""},
                   ctx=context(registry=registry))
    assert {f.rule for f in findings} == {"registry_overlap", "patient_volume_low", "required"}
    for finding in findings:
        data = finding.to_dict()
        assert data["severity"] in {"blocking", "warning"}
        assert Finding.from_dict(data) == finding


def test_normalise_reports_answers_the_form_does_not_have() -> None:
    spec = FORMS.latest(NC)
    answers, unknown = normalise(spec, {**VALID_ANSWERS[NC], "pasientvolum": "60", "x": "y"})
    assert unknown == ["pasientvolum", "x"]
    assert "pasientvolum" not in answers
