"""The task list's rules: wording with Norwegian plural agreement, one task per deadline, a
link to the item when there is one and to the list when there are several, nearest first."""

from __future__ import annotations

from datetime import date

import pytest

from soknad.domain.tasks import Due, Link, Task, TaskKind, grouped, ordered

TODAY = date(2026, 12, 10)
ONE = Link("one")
MANY = Link("many")


def one(item: Due) -> Link:
    return Link("one", {"id": item.item_id})


def many(item: Due) -> Link:
    return Link("many")


@pytest.mark.parametrize(("kind", "count", "text"), [
    (TaskKind.DRAFT, 1, "1 utkast er ikke sendt til RHF"),
    (TaskKind.DRAFT, 3, "3 utkast er ikke sendt til RHF"),
    (TaskKind.REVIEW, 1, "1 søknad venter på behandling"),
    (TaskKind.REVIEW, 3, "3 søknader venter på behandling"),
    (TaskKind.QUESTION, 2, "2 spørsmål fra Helsedirektoratet venter på svar"),
    (TaskKind.NOT_ESTABLISHED, 1, "1 godkjent tjeneste er ikke registrert som etablert"),
    (TaskKind.NOT_ESTABLISHED, 2, "2 godkjente tjenester er ikke registrert som etablert"),
    (TaskKind.FAILED_MAIL, 1, "1 e-post kunne ikke sendes og prøves på nytt"),
    (TaskKind.FAILED_MAIL, 4, "4 e-poster kunne ikke sendes og prøves på nytt"),
])
def test_wording_agrees_with_the_count(kind: TaskKind, count: int, text: str) -> None:
    assert Task(kind, count, ONE).text == text


@pytest.mark.parametrize(("deadline", "overdue", "text"), [
    (None, False, ""),
    (date(2027, 1, 15), False, "frist 15. januar 2027"),
    (date(2026, 12, 1), True, "fristen gikk ut 1. desember 2026"),
])
def test_deadline_text(deadline: date | None, overdue: bool, text: str) -> None:
    assert Task(TaskKind.REVIEW, 1, ONE, deadline, overdue).deadline_text == text


def test_one_task_per_deadline_linking_to_the_item_or_the_list() -> None:
    items = [Due(1, date(2027, 1, 8), 2027), Due(2, date(2027, 1, 8), 2027),
             Due(3, date(2027, 1, 20), 2027), Due(4, date(2026, 12, 1), 2027)]
    found = grouped(TaskKind.DRAFT, items, TODAY, one=one, many=many)
    assert [(task.count, task.deadline, task.link, task.overdue) for task in found] == [
        (2, date(2027, 1, 8), MANY, False),
        (1, date(2027, 1, 20), Link("one", {"id": 3}), False),
        (1, date(2026, 12, 1), Link("one", {"id": 4}), True),
    ]


def test_by_round_names_the_round() -> None:
    items = [Due(1, date(2027, 12, 1), 2027), Due(2, date(2027, 12, 1), 2027)]
    [task] = grouped(TaskKind.DECIDE, items, TODAY, one=one, many=many, by_round=True)
    assert task.text == "Søknadsrunde 2027: 2 søknader venter på vedtak"


def test_nearest_deadline_first_then_the_order_of_work() -> None:
    tasks = [Task(TaskKind.QUESTION, 1, ONE, date(2027, 2, 1)),
             Task(TaskKind.FAILED_MAIL, 1, ONE),
             Task(TaskKind.CONSENT, 1, ONE, date(2027, 1, 15), fixed_text="Samtykke"),
             Task(TaskKind.REVIEW, 2, ONE, date(2027, 1, 15))]
    assert [task.kind for task in ordered(tasks)] == [
        TaskKind.REVIEW, TaskKind.CONSENT, TaskKind.QUESTION, TaskKind.FAILED_MAIL]
