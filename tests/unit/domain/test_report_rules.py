"""The report's goal-by-goal check as a table: every result goal and every spreading measure
says whether it was reached and when; one past its deadline and not reached says why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from soknad.domain.findings import Severity
from soknad.domain.formspec import FormLibrary, FormPurpose
from soknad.domain.report_rules import GOAL_RULES, check_report
from soknad.domain.service_types import ServiceType
from tests.factories import report_answers

FORMS = FormLibrary.load(Path(__file__).resolve().parents[3] / "forms")
SPEC = FORMS.latest(ServiceType.NATIONAL_COMPETENCE, FormPurpose.ANNUAL_REPORT)
TODAY = date(2027, 2, 1)

GOAL = {"mal": "Kurs i alle regioner", "indikator": "Kurs", "malverdi": "4",
        "frist": "2026-06-01", "status": "naadd", "naadd_dato": "2026-05-20", "kommentar": ""}
MEASURE = {"kompetanse": "Diagnostikk", "malgruppe": "Leger", "virkemiddel": "Kurs",
           "frist": "2026-06-01", "status": "gjennomfort", "gjennomfort": "2026-05-02",
           "kommentar": ""}


def goal_messages(table: str, row: dict[str, str]) -> list[str]:
    answers = {**report_answers(SPEC), table: [row]}
    return [finding.message for finding in check_report(SPEC, answers, year=2026, today=TODAY)
            if finding.rule in GOAL_RULES]


@pytest.mark.parametrize(("table", "change", "expected"), [
    ("resultatmal", {}, []),
    ("resultatmal", {"status": ""},
     ["Mål 1 («Kurs i alle regioner»): skriv om målet er nådd (velg «Status»)."]),
    ("resultatmal", {"naadd_dato": ""},
     ["Mål 1 («Kurs i alle regioner») er nådd, men det står ikke når: skriv «Nådd dato»."]),
    ("resultatmal", {"naadd_dato": "2027-03-01"},
     ["Mål 1 («Kurs i alle regioner»): «Nådd dato» (01.03.2027) kan ikke være fram i tid."]),
    ("resultatmal", {"status": "delvis", "naadd_dato": ""},
     ["Mål 1 («Kurs i alle regioner») hadde frist 01.06.2026 og er ikke nådd: forklar i "
      "«Kommentar» hvorfor, og når det ventes nådd."]),
    ("resultatmal", {"status": "ikke_naadd", "naadd_dato": "", "kommentar": "Forsinket."}, []),
    ("resultatmal", {"status": "ikke_naadd", "naadd_dato": "", "frist": "2028-12-31"}, []),
    ("resultatmal", {"frist": ""}, ["Mål 1 («Kurs i alle regioner») mangler: Nådd innen."]),
    ("resultatmal", {"mal": "", "frist": ""}, ["Mål 1 mangler: Mål, Nådd innen."]),
    ("spredningstiltak", {}, []),
    ("spredningstiltak", {"status": ""},
     ["Tiltak 1 («Diagnostikk»): skriv om tiltaket er gjennomført (velg «Status»)."]),
    ("spredningstiltak", {"gjennomfort": ""},
     ["Tiltak 1 («Diagnostikk») er gjennomført, men det står ikke når: skriv "
      "«Gjennomført dato»."]),
    ("spredningstiltak", {"status": "pagar", "gjennomfort": ""},
     ["Tiltak 1 («Diagnostikk») hadde frist 01.06.2026 og er ikke gjennomført: forklar i "
      "«Kommentar» hvorfor, og når det ventes gjennomført."]),
    ("spredningstiltak", {"status": "ikke_startet", "gjennomfort": "",
                          "frist": "2027-06-01"}, []),
])
def test_each_goal_says_whether_and_when(table: str, change: dict[str, str],
                                         expected: list[str]) -> None:
    base = GOAL if table == "resultatmal" else MEASURE
    assert goal_messages(table, {**base, **change}) == expected


def test_goal_findings_block_and_replace_the_row_finding() -> None:
    answers = {**report_answers(SPEC), "resultatmal": [{**GOAL, "status": "", "frist": ""}]}
    findings = check_report(SPEC, answers, year=2026, today=TODAY)
    mine = [finding for finding in findings if finding.field == "resultatmal"]
    assert {finding.rule for finding in mine} >= {"goal_missing", "goal_status"}
    assert "table_row" not in {finding.rule for finding in mine}
    assert all(finding.severity is Severity.BLOCKING for finding in mine)
    assert all(finding.section == "r5" for finding in mine)


def test_the_second_goal_is_named_by_its_place_on_the_screen() -> None:
    answers = {**report_answers(SPEC), "resultatmal": [GOAL, {}, {**GOAL, "status": ""}]}
    messages = [finding.message for finding in check_report(SPEC, answers, year=2026,
                                                            today=TODAY)
                if finding.rule in GOAL_RULES]
    assert messages == ["Mål 3 («Kurs i alle regioner»): skriv om målet er nådd (velg «Status»)."]
