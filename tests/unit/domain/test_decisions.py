"""Helsedirektoratet's decisions: the dates that follow, and what a decision must carry."""

from __future__ import annotations

from datetime import date

import pytest

from soknad.domain.decisions import (
    DecisionDates,
    DecisionKind,
    check_decision,
    check_established_on,
    decision_dates,
    period_end,
)
from soknad.domain.errors import DomainError

A, R, P = DecisionKind.APPROVED, DecisionKind.REJECTED, DecisionKind.POSTPONED


OPP, KOMP = "opplaering", "kompetanseoppbygging"


@pytest.mark.parametrize(("year", "decided", "kind", "options", "expected"), [
    # Round 2027 decided by 1 December 2027: in effect 1 January 2028, established within the
    # year that follows (by 31 December 2028), whichever day the decision was recorded.
    (2027, date(2027, 12, 1), A, {}, DecisionDates(date(2028, 1, 1), date(2028, 12, 31))),
    (2027, date(2027, 3, 2), A, {}, DecisionDates(date(2028, 1, 1), date(2028, 12, 31))),
    (2027, date(2027, 12, 20), A, {}, DecisionDates(date(2028, 1, 1), date(2028, 12, 31))),
    # A competence service's term: five / ten years from 1 January 2028.
    (2027, date(2027, 11, 3), A, {"function": OPP},
     DecisionDates(date(2028, 1, 1), date(2028, 12, 31), 5, date(2032, 12, 31))),
    (2027, date(2027, 6, 30), A, {"function": OPP},
     DecisionDates(date(2028, 1, 1), date(2028, 12, 31), 5, date(2032, 12, 31))),
    (2027, date(2027, 11, 3), A, {"function": KOMP},
     DecisionDates(date(2028, 1, 1), date(2028, 12, 31), 10, date(2037, 12, 31))),
    (2030, date(2030, 11, 28), A, {"function": KOMP},
     DecisionDates(date(2031, 1, 1), date(2031, 12, 31), 10, date(2040, 12, 31))),
    # After a postponement: final by 30 May 2028, an approval then takes effect 1 June 2028.
    (2027, date(2028, 5, 20), A, {"after_postponement": True},
     DecisionDates(date(2028, 6, 1), date(2029, 5, 31))),
    (2027, date(2028, 2, 29), A, {"after_postponement": True, "function": OPP},
     DecisionDates(date(2028, 6, 1), date(2029, 5, 31), 5, date(2033, 5, 31))),
    (2027, date(2027, 12, 1), P, {}, DecisionDates(final_decision_by=date(2028, 5, 30))),
    (2031, date(2031, 10, 1), P, {}, DecisionDates(final_decision_by=date(2032, 5, 30))),
    (2027, date(2027, 12, 1), R, {}, DecisionDates()),
])
def test_decision_dates(year: int, decided: date, kind: DecisionKind,
                        options: dict[str, object], expected: DecisionDates) -> None:
    """``decided`` is in the table to show that the day of recording plays no part."""
    assert decision_dates(kind, year, **options) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "years", "last"), [
    (date(2028, 1, 1), 1, date(2028, 12, 31)),
    (date(2028, 1, 1), 5, date(2032, 12, 31)),
    (date(2028, 6, 1), 10, date(2038, 5, 31)),
    (date(2028, 2, 29), 1, date(2029, 2, 27)),
])
def test_period_end(start: date, years: int, last: date) -> None:
    assert period_end(start, years) == last


@pytest.mark.parametrize(("day", "message"), [
    (None, "Skriv datoen tjenesten ble etablert"),
    (date(2028, 3, 2), "en dag som ikke har kommet ennå"),
    (date(2027, 11, 30), "før tjenesten ble godkjent"),
])
def test_establishment_date_refused(day: date | None, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        check_established_on(day, date(2027, 12, 1), today=date(2028, 3, 1))


@pytest.mark.parametrize("day", [date(2027, 12, 1), date(2028, 3, 1)])
def test_establishment_date_accepted(day: date) -> None:
    assert check_established_on(day, date(2027, 12, 1), today=date(2028, 3, 1)) == day


@pytest.mark.parametrize(("kind", "reasons", "competence", "function", "message"), [
    (R, " ", False, None, "Et avslag må begrunnes."),
    (P, "", False, None, "Skriv hva som skal utredes videre før endelig vedtak."),
    (A, "", True, None, "Velg funksjonen for kompetansetjenesten"),
    (A, "", True, "ukjent", "Velg funksjonen for kompetansetjenesten"),
    (A, "", False, "opplaering", "Bare kompetansetjenester har funksjon og virketid."),
])
def test_incomplete_decisions_are_refused(kind: DecisionKind, reasons: str, competence: bool,
                                          function: str | None, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        check_decision(kind, reasons, competence=competence, function=function)


@pytest.mark.parametrize(("kind", "reasons", "competence", "function"), [
    (A, "", False, None),
    (A, "", True, "opplaering"),
    (R, "Dekkes allerede.", False, None),
    (P, "Trenger tall.", True, None),
])
def test_complete_decisions_pass(kind: DecisionKind, reasons: str, competence: bool,
                                 function: str | None) -> None:
    check_decision(kind, reasons, competence=competence, function=function)
