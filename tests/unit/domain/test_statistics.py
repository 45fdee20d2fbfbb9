"""The statistics' rules as tables: outcomes by state, time to decision, the round's lines by
service type and region, reports on time by region, and one service's reports year over
year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from soknad.domain import statistics as s
from soknad.domain.formspec import FormLibrary, FormPurpose
from soknad.domain.organisations import Region
from soknad.domain.reports import AssessmentOutcome
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import VISIBLE_TO_DIRECTORATE, State

FORMS = FormLibrary.load(Path(__file__).resolve().parents[3] / "forms")
TREATMENT, COMPETENCE = ServiceType.NATIONAL_TREATMENT, ServiceType.NATIONAL_COMPETENCE
SENT = date(2027, 1, 15)


@pytest.mark.parametrize(("state", "outcome"), [
    (State.DRAFT, None),
    (State.SUBMITTED, None),
    (State.ACCEPTED, None),
    (State.DECLINED, None),  # declined by the RHF: never reached Helsedirektoratet
    (State.IN_JOINT_SUBMISSION, None),
    (State.SENT_TO_DIRECTORATE, s.Outcome.UNDECIDED),
    (State.INFORMATION_REQUESTED, s.Outcome.UNDECIDED),
    (State.APPROVED, s.Outcome.APPROVED),
    (State.ESTABLISHED, s.Outcome.APPROVED),
    (State.REJECTED, s.Outcome.REJECTED),
    (State.POSTPONED, s.Outcome.POSTPONED),
])
def test_outcome_of_state(state: State, outcome: s.Outcome | None) -> None:
    assert s.outcome_of(state) is outcome


def test_every_state_helsedirektoratet_sees_has_an_outcome() -> None:
    assert {state for state in State if s.outcome_of(state)} == VISIBLE_TO_DIRECTORATE


@pytest.mark.parametrize(("state", "sent", "decided", "days"), [
    (State.APPROVED, SENT, date(2027, 6, 1), 137),
    (State.REJECTED, SENT, date(2027, 1, 15), 0),
    (State.ESTABLISHED, SENT, date(2027, 2, 14), 30),
    (State.APPROVED, None, date(2027, 6, 1), None),  # sending day unknown
    (State.APPROVED, SENT, None, None),
    (State.POSTPONED, SENT, date(2027, 6, 1), None),  # not a final decision
    (State.SENT_TO_DIRECTORATE, SENT, None, None),
    (State.APPROVED, date(2027, 2, 1), date(2027, 1, 1), 0),  # never negative
])
def test_days_to_decision(state: State, sent: date | None, decided: date | None,
                          days: int | None) -> None:
    row = s.ApplicationRow(TREATMENT, Region.SOR_OST, state, sent, decided)
    assert s.days_to_decision(row) == days


def _row(service_type: ServiceType, region: Region, state: State, days: int | None = None
         ) -> s.ApplicationRow:
    decided = date.fromordinal(SENT.toordinal() + days) if days is not None else None
    return s.ApplicationRow(service_type, region, state, SENT, decided)


ROUND = [
    _row(TREATMENT, Region.SOR_OST, State.APPROVED, 100),
    _row(TREATMENT, Region.VEST, State.REJECTED, 40),
    _row(TREATMENT, Region.VEST, State.POSTPONED),
    _row(COMPETENCE, Region.SOR_OST, State.ESTABLISHED, 61),
    _row(COMPETENCE, Region.NORD, State.SENT_TO_DIRECTORATE),
    _row(COMPETENCE, Region.NORD, State.DECLINED),  # not counted: the RHF declined it
]


@pytest.mark.parametrize(("label", "applications", "outcomes", "median_days", "max_days"), [
    ("Nasjonal behandlingstjeneste", 3, (1, 1, 1, 0), 70, 100),
    ("Flerregional behandlingstjeneste", 0, (0, 0, 0, 0), None, None),
    ("Nasjonal kompetansetjeneste", 2, (1, 0, 0, 1), 61, 61),
])
def test_round_by_service_type(label: str, applications: int,
                               outcomes: tuple[int, int, int, int], median_days: float | None,
                               max_days: int | None) -> None:
    line = next(line for line in s.by_service_type(ROUND) if line.label == label)
    assert (line.applications, tuple(line.outcomes.values()), line.median_days,
            line.max_days) == (applications, outcomes, median_days, max_days)


@pytest.mark.parametrize(("label", "applications", "outcomes", "median_days", "timed"), [
    ("Helse Sør-Øst", 2, (2, 0, 0, 0), 80.5, 2),
    ("Helse Vest", 2, (0, 1, 1, 0), 40, 1),
    ("Helse Midt-Norge", 0, (0, 0, 0, 0), None, 0),
    ("Helse Nord", 1, (0, 0, 0, 1), None, 0),
])
def test_round_by_region(label: str, applications: int, outcomes: tuple[int, int, int, int],
                         median_days: float | None, timed: int) -> None:
    line = next(line for line in s.by_region(ROUND) if line.label == label)
    assert (line.applications, tuple(line.outcomes.values()), line.median_days,
            line.timed) == (applications, outcomes, median_days, timed)


def test_round_total_is_every_line_together() -> None:
    total = s.figures("Alle", ROUND)
    assert (total.applications, total.median_days, total.max_days) == (5, 61, 100)  # 40, 61, 100


YEAR = 2026
REPORTS = [
    s.ReportRow(Region.SOR_OST, date(2027, 3, 15)),  # on the deadline: on time
    s.ReportRow(Region.SOR_OST, date(2027, 3, 16)),  # a day late
    s.ReportRow(Region.SOR_OST, None),
    s.ReportRow(Region.VEST, date(2027, 1, 10)),
    s.ReportRow(None, None),
]


@pytest.mark.parametrize(("label", "owed", "on_time", "late", "not_sent"), [
    ("Helse Sør-Øst", 3, 1, 1, 1),
    ("Helse Vest", 1, 1, 0, 0),
    ("Helse Midt-Norge", 0, 0, 0, 0),
    ("Helse Nord", 0, 0, 0, 0),
    (s.NO_REGION, 1, 0, 0, 1),
])
def test_reports_by_region(label: str, owed: int, on_time: int, late: int,
                           not_sent: int) -> None:
    line = next(line for line in s.reports_by_region(REPORTS, YEAR) if line.label == label)
    assert (line.owed, line.on_time, line.late, line.not_sent) == (owed, on_time, late, not_sent)


def test_no_line_for_unknown_hosts_when_every_host_is_known() -> None:
    labels = [line.label for line in s.reports_by_region(REPORTS[:4], YEAR)]
    assert labels == [region.label for region in Region]


def _goals(*statuses: str) -> dict[str, Any]:
    return {"resultatmal": [{"mal": f"Mål {index}", "status": status}
                            for index, status in enumerate(statuses)]}


@pytest.mark.parametrize(("answers", "reached", "text"), [
    (_goals("naadd", "delvis", "ikke_naadd"), (1, 3), "1 av 3"),
    (_goals("naadd", "naadd"), (2, 2), "2 av 2"),
    (_goals("", "delvis"), (0, 2), "0 av 2"),
    ({"resultatmal": [{"mal": "", "status": ""}]}, (0, 0), "Ingen resultatmål"),  # blank row
    ({}, (0, 0), "Ingen resultatmål"),
])
def test_goals_reached(answers: dict[str, Any], reached: tuple[int, int], text: str) -> None:
    column = s.year_over_year([s.YearReport(YEAR, answers)], []).columns[0]
    assert (s.goals_reached(answers), column.goals_text) == (reached, text)


@pytest.mark.parametrize(("value", "number", "text"), [
    ("12", Decimal(12), "12"),
    ("1 200", Decimal(1200), "1\u00a0200"),
    ("2,5", Decimal("2.5"), "2,5"),
    (7, Decimal(7), "7"),
    ("", None, "–"),
    ("ca. 40", None, "–"),
    (None, None, "–"),
    (True, None, "–"),
])
def test_figures_as_typed(value: Any, number: Decimal | None, text: str) -> None:
    assert (s.number_of(value), s.number_text(s.number_of(value))) == (number, text)


@pytest.mark.parametrize(("service_type", "expected"), [
    (COMPETENCE, ["kurs", "undervisning", "veiledning", "publikasjoner", "doktorgrader"]),
    (TREATMENT, ["pasienter_utredet", "pasienter_behandlet", "kurs", "publikasjoner"]),
])
def test_number_fields_are_read_from_the_report_form(service_type: ServiceType,
                                                     expected: list[str]) -> None:
    ids = [number.id for number in s.number_fields(
        FORMS.latest(service_type, FormPurpose.ANNUAL_REPORT))]
    assert set(expected) <= set(ids)


def test_year_over_year_puts_the_years_in_order_with_their_figures() -> None:
    fields = [s.NumberField("kurs", "Kurs", "stk."), s.NumberField("publikasjoner", "Pub.")]
    table = s.year_over_year([
        s.YearReport(2026, {**_goals("naadd", "delvis"), "kurs": "4"}, 2,
                     AssessmentOutcome.FOLLOW_UP),
        s.YearReport(2025, {**_goals("delvis"), "kurs": "3", "publikasjoner": "9"}, 1),
    ], fields)
    assert [(column.year, column.goals_text, dict(column.figures), column.assessment)
            for column in table.columns] == [
        (2025, "0 av 1", {"kurs": Decimal(3), "publikasjoner": Decimal(9)}, None),
        (2026, "1 av 2", {"kurs": Decimal(4), "publikasjoner": None},
         AssessmentOutcome.FOLLOW_UP),
    ]
    assert table.any_assessment


def test_merged_fields_keep_each_field_once_in_first_order() -> None:
    first = [s.NumberField("a", "A"), s.NumberField("b", "B")]
    second = [s.NumberField("b", "B ny"), s.NumberField("c", "C")]
    assert [(f.id, f.label) for f in s.merged_fields([first, second])] == [
        ("a", "A"), ("b", "B"), ("c", "C")]


@pytest.mark.parametrize(("value", "text"), [(61, "61"), (80.5, "80,5"), (None, "–"),
                                             (1200, "1\u00a0200")])
def test_days_text(value: float | None, text: str) -> None:
    assert s.days_text(value) == text
