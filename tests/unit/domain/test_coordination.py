"""The RHFs' coordination rules as tables: merging the four rankings, moving, consent."""

from __future__ import annotations

from datetime import date

import pytest

from soknad.domain.coordination import (
    MERGE_RULE,
    Answer,
    Decision,
    Direction,
    ListError,
    check_answer,
    consent_status,
    last_submit_day,
    may_submit,
    merge_rankings,
    move,
    reconcile,
)
from soknad.domain.organisations import Region

SO, VE, MI, NO = Region.SOR_OST, Region.VEST, Region.MIDT_NORGE, Region.NORD


@pytest.mark.parametrize(("rankings", "merged"), [
    ({}, []),
    ({SO: [1, 2, 3]}, [1, 2, 3]),
    ({SO: [1, 2], VE: [3, 4], MI: [5, 6], NO: [7, 8]}, [1, 3, 5, 7, 2, 4, 6, 8]),
    # The regulation's order, whatever order the mapping has.
    ({NO: [7], MI: [5], VE: [3], SO: [1]}, [1, 3, 5, 7]),
    # A region with fewer applications is skipped once it is empty.
    ({SO: [1, 2, 3], VE: [4], NO: [9, 10]}, [1, 4, 9, 2, 10, 3]),
    ({VE: [], MI: [5]}, [5]),
    # An id listed twice appears once, at its first place.
    ({SO: [1, 2], VE: [2, 3]}, [1, 2, 3]),
])
def test_merge_rankings(rankings: dict[Region, list[int]], merged: list[int]) -> None:
    assert merge_rankings(rankings) == merged


def test_the_merge_rule_is_stated_in_the_regions_order() -> None:
    names = ["Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"]
    positions = [MERGE_RULE.index(name) for name in names]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("order", "item", "how", "expected"), [
    ([1, 2, 3], 2, {"direction": Direction.UP}, [2, 1, 3]),
    ([1, 2, 3], 2, {"direction": Direction.DOWN}, [1, 3, 2]),
    ([1, 2, 3], 1, {"direction": Direction.UP}, [1, 2, 3]),
    ([1, 2, 3], 3, {"direction": Direction.DOWN}, [1, 2, 3]),
    ([1, 2, 3, 4], 4, {"position": 1}, [4, 1, 2, 3]),
    ([1, 2, 3, 4], 1, {"position": 4}, [2, 3, 4, 1]),
    ([1, 2, 3, 4], 2, {"position": 3}, [1, 3, 2, 4]),
    ([1, 2, 3], 2, {"position": 2}, [1, 2, 3]),
])
def test_move(order: list[int], item: int, how: dict[str, object], expected: list[int]) -> None:
    assert move(order, item, **how) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("order", "item", "how", "message"), [
    ([1, 2], 9, {"direction": Direction.UP}, "Søknaden står ikke i listen."),
    ([1, 2], 1, {"position": 3}, "Plassen må være et tall fra 1 til 2."),
    ([1, 2], 1, {"position": 0}, "Plassen må være et tall fra 1 til 2."),
    ([1, 2], 1, {}, "Velg hvor søknaden skal flyttes."),
])
def test_impossible_moves_are_refused(order: list[int], item: int, how: dict[str, object],
                                      message: str) -> None:
    with pytest.raises(ListError, match=message):
        move(order, item, **how)  # type: ignore[arg-type]


@pytest.mark.parametrize(("order", "members", "expected"), [
    ([3, 1, 2], [1, 2, 3], [3, 1, 2]),
    ([3, 1, 2], [1, 2, 3, 4], [3, 1, 2, 4]),
    ([3, 1, 2], [1, 3], [3, 1]),
    ([], [5, 4], [5, 4]),
])
def test_reconcile_keeps_the_order_and_adds_new_ones_last(order: list[int], members: list[int],
                                                          expected: list[int]) -> None:
    assert reconcile(order, members) == expected


C, D = Decision.CONSENT, Decision.DISSENT


@pytest.mark.parametrize(("answers", "consented", "dissented", "complete"), [
    ([], (), (), False),
    ([(SO, 2, C), (VE, 2, C), (MI, 2, C)], (SO, VE, MI), (), False),
    ([(SO, 2, C), (VE, 2, C), (MI, 2, C), (NO, 2, C)], (SO, VE, MI, NO), (), True),
    # Consents to an earlier version do not count: a change clears them.
    ([(SO, 1, C), (VE, 1, C), (MI, 1, C), (NO, 2, C)], (NO,), (), False),
    ([(SO, 2, C), (VE, 2, D), (MI, 2, C), (NO, 2, C)], (SO, MI, NO), (VE,), False),
    # A region's latest answer to the version counts.
    ([(VE, 2, D), (VE, 2, C)], (VE,), (), False),
])
def test_consent_status(answers: list[tuple[Region, int, Decision]],
                        consented: tuple[Region, ...], dissented: tuple[Region, ...],
                        complete: bool) -> None:
    status = consent_status(2, [Answer(*item) for item in answers])
    assert status.consented == consented
    assert status.dissented == dissented
    assert status.complete is complete
    assert set(status.waiting) == set(Region) - set(consented) - set(dissented)


@pytest.mark.parametrize(("decision", "comment", "locked", "message"), [
    (D, "  ", False, "Skriv en kommentar som forklarer dissensen."),
    (C, "", True, "Listen er låst"),
    (D, "Vi mener B bør stå først", True, "Listen er låst"),
])
def test_answers_that_are_refused(decision: Decision, comment: str, locked: bool,
                                  message: str) -> None:
    with pytest.raises(ListError, match=message):
        check_answer(decision, comment, locked=locked)


@pytest.mark.parametrize(("decision", "comment"), [(C, ""), (D, "Uenig i rekkefølgen")])
def test_answers_that_are_accepted(decision: Decision, comment: str) -> None:
    check_answer(decision, comment, locked=False)


@pytest.mark.parametrize(("deadline", "extended", "last_day"), [
    (None, None, None),  # the region has set no deadline yet
    (date(2026, 12, 1), None, date(2026, 12, 1)),
    (date(2026, 12, 1), date(2026, 12, 5), date(2026, 12, 5)),
    (date(2026, 12, 1), date(2026, 11, 20), date(2026, 12, 1)),  # never shortened
    (None, date(2026, 12, 5), date(2026, 12, 5)),
])
def test_last_submit_day(deadline: date | None, extended: date | None,
                         last_day: date | None) -> None:
    assert last_submit_day(deadline, extended) == last_day


@pytest.mark.parametrize(("today", "deadline", "extended", "allowed"), [
    (date(2026, 12, 1), None, None, True),
    (date(2026, 12, 1), date(2026, 12, 1), None, True),  # the deadline day itself counts
    (date(2026, 12, 2), date(2026, 12, 1), None, False),
    (date(2026, 12, 5), date(2026, 12, 1), date(2026, 12, 5), True),
    (date(2026, 12, 6), date(2026, 12, 1), date(2026, 12, 5), False),
    # An extension never shortens the deadline.
    (date(2026, 11, 30), date(2026, 12, 1), date(2026, 11, 20), True),
])
def test_may_submit(today: date, deadline: date | None, extended: date | None,
                    allowed: bool) -> None:
    assert may_submit(today, deadline, extended) is allowed
