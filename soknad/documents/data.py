"""Plain data for the letters: the caller fills these from its own tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from soknad.domain.dates import short_moment
from soknad.domain.decisions import DecisionKind

#: 004 ch. 4.1: the directorate's decisions on national services cannot be appealed.
NO_APPEAL = ("Vedtaket kan ikke påklages (Veileder for nasjonale tjenester i "
             "spesialisthelsetjenesten, kap. 4.1).")


def local_time(value: datetime | str | None) -> str:
    """``15.01.2027 kl. 09:30`` in Norwegian time; an ISO string is parsed first."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return short_moment(moment)


# --------------------------------------------------------------------------- cover letter


@dataclass(frozen=True)
class RankedEntry:
    """One line of the national priority list."""

    rank: int
    name: str
    service_type: str  # label, e.g. "Nasjonal behandlingstjeneste"
    region: str  # label, e.g. "Helse Sør-Øst"
    health_trust: str
    description: str  # point 1, at most 100 words
    kind: str = ""  # label of the kind of application, e.g. "Etablering av ny tjeneste"


@dataclass(frozen=True)
class Consent:
    """One regional health authority's answer to the list."""

    region: str  # label
    who: str  # the person who answered for the RHF
    when: datetime  # aware
    decision: str  # label, e.g. "Samtykker"
    comment: str = ""
    title: str = ""  # the person's title, e.g. "Fagdirektør"


@dataclass(frozen=True)
class RegionReason:
    """One regional health authority's ranking and its reason for the order."""

    region: str  # label
    ranked: Sequence[str] = ()  # the names of its accepted applications, best first
    reason: str = ""


@dataclass(frozen=True)
class Contact:
    """The person Helsedirektoratet contacts about the joint submission."""

    name: str = ""
    title: str = ""
    organisation: str = ""  # e.g. "Helse Sør-Øst RHF"
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CoverLetterData:
    """The joint cover letter from the four RHFs to Helsedirektoratet (copy HOD)."""

    round_year: int
    entries: Sequence[RankedEntry]
    consents: Sequence[Consent]
    sent_on: date
    coordinating_region: str = ""  # label of the RHF that coordinated the round
    regions: Sequence[RegionReason] = ()  # each region's ranking and reason
    contact: Contact = Contact()

    def __post_init__(self) -> None:
        ranks = [entry.rank for entry in self.entries]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError("the entries must be in priority order with distinct ranks")


# --------------------------------------------------------------------------- decision letter


@dataclass(frozen=True)
class DecisionLetterData:
    """One decision letter. Dates that do not apply to the decision stay None; the
    constructor refuses a letter that lacks a date its decision needs."""

    application_name: str
    health_trust: str
    region: str  # label, e.g. "Helse Sør-Øst"
    service_type: str  # label
    decision: DecisionKind
    decision_date: date
    round_year: int
    reasons: str = ""
    effective_date: date | None = None  # approved: when the approval takes effect
    establish_by: date | None = None  # approved: established within one year
    competence_function: str = ""  # approved competence service: "Opplæring" / …
    term_years: int | None = None  # 5 or 10
    term_end: date | None = None
    postponed_until: date | None = None  # postponed: final decision at the latest
    case_reference: str = ""
    application_kind: str = ""  # label, e.g. "Etablering av ny tjeneste"
    # The contact person at Helsedirektoratet and the signatory (domain.decisions.LetterPeople).
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    # What the application is for (``ApplicationKind`` value) and, for a change or a
    # termination, the registry service it is about and what changes (``domain.lifecycle``).
    outcome: str = "etablering"
    service_name: str = ""  # the service as the registry names it (before a rename)
    new_name: str = ""  # a change of name
    new_description: str = ""  # a change of content
    terminated_from: date | None = None  # an approved termination: f.o.m.

    def __post_init__(self) -> None:
        object.__setattr__(self, "decision", DecisionKind(self.decision))
        approved = self.decision is DecisionKind.APPROVED
        if approved and self.outcome == "etablering" and not (self.effective_date
                                                               and self.establish_by):
            raise ValueError("an approval needs effective_date and establish_by")
        if approved and self.outcome == "avvikling" and not self.terminated_from:
            raise ValueError("an approved termination needs terminated_from")
        if approved and self.outcome in {"endring_navn", "endring_innhold"} and not (
                self.effective_date):
            raise ValueError("an approved change needs effective_date")
        if self.decision is DecisionKind.POSTPONED and not self.postponed_until:
            raise ValueError("a postponement needs postponed_until")
        if self.term_years is not None and not self.term_end:
            raise ValueError("a term needs term_end")

    @property
    def cannot_be_appealed(self) -> bool:
        """A rejection and a termination cannot be appealed (004 ch. 4.1)."""
        return self.decision is DecisionKind.REJECTED or (
            self.decision is DecisionKind.APPROVED and self.outcome == "avvikling")


