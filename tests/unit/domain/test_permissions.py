"""The access policy as a table: role × own/other organisation × same/other region × state."""

from __future__ import annotations

import itertools

import pytest

from soknad.domain.organisations import Region
from soknad.domain.permissions import (
    Actor,
    ApplicationFacts,
    can_be_case_handler,
    can_comment_as_partner,
    can_create_application,
    can_do_casework,
    can_edit,
    can_manage_users,
    can_read_across,
    can_record_establishment,
    can_view,
    can_view_draft,
)
from soknad.domain.roles import Role
from soknad.domain.workflow import State

OWN_ORGANISATION = 10
OTHER_ORGANISATION = 20
HOME = Region.VEST

# What the directorate sees: the joint submission and everything after it.
DIRECTORATE_STATES = {State.SENT_TO_DIRECTORATE, State.INFORMATION_REQUESTED, State.APPROVED,
                      State.REJECTED, State.POSTPONED, State.ESTABLISHED}


def actor(role: Role) -> Actor:
    region = HOME if role in {Role.APPLICANT, Role.COORDINATOR} else None
    return Actor(user_id=1, role=role, organisation_id=OWN_ORGANISATION, region=region)


def expected(role: Role, own: bool, same_region: bool, state: State) -> tuple[bool, bool, bool]:
    """(can_view, can_view_draft, can_edit), written from the policy's prose."""
    match role:
        case Role.APPLICANT:
            # The health trust sees all its own applications, drafts included, and edits a
            # draft or a returned application.
            return own, own, own and state in {State.DRAFT, State.RETURNED}
        case Role.COORDINATOR:
            # The RHF sees its region's applications once submitted; it never edits them.
            return same_region and state is not State.DRAFT, False, False
        case Role.DIRECTORATE:
            return state in DIRECTORATE_STATES, False, False
        case _:
            # Admins manage users and rounds; they do not read applications.
            return False, False, False


CASES = [
    pytest.param(role, own, same_region, state,
                 id=f"{role}-{'own' if own else 'other'}-{'same' if same_region else 'other'}"
                    f"-region-{state}")
    for role, own, same_region, state in itertools.product(
        Role, [True, False], [True, False], State)
]


@pytest.mark.parametrize(("role", "own", "same_region", "state"), CASES)
def test_permissions_view_draft_and_edit(role: Role, own: bool, same_region: bool,
                                         state: State) -> None:
    application = ApplicationFacts(
        organisation_id=OWN_ORGANISATION if own else OTHER_ORGANISATION,
        region=HOME if same_region else Region.NORD,
        state=state,
    )
    who = actor(role)
    assert (can_view(who, application), can_view_draft(who, application),
            can_edit(who, application)) == expected(role, own, same_region, state)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("state", list(State))
def test_permissions_edit_implies_view_draft_implies_view(role: Role, state: State) -> None:
    for own, same_region in itertools.product([True, False], [True, False]):
        application = ApplicationFacts(
            organisation_id=OWN_ORGANISATION if own else OTHER_ORGANISATION,
            region=HOME if same_region else Region.MIDT_NORGE, state=state)
        who = actor(role)
        if can_edit(who, application):
            assert can_view_draft(who, application)
        if can_view_draft(who, application):
            assert can_view(who, application)


def test_permissions_coordinator_without_region_sees_nothing() -> None:
    coordinator = Actor(user_id=2, role=Role.COORDINATOR, organisation_id=5, region=None)
    for region, state in itertools.product(Region, State):
        assert not can_view(coordinator, ApplicationFacts(OWN_ORGANISATION, region, state))


@pytest.mark.parametrize(
    ("role", "create", "manage_users"),
    [
        (Role.APPLICANT, True, False),
        (Role.COORDINATOR, False, False),
        (Role.DIRECTORATE, False, False),
        (Role.ADMIN, False, True),
    ],
)
def test_permissions_create_and_manage_users(role: Role, create: bool,
                                             manage_users: bool) -> None:
    assert can_create_application(actor(role)) is create
    assert can_manage_users(actor(role)) is manage_users


@pytest.mark.parametrize(("role", "same_region", "state"),
                         list(itertools.product(Role, [True, False], State)))
def test_only_the_regions_rhf_records_that_an_approved_service_is_established(
        role: Role, same_region: bool, state: State) -> None:
    application = ApplicationFacts(OWN_ORGANISATION, HOME if same_region else Region.NORD, state)
    allowed = role is Role.COORDINATOR and same_region and state is State.APPROVED
    assert can_record_establishment(actor(role), application) is allowed


@pytest.mark.parametrize(("role", "casework", "handler"), [
    (Role.APPLICANT, False, False),
    (Role.COORDINATOR, False, False),
    (Role.DIRECTORATE, True, True),
    (Role.ADMIN, False, False),  # an administrator manages users, not cases
])
def test_only_the_directorate_does_its_case_work(role: Role, casework: bool,
                                                 handler: bool) -> None:
    assert can_do_casework(actor(role)) is casework
    assert can_be_case_handler(actor(role), active=True) is handler
    assert can_be_case_handler(actor(role), active=False) is False



# --------------------------------------------------------------------------- across regions

OTHER = Region.NORD  # the region the application comes from, when it is not the actor's
WHILE_RHFS_WORK = {State.SUBMITTED, State.RETURNED, State.ACCEPTED, State.IN_JOINT_SUBMISSION}


def across(role: Role, same_region: bool, listed: bool, partner: bool,
           state: State) -> tuple[bool, bool]:
    """(can_read_across, can_comment_as_partner), written from the policy's prose."""
    if role is not Role.COORDINATOR or same_region or state is State.DRAFT:
        # Only another region's RHF, and never a draft (the owner reviews on its own pages).
        return False, False
    # Another region reads what stands on the national list, or what names it as partner;
    # only the partner comments, and only until the joint submission is sent.
    return listed or partner, partner and state in WHILE_RHFS_WORK


ACROSS_CASES = [
    pytest.param(role, same_region, listed, partner, state,
                 id=f"{role}-{'same' if same_region else 'other'}-region"
                    f"-{'listed' if listed else 'unlisted'}-{'partner' if partner else 'none'}"
                    f"-{state}")
    for role, same_region, listed, partner, state in itertools.product(
        Role, [True, False], [True, False], [True, False], State)
]


@pytest.mark.parametrize(("role", "same_region", "listed", "partner", "state"), ACROSS_CASES)
def test_permissions_read_across_regions(role: Role, same_region: bool, listed: bool,
                                         partner: bool, state: State) -> None:
    region = HOME if same_region else OTHER
    application = ApplicationFacts(
        OTHER_ORGANISATION, region, state, on_national_list=listed,
        partner_regions=frozenset({HOME}) if partner and not same_region else frozenset())
    who = actor(role)
    assert (can_read_across(who, application),
            can_comment_as_partner(who, application)) == across(role, same_region, listed,
                                                                 partner, state)
    # Reading across never opens the draft, editing, or the owner's own pages.
    assert not can_view_draft(who, application) or role is Role.APPLICANT
    assert not can_edit(who, application) or role is Role.APPLICANT
    if role is Role.COORDINATOR and not same_region:
        assert not can_view(who, application)
        assert not can_record_establishment(who, application)


@pytest.mark.parametrize("partner", list(Region))
def test_permissions_a_partner_in_a_third_region_opens_nothing_for_the_others(
        partner: Region) -> None:
    application = ApplicationFacts(OTHER_ORGANISATION, Region.SOR_OST, State.SUBMITTED,
                                   partner_regions=frozenset({partner}))
    for region in Region:
        who = Actor(user_id=3, role=Role.COORDINATOR, organisation_id=7, region=region)
        allowed = region is partner and region is not Region.SOR_OST
        assert can_read_across(who, application) is allowed
        assert can_comment_as_partner(who, application) is allowed


def test_permissions_a_coordinator_without_region_reads_nothing_across() -> None:
    coordinator = Actor(user_id=2, role=Role.COORDINATOR, organisation_id=5, region=None)
    for state in State:
        facts = ApplicationFacts(OWN_ORGANISATION, Region.VEST, state, on_national_list=True,
                                 partner_regions=frozenset(Region))
        assert not can_read_across(coordinator, facts)
        assert not can_comment_as_partner(coordinator, facts)
