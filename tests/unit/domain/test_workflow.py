"""The workflow's transition table, every action × every state × every role."""

from __future__ import annotations

import itertools

import pytest

from soknad.domain.errors import TransitionError
from soknad.domain.roles import Role
from soknad.domain.workflow import (
    EDITABLE,
    FINAL,
    TRANSITIONS,
    VISIBLE_TO_DIRECTORATE,
    VISIBLE_TO_REGION,
    Action,
    State,
    transition,
)

A, S, R = Action, State, Role

# The flow of 002 ch. II.1, written out independently of workflow.TRANSITIONS:
# (action, from state, role) → (to state, needs a reason).
ALLOWED: dict[tuple[Action, State, Role], tuple[State, bool]] = {
    (A.SUBMIT, S.DRAFT, R.APPLICANT): (S.SUBMITTED, False),
    (A.SUBMIT, S.RETURNED, R.APPLICANT): (S.SUBMITTED, False),
    (A.RETURN, S.SUBMITTED, R.COORDINATOR): (S.RETURNED, True),
    (A.ACCEPT, S.SUBMITTED, R.COORDINATOR): (S.ACCEPTED, False),
    (A.DECLINE, S.SUBMITTED, R.COORDINATOR): (S.DECLINED, True),
    (A.INCLUDE_IN_JOINT, S.ACCEPTED, R.COORDINATOR): (S.IN_JOINT_SUBMISSION, False),
    (A.SEND_TO_DIRECTORATE, S.IN_JOINT_SUBMISSION, R.COORDINATOR):
        (S.SENT_TO_DIRECTORATE, False),
    (A.REQUEST_INFORMATION, S.SENT_TO_DIRECTORATE, R.DIRECTORATE):
        (S.INFORMATION_REQUESTED, True),
    (A.ANSWER_INFORMATION, S.INFORMATION_REQUESTED, R.COORDINATOR):
        (S.SENT_TO_DIRECTORATE, False),
    (A.ANSWER_INFORMATION, S.INFORMATION_REQUESTED, R.APPLICANT):
        (S.SENT_TO_DIRECTORATE, False),
    (A.APPROVE, S.SENT_TO_DIRECTORATE, R.DIRECTORATE): (S.APPROVED, False),
    (A.APPROVE, S.POSTPONED, R.DIRECTORATE): (S.APPROVED, False),
    (A.REJECT, S.SENT_TO_DIRECTORATE, R.DIRECTORATE): (S.REJECTED, True),
    (A.REJECT, S.POSTPONED, R.DIRECTORATE): (S.REJECTED, True),
    (A.POSTPONE, S.SENT_TO_DIRECTORATE, R.DIRECTORATE): (S.POSTPONED, False),
    (A.ESTABLISH, S.APPROVED, R.COORDINATOR): (S.ESTABLISHED, False),
    (A.ESTABLISH, S.APPROVED, R.ADMIN): (S.ESTABLISHED, False),
}

EVERY_COMBINATION = list(itertools.product(Action, State, Role))
ALLOWED_CASES = [pytest.param(*key, *value, id=f"{key[0]}-{key[1]}-{key[2]}")
                 for key, value in ALLOWED.items()]
REFUSED_CASES = [pytest.param(action, state, role, id=f"{action}-{state}-{role}")
                 for action, state, role in EVERY_COMBINATION
                 if (action, state, role) not in ALLOWED]


def test_transition_table_matches_the_documented_flow() -> None:
    from_table = {
        (action, source, role): (rule.target, rule.needs_reason)
        for action, rule in TRANSITIONS.items() for source in rule.sources for role in rule.roles
    }
    assert from_table == ALLOWED
    assert set(TRANSITIONS) == set(Action)


@pytest.mark.parametrize(("action", "state", "role", "target", "needs_reason"), ALLOWED_CASES)
def test_transition_allowed_gives_the_target(action: Action, state: State, role: Role,
                                             target: State, needs_reason: bool) -> None:
    assert transition(state, action, role, "Begrunnelse fra saksbehandler.") is target
    if not needs_reason:
        assert transition(state, action, role) is target


@pytest.mark.parametrize(("action", "state", "role"),
                         [pytest.param(*key, id=f"{key[0]}-{key[1]}-{key[2]}") for key in ALLOWED])
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_transition_without_reason_is_refused_where_one_is_needed(
        action: Action, state: State, role: Role, reason: str) -> None:
    target, needs_reason = ALLOWED[action, state, role]
    if not needs_reason:
        assert transition(state, action, role, reason) is target
        return
    with pytest.raises(TransitionError) as error:
        transition(state, action, role, reason)
    assert str(error.value) == "Oppgi en begrunnelse."


@pytest.mark.parametrize(("action", "state", "role"), REFUSED_CASES)
def test_transition_not_in_the_table_is_refused_in_norwegian(action: Action, state: State,
                                                             role: Role) -> None:
    with pytest.raises(TransitionError) as error:
        transition(state, action, role, "En begrunnelse.")
    rule = TRANSITIONS[action]
    if role not in rule.roles:
        assert str(error.value) == f"Rollen «{role.label}» kan ikke utføre denne handlingen."
    else:
        assert str(error.value) == (
            f"Handlingen er ikke mulig når søknaden har status «{state.label}»."
        )


def test_transition_refused_cases_cover_every_other_combination() -> None:
    assert len(ALLOWED_CASES) + len(REFUSED_CASES) == len(Action) * len(State) * len(Role)
    assert len(ALLOWED_CASES) == 17


@pytest.mark.parametrize("state", sorted(FINAL))
def test_final_state_has_no_way_out(state: State) -> None:
    for action, role in itertools.product(Action, Role):
        with pytest.raises(TransitionError):
            transition(state, action, role, "En begrunnelse.")


@pytest.mark.parametrize("state", sorted(set(State) - FINAL))
def test_non_final_state_has_a_way_on(state: State) -> None:
    assert any(state in rule.sources for rule in TRANSITIONS.values())


def test_every_state_is_reachable_from_draft() -> None:
    reached, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        current = frontier.pop()
        for rule in TRANSITIONS.values():
            if current in rule.sources and rule.target not in reached:
                reached.add(rule.target)
                frontier.append(rule.target)
    assert reached == set(State)


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        pytest.param(EDITABLE, {S.DRAFT, S.RETURNED}, id="editable"),
        pytest.param(VISIBLE_TO_REGION, set(State) - {S.DRAFT}, id="region"),
        pytest.param(VISIBLE_TO_DIRECTORATE,
                     {S.SENT_TO_DIRECTORATE, S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED,
                      S.POSTPONED, S.ESTABLISHED}, id="directorate"),
        pytest.param(FINAL, {S.DECLINED, S.REJECTED, S.ESTABLISHED}, id="final"),
    ],
)
def test_state_sets(states: frozenset[State], expected: set[State]) -> None:
    assert states == expected


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (S.DRAFT, "Utkast"),
        (S.SUBMITTED, "Sendt til RHF"),
        (S.RETURNED, "Returnert for endring"),
        (S.ACCEPTED, "Godtatt av RHF for prioritering"),
        (S.DECLINED, "Avslått av RHF"),
        (S.IN_JOINT_SUBMISSION, "Med i samlet søknad"),
        (S.SENT_TO_DIRECTORATE, "Sendt til Helsedirektoratet"),
        (S.INFORMATION_REQUESTED, "Helsedirektoratet ber om mer informasjon"),
        (S.APPROVED, "Godkjent"),
        (S.REJECTED, "Avslått"),
        (S.POSTPONED, "Vedtak utsatt"),
        (S.ESTABLISHED, "Etablert"),
    ],
)
def test_state_label_is_norwegian(state: State, label: str) -> None:
    assert state.label == label
