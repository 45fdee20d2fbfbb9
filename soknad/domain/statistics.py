"""Figures for Helsedirektoratet and the registry: a round's applications by service type and
region, the annual reports on time by region, and one service's reports year over year.

Everything here works on plain rows (``ApplicationRow``, ``ReportRow``, ``YearReport``) that
``soknad.services.statistics`` reads from the database.

Definitions (shown on the pages too):

- *Sent to Helsedirektoratet*: an application of the round whose state is one Helsedirektoratet
  sees (``workflow.VISIBLE_TO_DIRECTORATE``). Its outcome follows its state: approved (also
  when since established), rejected, postponed (no final decision yet), or undecided (waiting,
  or information requested).
- *Time to decision*: whole days from the day the application was sent to Helsedirektoratet
  (the joint submission's sending, in Oslo) to the day of the *final* decision (approved or
  rejected; a postponement is not final: 002 ch. II.1). Applications without a final decision
  are not part of the median or the longest time.
- *Reports on time*: a report is on time when it first reached the RHF by 15 March after the
  year it covers (``reports.on_time`` on the first sending; a later return does not make it
  late); late when first sent after that; not sent when never sent.
- *Goals reached*: the rows of the report's table ``resultatmal`` whose ``status`` is «naadd»,
  out of the rows that hold anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from statistics import median
from typing import Any

from soknad.domain import reports as report_rules
from soknad.domain.formspec import FieldKind, FormSpec
from soknad.domain.organisations import Region
from soknad.domain.reports import AssessmentOutcome
from soknad.domain.service_types import ServiceType
from soknad.domain.values import parse_decimal, rows_of, text_of
from soknad.domain.workflow import State

# --------------------------------------------------------------------------- a round


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    POSTPONED = "postponed"
    UNDECIDED = "undecided"

    @property
    def label(self) -> str:
        return {"approved": "Godkjent", "rejected": "Avslått", "postponed": "Utsatt",
                "undecided": "Ikke avgjort"}[self.value]


_OUTCOME_OF_STATE: Mapping[State, Outcome] = {
    State.SENT_TO_DIRECTORATE: Outcome.UNDECIDED,
    State.INFORMATION_REQUESTED: Outcome.UNDECIDED,
    State.APPROVED: Outcome.APPROVED,
    State.ESTABLISHED: Outcome.APPROVED,
    State.REJECTED: Outcome.REJECTED,
    State.POSTPONED: Outcome.POSTPONED,
}


def outcome_of(state: State) -> Outcome | None:
    """The outcome an application in ``state`` counts as; None when it never reached
    Helsedirektoratet."""
    return _OUTCOME_OF_STATE.get(state)


@dataclass(frozen=True)
class ApplicationRow:
    service_type: ServiceType
    region: Region
    state: State
    sent_on: date | None  # the day it was sent to Helsedirektoratet
    decided_on: date | None = None  # the day of the final decision (approved or rejected)


def days_to_decision(row: ApplicationRow) -> int | None:
    """Days from sending to the final decision; None without both days or without a final
    outcome."""
    if outcome_of(row.state) not in {Outcome.APPROVED, Outcome.REJECTED}:
        return None
    if row.sent_on is None or row.decided_on is None:
        return None
    return max((row.decided_on - row.sent_on).days, 0)


@dataclass(frozen=True)
class RoundFigures:
    """One line of the round's tables: a service type, a region, or all."""

    label: str
    applications: int
    outcomes: Mapping[Outcome, int]
    median_days: float | None
    max_days: int | None

    @property
    def timed(self) -> int:
        """How many final decisions the times are made of."""
        return self.outcomes[Outcome.APPROVED] + self.outcomes[Outcome.REJECTED]

    @property
    def counts(self) -> list[int]:
        """The outcomes' figures in ``Outcome`` order (a chart's bars)."""
        return [self.outcomes[outcome] for outcome in Outcome]


def figures(label: str, rows: Iterable[ApplicationRow]) -> RoundFigures:
    sent = [row for row in rows if outcome_of(row.state) is not None]
    counts = dict.fromkeys(Outcome, 0)
    for row in sent:
        outcome = outcome_of(row.state)
        assert outcome is not None
        counts[outcome] += 1
    days = [value for row in sent if (value := days_to_decision(row)) is not None]
    return RoundFigures(label, len(sent), counts, median(days) if days else None,
                        max(days) if days else None)


def _grouped(rows: Sequence[ApplicationRow], keys: Iterable[Any],
             key_of: Callable[[ApplicationRow], Any]) -> list[RoundFigures]:
    return [figures(key.label, [row for row in rows if key_of(row) is key]) for key in keys]


def by_service_type(rows: Sequence[ApplicationRow]) -> list[RoundFigures]:
    """One line per service type (every type, none left out for having no applications)."""
    return _grouped(rows, ServiceType, lambda row: row.service_type)


def by_region(rows: Sequence[ApplicationRow]) -> list[RoundFigures]:
    """One line per region, in the regulation's order."""
    return _grouped(rows, Region, lambda row: row.region)


# --------------------------------------------------------------------------- reports on time


@dataclass(frozen=True)
class ReportRow:
    region: Region | None  # the hosting health trust's region; None when no host is known
    first_sent_on: date | None


@dataclass(frozen=True)
class ReportFigures:
    label: str
    owed: int
    on_time: int
    late: int
    not_sent: int

    @property
    def counts(self) -> list[int]:
        """On time, late, not sent (a chart's bars)."""
        return [self.on_time, self.late, self.not_sent]


NO_REGION = "Uten kjent vertsforetak"


def report_figures(label: str, rows: Iterable[ReportRow], year: int) -> ReportFigures:
    rows = list(rows)
    on_time = sum(report_rules.on_time(row.first_sent_on, year) for row in rows)
    not_sent = sum(row.first_sent_on is None for row in rows)
    return ReportFigures(label, len(rows), on_time, len(rows) - on_time - not_sent, not_sent)


def reports_by_region(rows: Sequence[ReportRow], year: int) -> list[ReportFigures]:
    """One line per region (and one for services without a known host, if there are any)."""
    lines = [report_figures(region.label, [row for row in rows if row.region is region], year)
             for region in Region]
    homeless = [row for row in rows if row.region is None]
    if homeless:
        lines.append(report_figures(NO_REGION, homeless, year))
    return lines


# --------------------------------------------------------------------------- year over year

GOALS_TABLE = "resultatmal"
GOAL_STATUS = "status"
GOAL_REACHED = "naadd"


@dataclass(frozen=True)
class NumberField:
    id: str
    label: str
    unit: str = ""


def number_fields(spec: FormSpec) -> list[NumberField]:
    """The report form's activity figures: its fields of kind number, in the form's order."""
    return [NumberField(spec_field.id, spec_field.label, spec_field.unit)
            for _, spec_field in spec.fields() if spec_field.kind is FieldKind.NUMBER]


def goals_reached(answers: Mapping[str, Any]) -> tuple[int, int]:
    """(reached, all) result goals in the report's ``resultatmal`` table."""
    goals = rows_of(answers.get(GOALS_TABLE))
    reached = sum(text_of(row.get(GOAL_STATUS)) == GOAL_REACHED for row in goals)
    return reached, len(goals)


def number_of(value: Any) -> Decimal | None:
    """A number answer as typed («12», «1 200», «2,5»); None when empty or not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return parse_decimal(value) if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class YearReport:
    year: int
    answers: Mapping[str, Any]
    report_id: int | None = None  # None: the reader may not open the report
    assessment: AssessmentOutcome | None = None  # Helsedirektoratet's latest assessment


@dataclass(frozen=True)
class YearColumn:
    year: int
    report_id: int | None
    goals: tuple[int, int]
    figures: Mapping[str, Decimal | None]
    assessment: AssessmentOutcome | None

    def figure_text(self, field_id: str) -> str:
        return number_text(self.figures.get(field_id))

    @property
    def goals_text(self) -> str:
        reached, total = self.goals
        return f"{reached} av {total}" if total else "Ingen resultatmål"


@dataclass(frozen=True)
class YearTable:
    columns: list[YearColumn]
    fields: list[NumberField] = field(default_factory=list)

    @property
    def any_assessment(self) -> bool:
        return any(column.assessment is not None for column in self.columns)


def merged_fields(field_lists: Iterable[Sequence[NumberField]]) -> list[NumberField]:
    """The number fields of several forms (one per report's form version), each once, in the
    order first met."""
    seen: dict[str, NumberField] = {}
    for fields in field_lists:
        for number in fields:
            seen.setdefault(number.id, number)
    return list(seen.values())


def year_over_year(reports: Iterable[YearReport], fields: Sequence[NumberField]) -> YearTable:
    """One column per report year (oldest first): goals reached, the activity figures, and
    Helsedirektoratet's latest assessment."""
    columns = [
        YearColumn(report.year, report.report_id, goals_reached(report.answers),
                   {number.id: number_of(report.answers.get(number.id)) for number in fields},
                   report.assessment)
        for report in sorted(reports, key=lambda item: item.year)]
    return YearTable(columns, list(fields))


def number_text(value: Decimal | None) -> str:
    """«1 200», «2,5», or «–» for a figure not given."""
    if value is None:
        return "–"
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", "\u00a0")
    return f"{value:f}".replace(".", ",")


def days_text(value: float | None) -> str:
    """A median or longest time in days: «61», «80,5», or «–» when there is none."""
    return "–" if value is None else number_text(Decimal(str(value)))
