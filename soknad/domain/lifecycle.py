"""The life of a national service in the registry: its status, its term, and what an approved
decision of each kind of application does to it.

- **Establishment** enters a new service (``decisions``: takes effect 1 January after the round,
  established within a year, a competence service's function and term).
- **Termination**: «Helsedirektoratet kan beslutte avvikling … av en nasjonal tjeneste»
  (Veileder for nasjonale tjenester, kap. 4.1; the older guide kap. II.1). Decisions of a round
  take effect on the same day as its approvals, 1 January after the round (1 June after an
  extended assessment, kap. II.1); the published list says so in the same words: «Tjenesten er
  avviklet f.o.m. 1. januar 2019». Helsedirektoratet may set a later day, for instance to give
  the lead time the criteria ask for («Ved nedlegging eller endring bør det beregnes minst 18
  måneder fra søknad/initiativ om dette til gjennomføring», Kriterier for etablering, endring og
  avvikling), never an earlier one. A termination has no function, no term and no «etablert
  innen»: the service ends, and nothing else changes.
- **Change of name**: «Helsedirektoratet godkjenner endring av navn og innhold i eksisterende
  godkjente nasjonale tjenester» (kap. II.1): the same service keeps its registry key and gets
  the new name; the former name is kept.
- **Change of content**: the same service gets the new description (kap. II.1); a substantially
  changed content is a new service (kap. 4.1), applied for as an establishment.

A competence service's term (kap. 2 and 4.5; «Nasjonale kompetansetjenester er kategorisert i to
kategorier, funksjon opplæring med virketid på 5 år, og funksjon kompetansebygging med en
virketid på 10 år», Felles prinsipper for videreføring av nasjonale kompetansetjenester kap. 2)
runs from the day its approval takes effect, but not from before 2020, when the time limit was
introduced («For nasjonale kompetansetjenester er det fra 2020 innført krav om tidsbegrenset
funksjon», Veileder for nasjonale tjenester i spesialisthelsetjenesten, kap. 4.1): a service
approved in 2011 had no term until then. The published list does not say an imported
service's function: its term is counted as the longer one, ten years (the services approved
before the rule are in category 2 in the same report's table 2), so that no term is shown as
ended too early. Treatment services have no term.

Plain Python: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from soknad.domain import decisions
from soknad.domain.dates import MONTHS, long_date
from soknad.domain.errors import DomainError
from soknad.domain.service_types import ApplicationKind, ServiceType

#: How far ahead the registry and the calendar look for terms that end: the guides' «minst 18
#: måneder» (``termination.LEAD_MONTHS``) in days.
LEAD_DAYS = 548
#: The function counted for a competence service whose function is not recorded.
ASSUMED_FUNCTION = "kompetanseoppbygging"
#: Competence services have had a time-limited function since 2020 (see the module docstring).
TERMS_FROM = date(2020, 1, 1)


class ServiceStatus(StrEnum):
    """What the registry stores: the service is active, or a termination has been decided
    (``terminated_from`` says from which day; before that day it still runs)."""

    ACTIVE = "aktiv"
    TERMINATED = "avviklet"


class ServiceState(StrEnum):
    """What a page shows on a given day (``state_on``)."""

    ACTIVE = "aktiv"
    TERM_ENDING = "virketid_utloper"
    TERM_ENDED = "virketid_ute"
    ENDING = "avvikles"
    TERMINATED = "avviklet"

    @property
    def label(self) -> str:
        return {"aktiv": "Aktiv", "virketid_utloper": "Virketiden går ut",
                "virketid_ute": "Virketiden er ute", "avvikles": "Avvikles",
                "avviklet": "Avviklet"}[self.value]


class EventKind(StrEnum):
    """A line in a service's history."""

    ESTABLISHED = "etablering"
    CONTENT_CHANGED = "endring_innhold"
    RENAMED = "endring_navn"
    TERMINATED = "avvikling"
    #: Helsedirektoratet's assessment of an annual report proposes a change or a termination
    #: (002 kap. IV: «med varsel om eventuelle forslag til endringer eller avvikling»); the
    #: service itself is unchanged until an application is decided.
    PROPOSED_CHANGE = "forslag_endring"
    PROPOSED_TERMINATION = "forslag_avvikling"

    @property
    def label(self) -> str:
        return {"etablering": "Godkjent", "endring_innhold": "Endret innhold",
                "endring_navn": "Nytt navn", "avvikling": "Avviklet",
                "forslag_endring": "Forslag om endring (årsrapport)",
                "forslag_avvikling": "Forslag om avvikling (årsrapport)"}[self.value]


# --------------------------------------------------------------------------- terms and state


def approval_takes_effect(approved_on: date) -> date:
    """The day an approval dated ``approved_on`` takes effect: 1 January the following year
    (kap. II.1); an approval dated 1 January takes effect that day."""
    if (approved_on.month, approved_on.day) == (1, 1):
        return approved_on
    return date(approved_on.year + 1, 1, 1)


def term_end(service_type: ServiceType, approved_on: date | None, function: str | None,
             recorded: date | None = None) -> date | None:
    """The last day of the service's term: the one its decision recorded, else counted from
    its approval date (see the module docstring); None for a treatment service."""
    if recorded is not None:
        return recorded
    if service_type.is_treatment or approved_on is None:
        return None
    years = decisions.TERM_YEARS[function if function in decisions.TERM_YEARS
                                 else ASSUMED_FUNCTION]
    return decisions.period_end(max(approval_takes_effect(approved_on), TERMS_FROM), years)


def state_on(status: ServiceStatus, terminated_from: date | None, ends: date | None,
             today: date) -> ServiceState:
    """The service's state on ``today``."""
    if status is ServiceStatus.TERMINATED:
        if terminated_from is not None and terminated_from > today:
            return ServiceState.ENDING
        return ServiceState.TERMINATED
    if ends is not None:
        if ends < today:
            return ServiceState.TERM_ENDED
        if (ends - today).days <= LEAD_DAYS:
            return ServiceState.TERM_ENDING
    return ServiceState.ACTIVE


def counts_as_active(status: ServiceStatus, terminated_from: date | None, today: date) -> bool:
    """Whether the service still counts as a national service (an overlap candidate): a
    terminated service does not, from the day the termination takes effect."""
    return status is ServiceStatus.ACTIVE or (terminated_from is not None
                                               and terminated_from > today)


_TERMINATED_RE = re.compile(
    r"avviklet\s+f\.?\s*o\.?\s*m\.?\s+(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", re.IGNORECASE)


def published_termination(description: str) -> date | None:
    """The day in «Tjenesten er avviklet f.o.m. 1. januar 2019» in a published description."""
    found = _TERMINATED_RE.search(description)
    if not found or found.group(2).lower() not in MONTHS:
        return None
    try:
        return date(int(found.group(3)), MONTHS.index(found.group(2).lower()) + 1,
                    int(found.group(1)))
    except ValueError:
        return None


# --------------------------------------------------------------------------- outcomes


def needs_function(kind: ApplicationKind, service_type: ServiceType) -> bool:
    """Helsedirektoratet decides a function only when it approves a new competence service."""
    return kind is ApplicationKind.ESTABLISHMENT and not service_type.is_treatment


def earliest_termination(round_year: int, *, after_postponement: bool = False) -> date:
    """The first day a termination decided in round ``round_year`` can take effect."""
    return decisions.takes_effect(round_year, after_postponement=after_postponement)


def termination_day(round_year: int, chosen: date | None, *,
                    after_postponement: bool = False) -> date:
    """The day the service is terminated from (f.o.m.): the earliest day unless
    Helsedirektoratet chose a later one."""
    earliest = earliest_termination(round_year, after_postponement=after_postponement)
    if chosen is None:
        return earliest
    if chosen < earliest:
        raise DomainError(f"En avvikling vedtatt i søknadsrunden {round_year} kan tidligst få "
                          f"virkning fra {long_date(earliest)}.")
    return chosen


@dataclass(frozen=True)
class ServiceFacts:
    """What the registry holds of the service an application is about."""

    name: str
    description: str
    former_names: tuple[str, ...] = ()
    status: ServiceStatus = ServiceStatus.ACTIVE


@dataclass(frozen=True)
class Change:
    """What an approved change or termination does to the service, and its history line."""

    event: EventKind
    name: str
    description: str
    former_names: tuple[str, ...]
    status: ServiceStatus
    terminated_from: date | None
    summary: str


def change_for(kind: ApplicationKind, service: ServiceFacts, *, new_name: str = "",
               new_description: str = "", terminated_from: date | None = None) -> Change:
    """The effect of approving an application of ``kind`` about ``service`` (not for an
    establishment: that enters a new service)."""
    if service.status is ServiceStatus.TERMINATED:
        raise DomainError(f"«{service.name}» er allerede avviklet.")
    if kind is ApplicationKind.TERMINATION:
        if terminated_from is None:
            raise DomainError("En avvikling må ha datoen tjenesten avvikles fra.")
        return Change(EventKind.TERMINATED, service.name, service.description,
                      service.former_names, ServiceStatus.TERMINATED, terminated_from,
                      f"Tjenesten avvikles f.o.m. {long_date(terminated_from)}.")
    if kind is ApplicationKind.CHANGE_OF_NAME:
        name = new_name.strip()
        if not name or name == service.name:
            raise DomainError("Søknaden om endring av navn har ikke et nytt navn.")
        former = tuple(dict.fromkeys((*service.former_names, service.name)))
        return Change(EventKind.RENAMED, name, service.description,
                      tuple(item for item in former if item != name), ServiceStatus.ACTIVE,
                      None, f"Nytt navn: «{name}» (tidligere «{service.name}»).")
    if kind is ApplicationKind.CHANGE_OF_CONTENT:
        description = new_description.strip()
        if not description:
            raise DomainError("Søknaden om endring av innhold har ikke en ny beskrivelse.")
        return Change(EventKind.CONTENT_CHANGED, service.name, description,
                      service.former_names, ServiceStatus.ACTIVE, None,
                      "Ny beskrivelse av innhold, formål og avgrensning.")
    raise ValueError(f"no change for {kind}")
