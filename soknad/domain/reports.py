"""The annual report of a national service: who must report, its states, its dates and who may
do what with it. Plain Python; the models and services build on it.

The guides:

- «Tjenesten skal utarbeide årsrapport fra året etter den er etablert» (004 kap. 4.1).
- «... fullstendig samlet årlig rapportering fra alle nasjonale tjenester innen eget regionalt
  helseforetak innen fristen 15. mars. ... Årsrapporten skal være vurdert og godkjent av
  tjenestens faglige referansegruppe før den sendes regionalt helseforetak» (004 kap. 4.4).
  (002 kap. IV names 1 March for the portal; the later guide, 004, and the calendar say 15 March.)
- Helsedirektoratet gives its assessment, with notice of proposed changes or terminations, by
  1 June (002 kap. IV, 004 kap. 3); «Ved mangelfull rapportering kan Helsedirektoratet be de
  regionale helseforetak om tilleggsrapportering med påfølgende frist innen 1. september»
  (002 kap. IV).

A report is named by the year it covers («Årsrapport 2026»); it is due on 15 March of the year
after, and belongs to the calendar of that year's application round.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from soknad.domain.errors import TransitionError
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.organisations import Region
from soknad.domain.permissions import Actor
from soknad.domain.roles import Role

# --------------------------------------------------------------------------- the dates


def due_date(year: int) -> date:
    """The report on ``year`` reaches the RHF by 15 March the year after (004 kap. 4.4)."""
    return date(year + 1, 3, 15)


def assessment_date(year: int) -> date:
    """Helsedirektoratet's assessment of the reports on ``year``: 1 June the year after."""
    return date(year + 1, 6, 1)


def supplement_date(year: int) -> date:
    """Supplementary reporting asked for in the assessment: by 1 September the year after."""
    return date(year + 1, 9, 1)


def report_year(today: date) -> int:
    """The report year being worked on: until 1 September the reports on last year (due
    15 March, supplements by 1 September); after it, the reports on the year now running, which
    a health trust may begin before the year ends."""
    return today.year - 1 if today <= date(today.year, 9, 1) else today.year


#: No report in the portal is on an earlier year (the registry's services report from then on).
FIRST_REPORT_YEAR = 2000


def asked_year(text: str | None, today: date) -> int | None:
    """The report year a page is asked for (``?ar=2026``): the one being worked on
    (``report_year``) when none is given; None when the text cannot be a report year (not a
    year, before ``FIRST_REPORT_YEAR``, or after the year now running)."""
    typed = (text or "").strip()
    if not typed:
        return report_year(today)
    if not typed.isdigit() or not FIRST_REPORT_YEAR <= int(typed) <= today.year:
        return None
    return int(typed)


def round_year(year: int) -> int:
    """The application round whose calendar holds the report's dates."""
    return year + 1


# --------------------------------------------------------------------------- who must report


def established_year(established_on: date | None, effective_from: date | None,
                     approved_from: date | None) -> int | None:
    """The year the service was established: as recorded by the RHF, else the year its
    approval took effect, else the year it was approved; None when none is known (an old
    service from the published list without dates)."""
    for day in (established_on, effective_from, approved_from):
        if day is not None:
            return day.year
    return None


def must_report(status: ServiceStatus, terminated_from: date | None, established: int | None,
                year: int) -> bool:
    """Whether a service owes a report on ``year``: from the first whole year after it was
    established, and for every year it was active in (a service terminated from 1 January of
    the year after still reports on its last year)."""
    if established is not None and year <= established:
        return False
    if status is ServiceStatus.TERMINATED and terminated_from is not None:
        return terminated_from > date(year, 1, 1)
    return status is not ServiceStatus.TERMINATED


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-zæøå]+", unicodedata.normalize("NFC", text.lower())))


def host_trust(location: str, trust_names: Iterable[str]) -> str | None:
    """The health trust that hosts a service, from the registry's place («Oslo
    universitetssykehus HF, Rikshospitalet»): the trust whose name the place begins with (the
    longest, when one name begins another); None when no trust matches. A multi-regional
    service's report is written by the first place named, its coordinating point (002 kap.
    III: «et forankringspunkt som er ansvarlig for felles rapportering»)."""
    place = _words(location)
    matches = [name for name in trust_names
               if (words := _words(name).removesuffix(" hf"))
               and (place == words or place.startswith(words + " "))]
    return max(matches, key=len) if matches else None


# --------------------------------------------------------------------------- the states


class ReportState(StrEnum):
    DRAFT = "utkast"
    SENT = "sendt_rhf"  # with the RHF, approved by the reference group
    RETURNED = "returnert"  # returned by the RHF for revision
    FORWARDED = "videresendt"  # forwarded by the RHF to Helsedirektoratet
    SUPPLEMENT_REQUESTED = "tillegg_etterspurt"  # Helsedirektoratet asks for more by 1 Sept
    ASSESSED = "vurdert"  # Helsedirektoratet has recorded its assessment

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: Mapping[ReportState, str] = {
    ReportState.DRAFT: "Utkast",
    ReportState.SENT: "Sendt til RHF",
    ReportState.RETURNED: "Returnert for bearbeiding",
    ReportState.FORWARDED: "Sendt til Helsedirektoratet",
    ReportState.SUPPLEMENT_REQUESTED: "Tilleggsrapportering etterspurt",
    ReportState.ASSESSED: "Vurdert av Helsedirektoratet",
}


class ReportAction(StrEnum):
    SEND = "send"  # the health trust sends it to the RHF
    RETURN = "return"  # the RHF returns it for revision
    FORWARD = "forward"  # the RHF forwards it to Helsedirektoratet
    REQUEST_SUPPLEMENT = "request_supplement"  # Helsedirektoratet asks for more
    ASSESS = "assess"  # Helsedirektoratet records its assessment


#: The one table of the report's life: (state, action) → the state after.
TRANSITIONS: Mapping[tuple[ReportState, ReportAction], ReportState] = {
    (ReportState.DRAFT, ReportAction.SEND): ReportState.SENT,
    (ReportState.RETURNED, ReportAction.SEND): ReportState.SENT,
    (ReportState.SUPPLEMENT_REQUESTED, ReportAction.SEND): ReportState.SENT,
    (ReportState.SENT, ReportAction.RETURN): ReportState.RETURNED,
    (ReportState.SENT, ReportAction.FORWARD): ReportState.FORWARDED,
    (ReportState.FORWARDED, ReportAction.REQUEST_SUPPLEMENT): ReportState.SUPPLEMENT_REQUESTED,
    (ReportState.FORWARDED, ReportAction.ASSESS): ReportState.ASSESSED,
    (ReportState.ASSESSED, ReportAction.ASSESS): ReportState.ASSESSED,  # a corrected assessment
    (ReportState.ASSESSED, ReportAction.REQUEST_SUPPLEMENT): ReportState.SUPPLEMENT_REQUESTED,
}

#: The health trust may change the report in these states.
EDITABLE = frozenset({ReportState.DRAFT, ReportState.RETURNED, ReportState.SUPPLEMENT_REQUESTED})
#: Sent: the RHF sees the report.
VISIBLE_TO_REGION = frozenset(ReportState) - {ReportState.DRAFT}
#: Forwarded: Helsedirektoratet sees the report (a supplement being written included).
VISIBLE_TO_DIRECTORATE = frozenset({ReportState.FORWARDED, ReportState.SUPPLEMENT_REQUESTED,
                                    ReportState.ASSESSED})
#: The health trust is shown Helsedirektoratet's latest assessment on its report.
ASSESSMENT_SHOWN = frozenset({ReportState.ASSESSED, ReportState.SUPPLEMENT_REQUESTED})
#: Counted as «has reported» in the RHF's inbox and the statistics.
REPORTED = frozenset({ReportState.SENT, ReportState.FORWARDED,
                      ReportState.SUPPLEMENT_REQUESTED, ReportState.ASSESSED})

_REFUSALS: Mapping[ReportAction, str] = {
    ReportAction.SEND: "Rapporten er allerede sendt.",
    ReportAction.RETURN: "Bare en rapport som er sendt til RHF, kan returneres.",
    ReportAction.FORWARD: "Bare en rapport som er sendt til RHF, kan sendes videre.",
    ReportAction.REQUEST_SUPPLEMENT: "Tilleggsrapportering kan bare bes om for en rapport "
                                     "Helsedirektoratet har mottatt.",
    ReportAction.ASSESS: "Bare en rapport Helsedirektoratet har mottatt, kan vurderes.",
}


def next_state(state: ReportState, action: ReportAction) -> ReportState:
    """The state after ``action``; a TransitionError with a Norwegian message when the action
    is not possible in ``state``."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TransitionError(_REFUSALS[action]) from None


# --------------------------------------------------------------------------- the reference group


@dataclass(frozen=True)
class ReferenceGroupApproval:
    """«vurdert og godkjent av tjenestens faglige referansegruppe» (004 kap. 4.4)."""

    day: date
    by: str  # who approved: the group's chair, or the meeting


def approval_problem(day: date | None, by: str, year: int, today: date) -> str | None:
    """Why a recorded approval cannot stand, in Norwegian; None when it can."""
    if day is None:
        return "Skriv datoen referansegruppen godkjente rapporten."
    if not by.strip():
        return "Skriv hvem som godkjente rapporten (for eksempel referansegruppens leder)."
    if day > today:
        return "Godkjenningsdatoen kan ikke være fram i tid."
    if day < date(year, 1, 1):
        return f"Godkjenningsdatoen kan ikke være før rapportåret {year} begynte."
    return None


def send_problem(approval: ReferenceGroupApproval | None, blocking_findings: int) -> str | None:
    """Why the report cannot be sent to the RHF yet; None when it can."""
    if blocking_findings:
        return ("Rapporten kan ikke sendes før alt som hindrer innsending, er rettet "
                f"({blocking_findings} gjenstår).")
    if approval is None:
        return ("Referansegruppens godkjenning må registreres før rapporten sendes til RHF "
                "(Veilederen kap. 4.4).")
    return None


def on_time(sent_on: date | None, year: int) -> bool:
    """Reached the RHF by the deadline (first sending; a return does not make it late)."""
    return sent_on is not None and sent_on <= due_date(year)


# --------------------------------------------------------------------------- the assessment


class AssessmentOutcome(StrEnum):
    FINE = "i_orden"
    FOLLOW_UP = "oppfolging"
    PROPOSE_CHANGE = "forslag_endring"
    PROPOSE_TERMINATION = "forslag_avvikling"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: Mapping[AssessmentOutcome, str] = {
    AssessmentOutcome.FINE: "Oppfyller kravene",
    AssessmentOutcome.FOLLOW_UP: "Oppfyller kravene, med punkter til oppfølging",
    AssessmentOutcome.PROPOSE_CHANGE: "Forslag om endring av tjenesten",
    AssessmentOutcome.PROPOSE_TERMINATION: "Forslag om avvikling av tjenesten",
}

#: Outcomes that need written points (what to follow up, what to change, why to terminate).
NEEDS_POINTS = frozenset({AssessmentOutcome.FOLLOW_UP, AssessmentOutcome.PROPOSE_CHANGE,
                          AssessmentOutcome.PROPOSE_TERMINATION})


# --------------------------------------------------------------------------- who may do what


@dataclass(frozen=True)
class ReportFacts:
    organisation_id: int  # the hosting health trust
    region: Region
    state: ReportState


def can_view(actor: Actor, report: ReportFacts) -> bool:
    match actor.role:
        case Role.APPLICANT:
            return report.organisation_id == actor.organisation_id
        case Role.COORDINATOR:
            return report.region == actor.region and report.state in VISIBLE_TO_REGION
        case Role.DIRECTORATE:
            return report.state in VISIBLE_TO_DIRECTORATE
        case _:
            return False


def can_edit(actor: Actor, report: ReportFacts) -> bool:
    return (actor.role is Role.APPLICANT and report.organisation_id == actor.organisation_id
            and report.state in EDITABLE)


def can_review(actor: Actor, report: ReportFacts) -> bool:
    """Return or forward: the coordinator of the report's region."""
    return actor.role is Role.COORDINATOR and report.region == actor.region


def can_assess(actor: Actor) -> bool:
    return actor.role is Role.DIRECTORATE


# --------------------------------------------------------------------------- from the application


def prefill_rows(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The rows of an approved application's table (its result goals, its plan for spreading
    competence) as the first rows of the report's table: the columns the two share are copied,
    the report's own columns (what was reached, and when) start empty. Empty rows are left
    out."""
    result = []
    for row in rows:
        copied = {column: str(row.get(column) or "").strip() for column in columns}
        if any(copied.values()):
            result.append(copied)
    return result
