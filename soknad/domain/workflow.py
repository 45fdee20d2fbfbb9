"""The application's states and the one table of allowed transitions.

draft → submitted → (returned → submitted)* → accepted | declined → in_joint_submission
→ sent_to_directorate → (information_requested → sent_to_directorate)*
→ approved | rejected | postponed → (postponed →) approved | rejected → established

Every change of state goes through ``transition``; the service layer is its only caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from soknad.domain.errors import TransitionError
from soknad.domain.roles import Role


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_JOINT_SUBMISSION = "in_joint_submission"
    SENT_TO_DIRECTORATE = "sent_to_directorate"
    INFORMATION_REQUESTED = "information_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    POSTPONED = "postponed"
    ESTABLISHED = "established"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.DRAFT: "Utkast",
    State.SUBMITTED: "Sendt til RHF",
    State.RETURNED: "Returnert for endring",
    State.ACCEPTED: "Godtatt av RHF for prioritering",
    State.DECLINED: "Avslått av RHF",
    State.IN_JOINT_SUBMISSION: "Med i samlet søknad",
    State.SENT_TO_DIRECTORATE: "Sendt til Helsedirektoratet",
    State.INFORMATION_REQUESTED: "Helsedirektoratet ber om mer informasjon",
    State.APPROVED: "Godkjent",
    State.REJECTED: "Avslått",
    State.POSTPONED: "Vedtak utsatt",
    State.ESTABLISHED: "Etablert",
}

#: States in which the health trust may edit its draft.
EDITABLE: frozenset[State] = frozenset({State.DRAFT, State.RETURNED})
#: States the RHF coordinator can see (a frozen, submitted snapshot exists).
VISIBLE_TO_REGION: frozenset[State] = frozenset(State) - {State.DRAFT}
#: States the directorate can see (the joint submission has been sent).
VISIBLE_TO_DIRECTORATE: frozenset[State] = frozenset(
    {State.SENT_TO_DIRECTORATE, State.INFORMATION_REQUESTED, State.APPROVED, State.REJECTED,
     State.POSTPONED, State.ESTABLISHED}
)
FINAL: frozenset[State] = frozenset({State.DECLINED, State.REJECTED, State.ESTABLISHED})


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    DECLINE = "decline"
    INCLUDE_IN_JOINT = "include_in_joint"
    SEND_TO_DIRECTORATE = "send_to_directorate"
    REQUEST_INFORMATION = "request_information"
    ANSWER_INFORMATION = "answer_information"
    APPROVE = "approve"
    REJECT = "reject"
    POSTPONE = "postpone"
    ESTABLISH = "establish"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[State]
    target: State
    roles: frozenset[Role]
    needs_reason: bool = False


def _rule(sources: set[State], target: State, roles: set[Role], *,
          needs_reason: bool = False) -> Rule:
    return Rule(frozenset(sources), target, frozenset(roles), needs_reason)


TRANSITIONS: dict[Action, Rule] = {
    Action.SUBMIT: _rule({State.DRAFT, State.RETURNED}, State.SUBMITTED, {Role.APPLICANT}),
    Action.RETURN: _rule({State.SUBMITTED}, State.RETURNED, {Role.COORDINATOR}, needs_reason=True),
    Action.ACCEPT: _rule({State.SUBMITTED}, State.ACCEPTED, {Role.COORDINATOR}),
    Action.DECLINE: _rule({State.SUBMITTED}, State.DECLINED, {Role.COORDINATOR}, needs_reason=True),
    Action.INCLUDE_IN_JOINT: _rule({State.ACCEPTED}, State.IN_JOINT_SUBMISSION, {Role.COORDINATOR}),
    Action.SEND_TO_DIRECTORATE: _rule(
        {State.IN_JOINT_SUBMISSION}, State.SENT_TO_DIRECTORATE, {Role.COORDINATOR}
    ),
    Action.REQUEST_INFORMATION: _rule(
        {State.SENT_TO_DIRECTORATE}, State.INFORMATION_REQUESTED, {Role.DIRECTORATE},
        needs_reason=True,
    ),
    Action.ANSWER_INFORMATION: _rule(
        {State.INFORMATION_REQUESTED}, State.SENT_TO_DIRECTORATE, {Role.COORDINATOR, Role.APPLICANT}
    ),
    Action.APPROVE: _rule({State.SENT_TO_DIRECTORATE, State.POSTPONED}, State.APPROVED,
                          {Role.DIRECTORATE}),
    Action.REJECT: _rule({State.SENT_TO_DIRECTORATE, State.POSTPONED}, State.REJECTED,
                         {Role.DIRECTORATE}, needs_reason=True),
    Action.POSTPONE: _rule({State.SENT_TO_DIRECTORATE}, State.POSTPONED, {Role.DIRECTORATE}),
    Action.ESTABLISH: _rule({State.APPROVED}, State.ESTABLISHED, {Role.COORDINATOR, Role.ADMIN}),
}


def transition(current: State, action: Action, role: Role, reason: str = "") -> State:
    """Return the state after ``action``, or raise ``TransitionError`` with a Norwegian message."""
    rule = TRANSITIONS[action]
    if role not in rule.roles:
        raise TransitionError(f"Rollen «{role.label}» kan ikke utføre denne handlingen.")
    if current not in rule.sources:
        raise TransitionError(
            f"Handlingen er ikke mulig når søknaden har status «{current.label}»."
        )
    if rule.needs_reason and not reason.strip():
        raise TransitionError("Oppgi en begrunnelse.")
    return rule.target
