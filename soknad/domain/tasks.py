"""The start page's task list («Dine oppgaver»): what each role has to do now, counted, with
the deadline that applies. Pure: the service (``soknad.services.tasks``) gathers the rows and
says where each task is done; this module words, groups and orders them.

Whose task is what (DOMAIN.md "The round and its states"; seed 002 ch. II.1, 004 ch. 4.1):

- a health trust: drafts not sent to its RHF and applications returned for revision (both due
  by the region's internal deadline, or the extension the RHF granted that application), and
  questions from Helsedirektoratet (due by the date Helsedirektoratet set);
- an RHF coordinator: applications waiting for review, the national list waiting for the
  region's consent, the coordinating RHF's proposal and the joint submission to send (all
  due by 15 January of the round's year), questions from Helsedirektoratet, and the region's
  approved services not yet registered as established (by the day ``domain.decisions`` gives);
- Helsedirektoratet: received applications waiting for a decision (1 December of the round's
  year; a postponed one by its final decision date) and answers received to its questions;
- an administrator: e-mail the outbox could not send, and open rounds without a coordinating
  RHF (no national list can be made until one is set).

The annual reports (004 ch. 4.4, 002 ch. IV) add, from 1 January to 1 September of the year after
the year reported on: for a health trust its reports not sent to the RHF (due 15 March); at any
time, reports returned by its RHF and supplements Helsedirektoratet asked for (due 1 September);
for an RHF the received reports not yet forwarded; for Helsedirektoratet the forwarded reports
not yet assessed (due 1 June).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from soknad.domain.calendar import format_date
from soknad.domain.reports import report_year
from soknad.domain.words import amount


class TaskKind(StrEnum):
    DRAFT = "draft"
    RETURNED = "returned"
    QUESTION = "question"
    REVIEW = "review"
    PROPOSE = "propose"
    CONSENT = "consent"
    SEND_JOINT = "send_joint"
    DECIDE = "decide"
    DECIDE_POSTPONED = "decide_postponed"
    ANSWER_RECEIVED = "answer_received"
    NOT_ESTABLISHED = "not_established"
    FAILED_MAIL = "failed_mail"
    NO_COORDINATING_REGION = "no_coordinating_region"
    REPORT_UNSENT = "report_unsent"
    REPORT_RETURNED = "report_returned"
    REPORT_SUPPLEMENT = "report_supplement"
    REPORT_TO_FORWARD = "report_to_forward"
    REPORT_TO_ASSESS = "report_to_assess"


#: How a counted task reads: (one, many), after the number.
WORDS: Mapping[TaskKind, tuple[str, str]] = {
    TaskKind.DRAFT: ("utkast er ikke sendt til RHF", "utkast er ikke sendt til RHF"),
    TaskKind.RETURNED: ("søknad er returnert for endring og ikke sendt inn på nytt",
                        "søknader er returnert for endring og ikke sendt inn på nytt"),
    TaskKind.QUESTION: ("spørsmål fra Helsedirektoratet venter på svar",
                        "spørsmål fra Helsedirektoratet venter på svar"),
    TaskKind.REVIEW: ("søknad venter på behandling", "søknader venter på behandling"),
    TaskKind.PROPOSE: ("godtatt søknad venter på forslag til nasjonal liste",
                       "godtatte søknader venter på forslag til nasjonal liste"),
    TaskKind.DECIDE: ("søknad venter på vedtak", "søknader venter på vedtak"),
    TaskKind.DECIDE_POSTPONED: ("utsatt søknad venter på endelig vedtak",
                                "utsatte søknader venter på endelig vedtak"),
    TaskKind.ANSWER_RECEIVED: ("svar på spørsmål til RHF er mottatt",
                               "svar på spørsmål til RHF er mottatt"),
    TaskKind.NOT_ESTABLISHED: ("godkjent tjeneste er ikke registrert som etablert",
                               "godkjente tjenester er ikke registrert som etablert"),
    TaskKind.FAILED_MAIL: ("e-post kunne ikke sendes og prøves på nytt",
                           "e-poster kunne ikke sendes og prøves på nytt"),
    TaskKind.REPORT_UNSENT: ("årsrapport er ikke sendt til RHF",
                             "årsrapporter er ikke sendt til RHF"),
    TaskKind.REPORT_RETURNED: ("årsrapport er returnert for bearbeiding og ikke sendt på nytt",
                               "årsrapporter er returnert for bearbeiding og ikke sendt på nytt"),
    TaskKind.REPORT_SUPPLEMENT: ("årsrapport venter på tilleggsrapportering",
                                 "årsrapporter venter på tilleggsrapportering"),
    TaskKind.REPORT_TO_FORWARD: ("mottatt årsrapport er ikke sendt videre til Helsedirektoratet",
                                 "mottatte årsrapporter er ikke sendt videre til "
                                 "Helsedirektoratet"),
    TaskKind.REPORT_TO_ASSESS: ("årsrapport venter på vurdering",
                                "årsrapporter venter på vurdering"),
}

#: The order of tasks that share a deadline (the order of the work in a round).
ORDER: tuple[TaskKind, ...] = tuple(TaskKind)


@dataclass(frozen=True)
class Link:
    """Where a task is done: an endpoint, its values and an anchor on the page."""

    endpoint: str
    values: Mapping[str, object] = field(default_factory=dict)
    anchor: str = ""


@dataclass(frozen=True)
class Task:
    kind: TaskKind
    count: int
    link: Link
    deadline: date | None = None
    overdue: bool = False
    round_year: int | None = None  # shown where the round tells tasks apart
    #: For a task that is not counted (the national list, the joint submission): its text.
    fixed_text: str = ""

    @property
    def text(self) -> str:
        """«3 søknader venter på behandling»; a round named first where it matters."""
        if self.fixed_text:
            return self.fixed_text
        text = amount(self.count, *WORDS[self.kind])
        return f"Søknadsrunde {self.round_year}: {text}" if self.round_year else text

    @property
    def deadline_text(self) -> str:
        """«frist 1. desember 2026», «fristen gikk ut 1. desember 2026», or empty."""
        if self.deadline is None:
            return ""
        day = format_date(self.deadline)
        return f"fristen gikk ut {day}" if self.overdue else f"frist {day}"


@dataclass(frozen=True)
class Due:
    """One thing to do: an application (or other object) id, its deadline and its round."""

    item_id: int
    deadline: date | None
    round_year: int


LinkOf = Callable[[Due], Link]


def grouped(kind: TaskKind, items: Iterable[Due], today: date, *, one: LinkOf, many: LinkOf,
            by_round: bool = False) -> list[Task]:
    """One task per deadline (and per round when ``by_round``), counting its items. A task of
    one item links to where that item is done (``one``), of several to their list (``many``)."""
    groups: dict[tuple[date | None, int | None], list[Due]] = {}
    for item in items:
        groups.setdefault((item.deadline, item.round_year if by_round else None), []).append(item)
    return [
        Task(kind, len(found), one(found[0]) if len(found) == 1 else many(found[0]),
             deadline, overdue=deadline is not None and deadline < today,
             round_year=round_year)
        for (deadline, round_year), found in groups.items()
    ]


def ordered(tasks: Iterable[Task]) -> list[Task]:
    """Nearest deadline first (those without one last), then in the round's order of work."""
    return sorted(tasks, key=lambda task: (task.deadline is None, task.deadline or date.min,
                                           ORDER.index(task.kind), task.round_year or 0))


# --------------------------------------------------------------------------- the round's dates


def joint_deadline(round_year: int) -> date:
    """The RHFs' joint, prioritised submission to Helsedirektoratet (002 ch. II.1)."""
    return date(round_year, 1, 15)


def decision_deadline(round_year: int) -> date:
    """Helsedirektoratet's decisions on the round's applications (002 ch. II.1)."""
    return date(round_year, 12, 1)


def consent_text(region_label: str, round_year: int, version: int) -> str:
    return (f"Den nasjonale listen for søknadsrunden {round_year} (versjon {version}) venter "
            f"på samtykke fra {region_label} RHF")


def send_joint_text(round_year: int) -> str:
    return (f"Den samlede søknaden for søknadsrunden {round_year} er klar til å sendes til "
            "Helsedirektoratet")


def no_coordinating_region_text(round_year: int) -> str:
    return (f"Ingen RHF er satt til å koordinere søknadsrunden {round_year}, så den nasjonale "
            "listen kan ikke lages")


def reports_owed_now(today: date) -> int | None:
    """The year whose unsent reports are a health trust's task on ``today``: from 1 January
    after the year reported on until supplementary reporting closes on 1 September; None
    outside that time (the year being reported on has not ended yet)."""
    year = report_year(today)
    return year if year < today.year else None
