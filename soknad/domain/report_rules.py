"""The findings of an annual report: the report form's fields checked by the same field rules as
an application's (``soknad.domain.rules``), then the report's own named checks.

``check_report`` is the one entry point: the health trust's pages, the RHF's inbox and the
``soknad report check`` command all ask it.

The report's own check is goal by goal: the 2018 review found that only 2 of 49 services had
dated result goals, and only 12 could document whether the goals were reached. So every row of
the result-goal table and of the competence-spreading table (the tables the approved
application's rows are copied into) must say whether the goal was reached, and when; a goal
whose deadline has passed and that is not reached must say why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknad.domain import blocking
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import Field, FieldKind, FormSpec, Section
from soknad.domain.rules import RuleContext, check_application
from soknad.domain.service_types import ApplicationKind
from soknad.domain.values import format_date, numbered_rows, parse_date, text_of

_REVIEW = "Helhetlig gjennomgang av nasjonale kompetansetjenester 2018, kap. 3.4"
_REVIEW_QUOTE = ("Alle nasjonale kompetansetjenester skal etablere resultatmål og et system for "
                 "å dokumentere resultatoppnåelse.")


@dataclass(frozen=True)
class GoalTable:
    """How one goal table of a report form says a goal was reached and when."""

    noun: str  # «Mål 2», «Tiltak 3»
    name_column: str  # what the goal is, shown after the noun
    reached: str  # the status value that says «reached»
    done_column: str  # the date it was reached
    reached_word: str  # «nådd», «gjennomført»
    subject: str  # «målet», «tiltaket»
    status_column: str = "status"
    due_column: str = "frist"
    comment_column: str = "kommentar"


#: The report forms' goal tables, by field id (the tables with ``prefill_from``).
GOAL_TABLES: Mapping[str, GoalTable] = {
    "resultatmal": GoalTable("Mål", "mal", "naadd", "naadd_dato", "nådd", "målet"),
    "spredningstiltak": GoalTable("Tiltak", "kompetanse", "gjennomfort", "gjennomfort",
                                  "gjennomført", "tiltaket"),
}

#: Rules of the goal check (each blocks: the information is missing).
GOAL_RULES = frozenset({"goal_missing", "goal_status", "goal_done_date", "goal_future",
                        "goal_overdue"})


def check_report(spec: FormSpec, answers: Mapping[str, Any], *, year: int,
                 today: date) -> list[Finding]:
    """Every finding for a report on ``year`` as it stands ``today``, in the order of the
    form. A report is never an application of a kind: its form applies in full (the kinds
    default to all, and the report's fields name none). In the goal tables the goal check's
    findings, which name «Mål n», take the place of the field rules' «Rad n mangler …»."""
    context = RuleContext(kind=ApplicationKind.ESTABLISHMENT, round_year=year + 1,
                          service_type=spec.service_type)
    findings = [finding for finding in check_application(spec, dict(answers), context)
                if not (finding.rule == "table_row" and finding.field in GOAL_TABLES)]
    goals: list[Finding] = []
    for section, spec_field in spec.fields():
        table = GOAL_TABLES.get(spec_field.id)
        if table is not None and spec_field.kind is FieldKind.TABLE:
            goals.extend(check_goals(section, spec_field, table, answers.get(spec_field.id),
                                     year=year, today=today))
    order = {section.id: index for index, section in enumerate(spec.sections)}
    return sorted(findings + goals, key=lambda finding: order[finding.section])


def _finding(section: Section, spec_field: Field, rule: str, message: str) -> Finding:
    return Finding(rule=rule, section=section.id, point=section.number, field=spec_field.id,
                   severity=Severity.BLOCKING, message=message, source=_REVIEW,
                   quote=_REVIEW_QUOTE, reason=blocking.MISSING)


def check_goals(section: Section, spec_field: Field, table: GoalTable, value: Any, *,
                year: int, today: date) -> Iterator[Finding]:
    """Goal by goal: reached or not, when, and why not when the deadline has passed."""
    labels = {column.id: column.label for column in spec_field.columns}
    for number, row in numbered_rows(value):
        what = text_of(row.get(table.name_column))
        name = f"{table.noun} {number}" + (f" («{what}»)" if what else "")
        missing = [column.label for column in spec_field.columns
                   if column.required and column.id != table.status_column
                   and not text_of(row.get(column.id))]
        if missing:
            yield _finding(section, spec_field, "goal_missing",
                           f"{name} mangler: {', '.join(missing)}.")
        status = text_of(row.get(table.status_column))
        done = parse_date(text_of(row.get(table.done_column)))
        due = parse_date(text_of(row.get(table.due_column)))
        done_label = labels.get(table.done_column, table.done_column)
        if not status:
            yield _finding(section, spec_field, "goal_status",
                           f"{name}: skriv om {table.subject} er {table.reached_word} "
                           f"(velg «{labels.get(table.status_column, 'Status')}»).")
        elif status == table.reached and not text_of(row.get(table.done_column)):
            yield _finding(section, spec_field, "goal_done_date",
                           f"{name} er {table.reached_word}, men det står ikke når: skriv "
                           f"«{done_label}».")
        elif (status != table.reached and due is not None and due < today
              and due <= date(year, 12, 31) and not text_of(row.get(table.comment_column))):
            yield _finding(section, spec_field, "goal_overdue",
                           f"{name} hadde frist {format_date(due)} og er ikke "
                           f"{table.reached_word}: forklar i "
                           f"«{labels.get(table.comment_column, 'Kommentar')}» hvorfor, og "
                           f"når det ventes {table.reached_word}.")
        if done is not None and done > today:
            yield _finding(section, spec_field, "goal_future",
                           f"{name}: «{done_label}» ({format_date(done)}) kan ikke være fram "
                           "i tid.")
