"""Helsedirektoratet's assessment of the annual reports: what an assessment must say, what a
request for supplementary reporting must say, and what a proposal leaves in the service's
history. Plain Python (``domain.reports`` holds the states and the outcomes).

«Helsedirektoratet avgir sin vurdering innen 1. juni med varsel om eventuelle forslag til
endringer eller avvikling. Ved mangelfull rapportering kan Helsedirektoratet be de regionale
helseforetak om tilleggsrapportering med påfølgende frist innen 1. september» (002 kap. IV).
"""

from __future__ import annotations

from collections.abc import Mapping

from soknad.domain.dates import long_date
from soknad.domain.lifecycle import EventKind
from soknad.domain.reports import NEEDS_POINTS, AssessmentOutcome, supplement_date
from soknad.domain.service_types import ApplicationKind

#: The longest text an assessment's points or a supplement request may have.
MAX_CHARS = 10_000

#: The outcomes that are recorded on the service's history in the registry.
PROPOSAL_EVENTS: Mapping[AssessmentOutcome, EventKind] = {
    AssessmentOutcome.PROPOSE_CHANGE: EventKind.PROPOSED_CHANGE,
    AssessmentOutcome.PROPOSE_TERMINATION: EventKind.PROPOSED_TERMINATION,
}

#: The application a proposal leads to: a change or a termination is decided in the round, on
#: an application (the lifecycle's path, 002 kap. II.1); the hosting health trust can start it
#: from its report.
PROPOSED_APPLICATIONS: Mapping[AssessmentOutcome, ApplicationKind] = {
    AssessmentOutcome.PROPOSE_CHANGE: ApplicationKind.CHANGE_OF_CONTENT,
    AssessmentOutcome.PROPOSE_TERMINATION: ApplicationKind.TERMINATION,
}

_POINTS_NEEDED: Mapping[AssessmentOutcome, str] = {
    AssessmentOutcome.FOLLOW_UP: "Skriv punktene tjenesten skal følge opp.",
    AssessmentOutcome.PROPOSE_CHANGE: "Skriv hva Helsedirektoratet foreslår å endre, og hvorfor.",
    AssessmentOutcome.PROPOSE_TERMINATION: "Skriv hvorfor Helsedirektoratet foreslår å avvikle "
                                           "tjenesten.",
}


def parse_outcome(text: str) -> AssessmentOutcome | None:
    try:
        return AssessmentOutcome(text.strip())
    except ValueError:
        return None


def assessment_problems(outcome_text: str, points: str) -> dict[str, str]:
    """What is wrong with an assessment as typed, by form field (``vurdering``, ``punkter``);
    empty when it can be recorded."""
    outcome = parse_outcome(outcome_text)
    if outcome is None:
        return {"vurdering": "Velg Helsedirektoratets vurdering av årsrapporten."}
    if outcome in NEEDS_POINTS and not points.strip():
        return {"punkter": _POINTS_NEEDED[outcome]}
    if len(points) > MAX_CHARS:
        return {"punkter": f"Punktene kan ha høyst {MAX_CHARS} tegn ({len(points)} nå)."}
    return {}


def supplement_problem(text: str) -> str | None:
    """Why a request for supplementary reporting cannot be sent as typed; None when it can."""
    if not text.strip():
        return "Skriv hva de regionale helseforetakene skal rapportere i tillegg."
    if len(text) > MAX_CHARS:
        return f"Teksten kan ha høyst {MAX_CHARS} tegn ({len(text)} nå)."
    return None


def proposal_summary(outcome: AssessmentOutcome, year: int, points: str) -> str:
    """The service's history line for a proposal made in the assessment of a report."""
    what = "endring av" if outcome is AssessmentOutcome.PROPOSE_CHANGE else "avvikling av"
    return (f"Helsedirektoratet foreslår {what} tjenesten i vurderingen av årsrapport {year}: "
            f"{' '.join(points.split())}")


def supplement_deadline_text(year: int) -> str:
    """«1. september 2027» for the reports on 2026."""
    return long_date(supplement_date(year))
