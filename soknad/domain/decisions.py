"""Helsedirektoratet's decisions and the dates that follow from them.

One rule gives every date of an approval; it depends on the round and on whether the decision
came after a postponement, never on the day someone clicked «Registrer vedtaket». For round Y
(its joint deadline is 15 January Y; DOMAIN.md "The calendar"):

- the approval takes effect 1 January Y+1 («Godkjenning av nye nasjonale tjenester skjer med
  virkning fra 1. januar påfølgende år», seed 002 ch. II.1), or 1 June Y+1 when the decision
  was postponed («eller fra 1. juni påfølgende år ved en utvidet vurdering», 002 ch. II.1);
  a postponed decision is final by 30 May Y+1 (002 ch. II.1);
- the service must be established within one year of the approval («tjenesten opprettes senest
  innen ett år etter godkjenning», 002 ch. II.1 and seed 004 ch. 4.1). The approval is the one
  that takes effect: the year runs from the day it takes effect, so its last day is
  31 December Y+1 (31 May Y+2 after a postponement);
- a competence service has the function «opplæring» (5 years) or «kompetanseoppbygging»
  (10 years), decided by Helsedirektoratet (004 ch. 2 and 4.5, seed 000 ch. 2). Its term, too,
  runs from the day the approval takes effect: five years from 1 January 2028 end on
  31 December 2032. The form's check of result goals (``rules``) and the calendar use this
  same rule (``period_end``);
- decisions cannot be appealed (004 ch. 4.1): the app records them and says so.

So every date is «the last day of a period of N years that starts when the approval takes
effect» (``period_end``): 1 year to be established, 5 or 10 years of term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from soknad.domain.errors import DomainError
from soknad.domain.service_types import ApplicationKind

#: A competence service's term by its function (004 ch. 2: «opplæring» 5 years,
#: «kompetanseoppbygging» 10 years); the values are the form's choices.
TERM_YEARS = {"opplaering": 5, "kompetanseoppbygging": 10}
FUNCTION_NAMES = {"opplaering": "Opplæring", "kompetanseoppbygging": "Kompetanseoppbygging"}
#: «senest innen ett år etter godkjenning» (002 ch. II.1, 004 ch. 4.1).
ESTABLISH_WITHIN_YEARS = 1

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
    terminated_from: date | None = None  # an approved termination (``lifecycle``)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February (still within the term)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_end(start: date, years: int) -> date:
    """The last day of a period of ``years`` that starts on ``start``: 1 January 2028 and
    5 years end on 31 December 2032."""
    return add_years(start, years) - timedelta(days=1)


def takes_effect(round_year: int, *, after_postponement: bool = False) -> date:
    """The day an approval of round ``round_year`` takes effect (002 ch. II.1)."""
    return date(round_year + 1, 6, 1) if after_postponement else date(round_year + 1, 1, 1)


def final_decision_by(round_year: int) -> date:
    """A postponed decision is final by 30 May of the following year (002 ch. II.1)."""
    return date(round_year + 1, 5, 30)


def establish_by(round_year: int, *, after_postponement: bool = False) -> date:
    """The last day the approved service may be established (002 ch. II.1, 004 ch. 4.1)."""
    return period_end(takes_effect(round_year, after_postponement=after_postponement),
                      ESTABLISH_WITHIN_YEARS)


def term_ends(round_year: int, function: str | None, *, after_postponement: bool = False
              ) -> date | None:
    """The last day of a competence service's term, None without a function (004 ch. 2)."""
    years = TERM_YEARS.get(function or "")
    if not years:
        return None
    return period_end(takes_effect(round_year, after_postponement=after_postponement), years)


def decision_dates(kind: DecisionKind, round_year: int, *,
                   after_postponement: bool = False, function: str | None = None,
                   application_kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
                   terminated_from: date | None = None) -> DecisionDates:
    """The dates that follow from a decision (see the module docstring). The day the decision
    is recorded plays no part. Only an establishment is «established within» a year and has a
    term; a change takes effect like an approval; a termination ends the service from
    ``terminated_from`` (``lifecycle.termination_day``)."""
    if kind is DecisionKind.POSTPONED:
        return DecisionDates(final_decision_by=final_decision_by(round_year))
    if kind is DecisionKind.REJECTED:
        return DecisionDates()
    effective = takes_effect(round_year, after_postponement=after_postponement)
    if application_kind is ApplicationKind.TERMINATION:
        return DecisionDates(effective_from=terminated_from or effective,
                             terminated_from=terminated_from or effective)
    if application_kind is not ApplicationKind.ESTABLISHMENT:
        return DecisionDates(effective_from=effective)
    return DecisionDates(
        effective_from=takes_effect(round_year, after_postponement=after_postponement),
        establish_by=establish_by(round_year, after_postponement=after_postponement),
        term_years=TERM_YEARS.get(function or ""),
        term_ends=term_ends(round_year, function, after_postponement=after_postponement),
    )


def check_established_on(day: date | None, approved_on: date, today: date) -> date:
    """The day a service was established, as the RHF records it: a real date, not in the
    future and not before the approval."""
    if day is None:
        raise DomainError("Skriv datoen tjenesten ble etablert, for eksempel 2028-03-01.")
    if day > today:
        raise DomainError("Etableringsdatoen kan ikke være en dag som ikke har kommet ennå.")
    if day < approved_on:
        raise DomainError("Etableringsdatoen kan ikke være før tjenesten ble godkjent.")
    return day


def check_decision(kind: DecisionKind, reasons: str, *, competence: bool,
                   function: str | None,
                   application_kind: ApplicationKind = ApplicationKind.ESTABLISHMENT) -> None:
    """Refuse a decision that lacks what it must carry, with a Norwegian message. Only the
    approval of a new competence service has a function (``lifecycle.needs_function``)."""
    if application_kind is not ApplicationKind.ESTABLISHMENT:
        if function:
            raise DomainError("Bare godkjenning av en ny kompetansetjeneste har funksjon og "
                              "virketid.")
        competence = False
    if kind is DecisionKind.REJECTED and not reasons.strip():
        raise DomainError("Et avslag må begrunnes.")
    if kind is DecisionKind.POSTPONED and not reasons.strip():
        raise DomainError("Skriv hva som skal utredes videre før endelig vedtak.")
    if kind is DecisionKind.APPROVED and competence and function not in TERM_YEARS:
        raise DomainError("Velg funksjonen for kompetansetjenesten: opplæring (5 år) eller "
                          "kompetanseoppbygging (10 år).")
    if kind is DecisionKind.APPROVED and not competence and function:
        raise DomainError("Bare kompetansetjenester har funksjon og virketid.")


@dataclass(frozen=True)
class LetterPeople:
    """Who the decision letter names: the contact person at Helsedirektoratet (the case
    handler who records the decision: name and e-mail from the user, a telephone number if
    given) and the signatory (name and title, typed with the decision). Kept with the decision,
    so that the letter stays as it was sent when people change jobs."""

    contact_name: str
    contact_email: str
    contact_phone: str = ""
    signatory_name: str = ""
    signatory_title: str = ""

    def cleaned(self) -> LetterPeople:
        return LetterPeople(*(value.strip() for value in (
            self.contact_name, self.contact_email, self.contact_phone, self.signatory_name,
            self.signatory_title)))


_PHONE_CHARACTERS = set("0123456789 +-()")


def check_letter_people(people: LetterPeople) -> dict[str, str]:
    """What is missing or wrong in the letter's contact and signatory, by form field
    (``underskriver``, ``tittel``, ``telefon``), with Norwegian messages; empty when complete."""
    problems = {}
    if not people.signatory_name.strip():
        problems["underskriver"] = "Skriv navnet på den som undertegner vedtaksbrevet."
    if not people.signatory_title.strip():
        problems["tittel"] = ("Skriv tittelen til den som undertegner vedtaksbrevet, for "
                              "eksempel avdelingsdirektør.")
    phone = people.contact_phone.strip()
    if phone and (not set(phone) <= _PHONE_CHARACTERS
                  or sum(char.isdigit() for char in phone) < 8):
        problems["telefon"] = (f"«{phone}» er ikke et telefonnummer. Skriv minst åtte sifre, "
                               "for eksempel 810 20 050, eller la feltet stå tomt.")
    return problems
