"""Helsedirektoratet's decisions: the dates that follow, and what a decision must carry."""

from __future__ import annotations

from datetime import date

import pytest

from soknad.domain.decisions import DecisionDates, DecisionKind, check_decision, decision_dates
from soknad.domain.errors import DomainError

A, R, P = DecisionKind.APPROVED, DecisionKind.REJECTED, DecisionKind.POSTPONED


@pytest.mark.parametrize(("kind", "decided", "options", "expected"), [
    # Round 2027: decided by 1 December 2027, takes effect 1 January 2028, established in a year.
    (A, date(2027, 12, 1), {}, DecisionDates(date(2028, 1, 1), date(2028, 12, 1))),
    (A, date(2027, 11, 3), {"function": "opplaering"},
     DecisionDates(date(2028, 1, 1), date(2028, 11, 3), 5, date(2032, 11, 3))),
    (A, date(2027, 11, 3), {"function": "kompetanseoppbygging"},
     DecisionDates(date(2028, 1, 1), date(2028, 11, 3), 10, date(2037, 11, 3))),
    # After a postponement: final by 30 May 2028, an approval then takes effect 1 June 2028.
    (A, date(2028, 5, 20), {"after_postponement": True},
     DecisionDates(date(2028, 6, 1), date(2029, 5, 20))),
    (P, date(2027, 12, 1), {}, DecisionDates(final_decision_by=date(2028, 5, 30))),
    (R, date(2027, 12, 1), {}, DecisionDates()),
    # 29 February + 1 year is 28 February (still within the year).
    (A, date(2028, 2, 29), {}, DecisionDates(date(2028, 1, 1), date(2029, 2, 28))),
])
def test_decision_dates(kind: DecisionKind, decided: date, options: dict[str, object],
                        expected: DecisionDates) -> None:
    assert decision_dates(kind, decided, 2027, **options) == expected  # type: ignore[arg-type]


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
