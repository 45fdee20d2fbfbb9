"""Rådgivingsgruppen for nasjonale tjenester: its recommendation before Helsedirektoratet
decides, and the rule that a decision needs one.

The older guide («Nasjonale tjenester i spesialisthelsetjenesten – veileder», ch. II.1, the
application process) gives the flow: Helsedirektoratet «behandler søknader basert på en faglig
og uavhengig vurdering og ber om tilrådning fra Rådgivingsgruppen»; Rådgivingsgruppen «avgir
sin innstilling til Helsedirektoratet»; then Helsedirektoratet «godkjenner eller avslår». The
flow speaks of every application in the round («søknader ... om opprettelse/endring»), and for
a termination the same guide, ch. IV (Rapportering og evaluering), is explicit: «Innstilling
om avvikling av nasjonale tjenester skal diskuteres i Helsedirektoratets rådgivingsgruppe, før
endelig vedtak om avvikling». So every kind of application needs the group's recommendation
before a decision (``REQUIRED_FOR``: all four kinds).

Each decision rests on one recommendation, which it uses up: a decision after a postponement
is a new decision on an extended assessment and needs a recommendation recorded after the
postponement (``current``). The decision may differ from the
recommendation (the group advises; Helsedirektoratet decides), but then its reasons must say
why (``check_decision``).

Plain Python: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from soknad.domain.dates import long_date
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.service_types import ApplicationKind

JUSTIFICATION_MAX_CHARS = 2000

#: The kinds whose decision needs Rådgivingsgruppen's recommendation (see the docstring).
REQUIRED_FOR: frozenset[ApplicationKind] = frozenset(ApplicationKind)


class Recommendation(StrEnum):
    """What Rådgivingsgruppen recommends; the values are the decision kinds they match."""

    APPROVE = "approved"
    REJECT = "rejected"
    POSTPONE = "postponed"

    @property
    def label(self) -> str:
        """«Anbefaler godkjenning», as the choice reads in the form."""
        return "Anbefaler " + self.noun

    @property
    def noun(self) -> str:
        return {"approved": "godkjenning", "rejected": "avslag",
                "postponed": "utsettelse"}[self.value]

    @property
    def decision(self) -> DecisionKind:
        return DecisionKind(self.value)


@dataclass(frozen=True)
class Recorded:
    """A recommendation as recorded (the fields the rules need)."""

    recommendation: Recommendation
    meeting_date: date
    recorded_at: datetime
    used: bool = False  # a decision has rested on it already


def sentence(recommendation: Recommendation, meeting_date: date) -> str:
    """«Rådgivingsgruppen anbefalte godkjenning (møte 12. november 2027)»."""
    return f"Rådgivingsgruppen anbefalte {recommendation.noun} (møte {long_date(meeting_date)})"


def check_input(recommendation: str, meeting_date: date | None, justification: str, *,
                today: date, submitted_on: date | None = None) -> dict[str, str]:
    """What is wrong with a recommendation as typed, by form field (``anbefaling``,
    ``motedato``, ``anbefaling_begrunnelse``); empty when it can be recorded."""
    problems = {}
    if recommendation not in {item.value for item in Recommendation}:
        problems["anbefaling"] = ("Velg hva Rådgivingsgruppen anbefaler: godkjenning, avslag "
                                  "eller utsettelse.")
    if meeting_date is None:
        problems["motedato"] = ("Skriv datoen for møtet i Rådgivingsgruppen, for eksempel "
                                "2027-11-12.")
    elif meeting_date > today:
        problems["motedato"] = ("Møtedatoen kan ikke være en dag som ikke har kommet ennå. "
                                "Registrer anbefalingen etter møtet.")
    elif submitted_on is not None and meeting_date < submitted_on:
        problems["motedato"] = ("Møtedatoen kan ikke være før søknaden kom til "
                                f"Helsedirektoratet ({long_date(submitted_on)}).")
    text = justification.strip()
    if not text:
        problems["anbefaling_begrunnelse"] = "Skriv kort hvorfor Rådgivingsgruppen anbefaler dette."
    elif len(text) > JUSTIFICATION_MAX_CHARS:
        problems["anbefaling_begrunnelse"] = (
            f"Begrunnelsen er {len(text)} tegn; den kan ha høyst {JUSTIFICATION_MAX_CHARS}. "
            "Teksten står under; kort den ned.")
    return problems


def current(recorded: Sequence[Recorded]) -> Recorded | None:
    """The recommendation the next decision rests on: the latest one no decision has used
    (so a decision after a postponement needs a new one), else None."""
    found = [item for item in recorded if not item.used]
    return max(found, key=lambda item: item.recorded_at) if found else None


MISSING = ("Registrer Rådgivingsgruppens anbefaling før vedtaket. Helsedirektoratet ber om "
           "tilrådning fra Rådgivingsgruppen for nasjonale tjenester før det godkjenner eller "
           "avslår en søknad (veilederen for nasjonale tjenester, kap. II.1 og IV).")
MISSING_AFTER_POSTPONEMENT = (
    "Registrer Rådgivingsgruppens anbefaling etter utsettelsen før det endelige vedtaket "
    "(veilederen for nasjonale tjenester, kap. II.1 og IV).")


def deviation_message(recommendation: Recommendation, meeting_date: date) -> str:
    return (f"Vedtaket avviker fra anbefalingen: {sentence(recommendation, meeting_date)}. "
            "Skriv i begrunnelsen hvorfor Helsedirektoratet vedtar noe annet.")


def check_decision(kind: DecisionKind, application_kind: ApplicationKind, reasons: str,
                   recommendation: Recorded | None, *, after_postponement: bool = False
                   ) -> None:
    """Refuse a decision without the recommendation it needs, or one that differs from the
    recommendation without reasons, with a Norwegian message."""
    if application_kind not in REQUIRED_FOR:
        return
    if recommendation is None:
        raise DomainError(MISSING_AFTER_POSTPONEMENT if after_postponement else MISSING)
    if recommendation.recommendation.decision is not kind and not reasons.strip():
        raise DomainError(deviation_message(recommendation.recommendation,
                                            recommendation.meeting_date))


def differs(kind: DecisionKind, recommendation: Recorded | None) -> bool:
    return recommendation is not None and recommendation.recommendation.decision is not kind
