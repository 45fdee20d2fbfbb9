"""Who may see and change what: the one access policy, as predicates over plain values.

The web layer asks these questions for every object it loads; a "no" to ``can_view`` answers
404 (so that another organisation's ids reveal nothing), a "no" to ``can_edit`` on something
visible is refused with a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.workflow import EDITABLE, VISIBLE_TO_DIRECTORATE, VISIBLE_TO_REGION, State


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    organisation_id: int
    region: Region | None


@dataclass(frozen=True)
class ApplicationFacts:
    """What the policy needs to know about an application."""

    organisation_id: int
    region: Region
    state: State


def can_view(actor: Actor, application: ApplicationFacts) -> bool:
    """Applicants see their own health trust's applications, drafts included; coordinators see
    their region's submitted ones; the directorate sees what has been sent to it. Admins manage
    users and rounds but do not read applications."""
    match actor.role:
        case Role.APPLICANT:
            return application.organisation_id == actor.organisation_id
        case Role.COORDINATOR:
            return application.region == actor.region and application.state in VISIBLE_TO_REGION
        case Role.DIRECTORATE:
            return application.state in VISIBLE_TO_DIRECTORATE
        case _:
            return False


def can_view_draft(actor: Actor, application: ApplicationFacts) -> bool:
    """Only the health trust itself reads the live draft; everyone else reads snapshots."""
    return actor.role is Role.APPLICANT and application.organisation_id == actor.organisation_id


def can_edit(actor: Actor, application: ApplicationFacts) -> bool:
    return can_view_draft(actor, application) and application.state in EDITABLE


def can_create_application(actor: Actor) -> bool:
    return actor.role is Role.APPLICANT


def can_manage_users(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def can_record_establishment(actor: Actor, application: ApplicationFacts) -> bool:
    """The RHF responsible for the region records that an approved service has been
    established: the health trust establishes it, the region's RHF follows it up and answers
    for it (DOMAIN.md "The process"; 002 ch. II.1, 004 ch. 4.1). Nobody else; only while
    the application is approved and not yet established."""
    return (actor.role is Role.COORDINATOR and application.region == actor.region
            and application.state is State.APPROVED)


def can_do_casework(actor: Actor) -> bool:
    """Helsedirektoratet's own case work, a case handler and internal notes, is for its own
    users only: never a health trust, an RHF or an administrator (deny by default)."""
    match actor.role:
        case Role.DIRECTORATE:
            return True
        case _:
            return False


def can_be_case_handler(candidate: Actor, *, active: bool) -> bool:
    """Only an active user of Helsedirektoratet can be a case's handler."""
    return active and can_do_casework(candidate)
