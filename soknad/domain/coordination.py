"""The RHFs' coordination of a round, as plain rules.

The regulation: "De regionale helseforetakene skal samordne og prioritere søknadene ut fra
nasjonale behov" and send one joint application "med prioritering av forslagene" to
Helsedirektoratet by 15 January (seed 002 ch. II.1; seed 004 ch. 4.1). Each RHF ranks its own
region's accepted applications; one RHF (set for the round) builds the national list from the
four rankings; all four consent to the same version of it, and then it locks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import zip_longest

from soknad.domain.dates import long_date
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region

#: The order the regulation lists the regions in; the merge takes them in this order.
REGION_ORDER: tuple[Region, ...] = tuple(Region)

MERGE_RULE = (
    "Forslaget fletter de fire regionale prioriteringene: først hver regions nummer 1, i "
    "rekkefølgen Helse Sør-Øst, Helse Vest, Helse Midt-Norge og Helse Nord, deretter hver "
    "regions nummer 2 i samme rekkefølge, og så videre. En region som har færre søknader, "
    "hoppes over når den er tom. Forslaget er et utgangspunkt: det koordinerende RHF kan "
    "flytte søknadene før de fire RHF-ene samtykker."
)


class ListError(DomainError):
    """A change to a ranking or to the national list that cannot be made."""


def merge_rankings(rankings: Mapping[Region, Sequence[int]]) -> list[int]:
    """The proposed national list: round-robin over the regions' rankings, rank by rank, the
    regions in ``REGION_ORDER`` (see ``MERGE_RULE``). Each id appears once."""
    merged: list[int] = []
    columns = [rankings.get(region, ()) for region in REGION_ORDER]
    for rank_row in zip_longest(*columns):
        merged.extend(item for item in rank_row if item is not None and item not in merged)
    return merged


class Direction(StrEnum):
    UP = "opp"
    DOWN = "ned"


def move(order: Sequence[int], item: int, *, direction: Direction | None = None,
         position: int | None = None) -> list[int]:
    """``order`` with ``item`` moved one step (``direction``) or to ``position`` (1-based).
    Moving the first item up or the last down changes nothing."""
    if item not in order:
        raise ListError("Søknaden står ikke i listen.")
    result = [other for other in order if other != item]
    current = list(order).index(item)
    if position is not None:
        if not 1 <= position <= len(order):
            raise ListError(f"Plassen må være et tall fra 1 til {len(order)}.")
        target = position - 1
    elif direction is Direction.UP:
        target = max(current - 1, 0)
    elif direction is Direction.DOWN:
        target = min(current + 1, len(order) - 1)
    else:
        raise ListError("Velg hvor søknaden skal flyttes.")
    result.insert(target, item)
    return result


def reconcile(order: Sequence[int], members: Iterable[int]) -> list[int]:
    """Keep ``order`` for the ids still among ``members``; add new members last, in the
    order given. Used when the set of accepted applications changes under a ranking."""
    wanted = list(dict.fromkeys(members))
    kept = [item for item in order if item in wanted]
    return kept + [item for item in wanted if item not in kept]


# --------------------------------------------------------------------------- consent


class Decision(StrEnum):
    CONSENT = "consent"
    DISSENT = "dissent"

    @property
    def label(self) -> str:
        return "Samtykker" if self is Decision.CONSENT else "Samtykker ikke (dissens)"


@dataclass(frozen=True)
class Answer:
    region: Region
    list_version: int
    decision: Decision


@dataclass(frozen=True)
class ConsentStatus:
    version: int
    consented: tuple[Region, ...]
    dissented: tuple[Region, ...]
    waiting: tuple[Region, ...]

    @property
    def complete(self) -> bool:
        """All four regions have consented to this version: the list may lock."""
        return not self.waiting and not self.dissented


def consent_status(version: int, answers: Iterable[Answer]) -> ConsentStatus:
    """Where the four regions stand on ``version``. Answers to earlier versions do not count:
    any change to the list clears every consent. A region's latest answer counts."""
    latest: dict[Region, Decision] = {}
    for answer in answers:
        if answer.list_version == version:
            latest[answer.region] = answer.decision
    return ConsentStatus(
        version=version,
        consented=tuple(r for r in REGION_ORDER if latest.get(r) is Decision.CONSENT),
        dissented=tuple(r for r in REGION_ORDER if latest.get(r) is Decision.DISSENT),
        waiting=tuple(r for r in REGION_ORDER if r not in latest),
    )


def check_answer(decision: Decision, comment: str, *, locked: bool) -> None:
    if locked:
        raise ListError("Listen er låst fordi alle fire RHF-er har samtykket.")
    if decision is Decision.DISSENT and not comment.strip():
        raise ListError("Skriv en kommentar som forklarer dissensen.")


# --------------------------------------------------------------------------- deadlines


def last_submit_day(internal_deadline: date | None,
                    extended_to: date | None = None) -> date | None:
    """The last day a health trust may submit an application: the region's internal deadline,
    or the extension the coordinator granted to that one application when it is later (an
    extension never shortens the deadline); None while the region has set no deadline."""
    return max((day for day in (internal_deadline, extended_to) if day is not None),
               default=None)


def may_submit(today: date, internal_deadline: date | None,
               extended_to: date | None = None) -> bool:
    """A health trust may submit until the end of the last submit day (if there is one)."""
    last_day = last_submit_day(internal_deadline, extended_to)
    return last_day is None or today <= last_day


def deadline_message(internal_deadline: date, region: Region) -> str:
    return (f"Fristen for å sende inn søknader til {region.label} RHF gikk ut "
            f"{long_date(internal_deadline)}. Kontakt {region.label} RHF hvis dere trenger "
            "utsatt frist.")
