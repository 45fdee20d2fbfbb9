"""Helsedirektoratet's decisions and the dates that follow from them.

For round Y (its joint deadline is 15 January Y; DOMAIN.md "The calendar", seed 002 ch. II.1):

- approved by 1 December Y: takes effect 1 January Y+1 («med virkning fra 1. januar
  påfølgende år»);
- postponed for further assessment: the final decision is due by 30 May Y+1, and an approval
  then takes effect 1 June Y+1 («eller fra 1. juni påfølgende år ved en utvidet vurdering»);
- every approval must be established within one year of the approval (002, 004 ch. 4.1);
- a competence service has the function «opplæring» (5 years) or «kompetanseoppbygging»
  (10 years), decided by Helsedirektoratet; its term ends that many years after the approval
  (004 ch. 2 and 4.5) — the same rule as the calendar's (``calendar.add_years``);
- decisions cannot be appealed (004 ch. 4.1): the app records them and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from soknad.domain.calendar import FUNCTION_NAMES, TERM_YEARS, add_years
from soknad.domain.errors import DomainError

NO_APPEAL = ("Vedtaket kan ikke påklages (veilederen for nasjonale tjenester, kap. 4.1).")

FUNCTION_LABELS = {key: f"{name} ({TERM_YEARS[key]} år)" for key, name in FUNCTION_NAMES.items()}


class DecisionKind(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    POSTPONED = "postponed"

    @property
    def label(self) -> str:
        return {"approved": "Godkjent", "rejected": "Avslått",
                "postponed": "Utsatt for videre vurdering"}[self.value]


@dataclass(frozen=True)
class DecisionDates:
    effective_from: date | None = None
    establish_by: date | None = None
    term_years: int | None = None
    term_ends: date | None = None
    final_decision_by: date | None = None  # for a postponed decision


def decision_dates(kind: DecisionKind, decided_on: date, round_year: int, *,
                   after_postponement: bool = False, function: str | None = None
                   ) -> DecisionDates:
    """The dates that follow from a decision (see the module docstring)."""
    following = round_year + 1
    if kind is DecisionKind.POSTPONED:
        return DecisionDates(final_decision_by=date(following, 5, 30))
    if kind is DecisionKind.REJECTED:
        return DecisionDates()
    years = TERM_YEARS.get(function or "")
    return DecisionDates(
        effective_from=date(following, 6, 1) if after_postponement else date(following, 1, 1),
        establish_by=add_years(decided_on, 1),
        term_years=years,
        term_ends=add_years(decided_on, years) if years else None,
    )


def check_decision(kind: DecisionKind, reasons: str, *, competence: bool,
                   function: str | None) -> None:
    """Refuse a decision that lacks what it must carry, with a Norwegian message."""
    if kind is DecisionKind.REJECTED and not reasons.strip():
        raise DomainError("Et avslag må begrunnes.")
    if kind is DecisionKind.POSTPONED and not reasons.strip():
        raise DomainError("Skriv hva som skal utredes videre før endelig vedtak.")
    if kind is DecisionKind.APPROVED and competence and function not in TERM_YEARS:
        raise DomainError("Velg funksjonen for kompetansetjenesten: opplæring (5 år) eller "
                          "kompetanseoppbygging (10 år).")
    if kind is DecisionKind.APPROVED and not competence and function:
        raise DomainError("Bare kompetansetjenester har funksjon og virketid.")
