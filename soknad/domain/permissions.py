"""Who may see and change what: the one access policy, as predicates over plain values.

The web layer asks these questions for every object it loads; a "no" to ``can_view`` answers
404 (so that another organisation's ids reveal nothing), a "no" to ``can_edit`` on something
visible is refused with a message.

Reading across regions is a right of its own (``can_read_across``), asked only by the read-only
pages for other regions (``soknad.web.cross_region``), never by the pages where the owning RHF
works: ``can_view`` stays the owning region's, so no review, return, ranking or comment page
opens to another region through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    #: The application stands on its round's national priority list (any version, locked or
    #: not): the list the four RHFs are asked to consent to.
    on_national_list: bool = False
    #: The regions of the partner health trusts a submitted multi-regional application names
    #: (``partner_hf``), the owner's own region never among them.
    partner_regions: frozenset[Region] = field(default_factory=frozenset)


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


#: While the RHFs still work on an application (before the joint submission is sent), the
#: partner region may comment on it in its own name.
PARTNER_COMMENT_STATES: frozenset[State] = frozenset(
    {State.SUBMITTED, State.RETURNED, State.ACCEPTED, State.IN_JOINT_SUBMISSION})


def can_read_across(actor: Actor, application: ApplicationFacts) -> bool:
    """Another region's coordinator reads (never edits) a submitted application when it stands
    on the national list that every RHF must consent to ("De regionale helseforetakene skal
    samordne og prioritere søknadene ut i fra nasjonale behov", Veileder for nasjonale tjenester
    i spesialisthelsetjenesten kap. II.1), or when its region is the partner region of a
    multi-regional application ("en tjeneste som drives fra to helseforetak i to forskjellige
    regioner", kap. II.2). The live draft stays the health trust's: only a submitted, frozen
    version is ever read this way."""
    if actor.role is not Role.COORDINATOR or actor.region is None:
        return False
    if application.state not in VISIBLE_TO_REGION or application.region == actor.region:
        return False
    return application.on_national_list or actor.region in application.partner_regions


def can_comment_as_partner(actor: Actor, application: ApplicationFacts) -> bool:
    """The partner region comments, in its own region's name, on a multi-regional application
    while the RHFs work on it; a region that only reads it from the national list does not."""
    return (can_read_across(actor, application)
            and actor.region in application.partner_regions
            and application.state in PARTNER_COMMENT_STATES)
