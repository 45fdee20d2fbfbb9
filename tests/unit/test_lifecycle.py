"""The life of a national service (``domain.lifecycle``) and the decision outcomes per kind of
application (``domain.decisions``), as tables."""

from __future__ import annotations

from datetime import date

import pytest

from soknad.domain import decisions, lifecycle
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import EventKind, ServiceFacts, ServiceState, ServiceStatus
from soknad.domain.service_types import ApplicationKind, ServiceType

KINDS = ApplicationKind
COMPETENCE, TREATMENT = ServiceType.NATIONAL_COMPETENCE, ServiceType.NATIONAL_TREATMENT


@pytest.mark.parametrize(("kind", "service_type", "asked"), [
    (KINDS.ESTABLISHMENT, COMPETENCE, True),
    (KINDS.ESTABLISHMENT, TREATMENT, False),
    (KINDS.TERMINATION, COMPETENCE, False),
    (KINDS.CHANGE_OF_NAME, COMPETENCE, False),
    (KINDS.CHANGE_OF_CONTENT, COMPETENCE, False),
    (KINDS.TERMINATION, TREATMENT, False),
])
def test_the_function_is_asked_only_when_a_new_competence_service_is_approved(
        kind: ApplicationKind, service_type: ServiceType, asked: bool) -> None:
    assert lifecycle.needs_function(kind, service_type) is asked


@pytest.mark.parametrize(("kind", "function", "expected"), [
    # establishment: as before (2027 round: takes effect 1 January 2028)
    (KINDS.ESTABLISHMENT, "opplaering",
     decisions.DecisionDates(date(2028, 1, 1), date(2028, 12, 31), 5, date(2032, 12, 31))),
    (KINDS.ESTABLISHMENT, None,
     decisions.DecisionDates(date(2028, 1, 1), date(2028, 12, 31), None, None)),
    # a termination ends the service: no «etablert innen», no term
    (KINDS.TERMINATION, None,
     decisions.DecisionDates(date(2028, 1, 1), terminated_from=date(2028, 1, 1))),
    # a change takes effect like an approval, nothing else
    (KINDS.CHANGE_OF_NAME, None, decisions.DecisionDates(date(2028, 1, 1))),
    (KINDS.CHANGE_OF_CONTENT, None, decisions.DecisionDates(date(2028, 1, 1))),
])
def test_each_kind_of_approval_has_its_own_dates(
        kind: ApplicationKind, function: str | None, expected: decisions.DecisionDates) -> None:
    assert decisions.decision_dates(DecisionKind.APPROVED, 2027, function=function,
                                    application_kind=kind) == expected


def test_a_termination_takes_effect_on_the_day_chosen() -> None:
    dates = decisions.decision_dates(DecisionKind.APPROVED, 2027,
                                     application_kind=KINDS.TERMINATION,
                                     terminated_from=date(2028, 7, 1))
    assert (dates.terminated_from, dates.establish_by, dates.term_ends) == (
        date(2028, 7, 1), None, None)


@pytest.mark.parametrize(("kind", "competence", "function", "message"), [
    (KINDS.ESTABLISHMENT, True, None, "Velg funksjonen for kompetansetjenesten"),
    (KINDS.TERMINATION, True, "opplaering", "Bare godkjenning av en ny kompetansetjeneste"),
    (KINDS.CHANGE_OF_NAME, True, "kompetanseoppbygging",
     "Bare godkjenning av en ny kompetansetjeneste"),
    (KINDS.ESTABLISHMENT, False, "opplaering", "Bare kompetansetjenester"),
])
def test_a_function_where_it_does_not_belong_or_missing_where_it_does_is_refused(
        kind: ApplicationKind, competence: bool, function: str | None, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        decisions.check_decision(DecisionKind.APPROVED, "", competence=competence,
                                 function=function, application_kind=kind)


@pytest.mark.parametrize("kind", [KINDS.TERMINATION, KINDS.CHANGE_OF_NAME,
                                  KINDS.CHANGE_OF_CONTENT])
def test_a_change_or_termination_of_a_competence_service_is_approved_without_a_function(
        kind: ApplicationKind) -> None:
    decisions.check_decision(DecisionKind.APPROVED, "", competence=True, function=None,
                             application_kind=kind)


@pytest.mark.parametrize(("round_year", "chosen", "postponed", "expected"), [
    (2027, None, False, date(2028, 1, 1)),
    (2027, None, True, date(2028, 6, 1)),
    (2027, date(2028, 7, 1), False, date(2028, 7, 1)),
    (2027, date(2028, 1, 1), False, date(2028, 1, 1)),
])
def test_the_day_a_termination_takes_effect(round_year: int, chosen: date | None,
                                            postponed: bool, expected: date) -> None:
    assert lifecycle.termination_day(round_year, chosen,
                                     after_postponement=postponed) == expected


def test_a_termination_cannot_take_effect_before_the_round_s_decisions_do() -> None:
    with pytest.raises(DomainError, match=r"tidligst få virkning fra 1\. januar 2028"):
        lifecycle.termination_day(2027, date(2027, 12, 31))


SERVICE = ServiceFacts("Nasjonal kompetansetjeneste for gammelt navn", "Gammel beskrivelse.",
                       ("Et enda eldre navn",))


@pytest.mark.parametrize(("kind", "values", "expected"), [
    (KINDS.TERMINATION, {"terminated_from": date(2028, 1, 1)},
     (EventKind.TERMINATED, SERVICE.name, SERVICE.description, SERVICE.former_names,
      ServiceStatus.TERMINATED, date(2028, 1, 1))),
    (KINDS.CHANGE_OF_NAME, {"new_name": "Nasjonal kompetansetjeneste for nytt navn"},
     (EventKind.RENAMED, "Nasjonal kompetansetjeneste for nytt navn", SERVICE.description,
      ("Et enda eldre navn", SERVICE.name), ServiceStatus.ACTIVE, None)),
    (KINDS.CHANGE_OF_NAME, {"new_name": "Et enda eldre navn"},  # back to a former name
     (EventKind.RENAMED, "Et enda eldre navn", SERVICE.description, (SERVICE.name,),
      ServiceStatus.ACTIVE, None)),
    (KINDS.CHANGE_OF_CONTENT, {"new_description": "Ny beskrivelse."},
     (EventKind.CONTENT_CHANGED, SERVICE.name, "Ny beskrivelse.", SERVICE.former_names,
      ServiceStatus.ACTIVE, None)),
])
def test_what_an_approval_does_to_the_service(
        kind: ApplicationKind, values: dict[str, object], expected: tuple[object, ...]) -> None:
    """(history line, name, description, former names, status, terminated from)."""
    change = lifecycle.change_for(kind, SERVICE, **values)  # type: ignore[arg-type]
    assert (change.event, change.name, change.description, change.former_names,
            change.status, change.terminated_from) == expected


@pytest.mark.parametrize(("kind", "values", "message"), [
    (KINDS.TERMINATION, {}, "datoen tjenesten avvikles fra"),
    (KINDS.CHANGE_OF_NAME, {"new_name": SERVICE.name}, "har ikke et nytt navn"),
    (KINDS.CHANGE_OF_NAME, {"new_name": "  "}, "har ikke et nytt navn"),
    (KINDS.CHANGE_OF_CONTENT, {"new_description": ""}, "har ikke en ny beskrivelse"),
])
def test_an_approval_that_cannot_change_the_service_is_refused(
        kind: ApplicationKind, values: dict[str, object], message: str) -> None:
    with pytest.raises(DomainError, match=message):
        lifecycle.change_for(kind, SERVICE, **values)  # type: ignore[arg-type]


def test_a_terminated_service_cannot_be_changed_again() -> None:
    ended = ServiceFacts("Tjenesten", "", (), ServiceStatus.TERMINATED)
    with pytest.raises(DomainError, match="allerede avviklet"):
        lifecycle.change_for(KINDS.CHANGE_OF_CONTENT, ended, new_description="Ny.")


@pytest.mark.parametrize(("service_type", "approved", "function", "recorded", "expected"), [
    # approved before the time limit of 2020: counted from 1 January 2020, ten years assumed
    (COMPETENCE, date(2011, 7, 7), None, None, date(2029, 12, 31)),
    (COMPETENCE, date(2018, 3, 1), "opplaering", None, date(2024, 12, 31)),
    (COMPETENCE, date(2019, 12, 31), None, None, date(2029, 12, 31)),
    (COMPETENCE, date(2021, 1, 1), None, None, date(2030, 12, 31)),  # 1 January: that day
    (COMPETENCE, date(2021, 3, 1), "opplaering", None, date(2026, 12, 31)),
    (COMPETENCE, date(2027, 12, 1), "opplaering", date(2032, 12, 31), date(2032, 12, 31)),
    (COMPETENCE, None, None, None, None),
    (TREATMENT, date(2016, 1, 1), None, None, None),  # treatment services have no term
])
def test_the_term_is_counted_from_the_registry_s_approval_date(
        service_type: ServiceType, approved: date | None, function: str | None,
        recorded: date | None, expected: date | None) -> None:
    assert lifecycle.term_end(service_type, approved, function, recorded) == expected


TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("status", "terminated_from", "ends", "state", "active"), [
    (ServiceStatus.ACTIVE, None, None, ServiceState.ACTIVE, True),
    (ServiceStatus.ACTIVE, None, date(2030, 12, 31), ServiceState.ACTIVE, True),
    (ServiceStatus.ACTIVE, None, date(2027, 12, 31), ServiceState.TERM_ENDING, True),
    (ServiceStatus.ACTIVE, None, date(2021, 12, 31), ServiceState.TERM_ENDED, True),
    (ServiceStatus.TERMINATED, date(2028, 1, 1), None, ServiceState.ENDING, True),
    (ServiceStatus.TERMINATED, date(2019, 1, 1), None, ServiceState.TERMINATED, False),
    (ServiceStatus.TERMINATED, TODAY, None, ServiceState.TERMINATED, False),
])
def test_the_state_a_page_shows_and_whether_the_service_still_counts(
        status: ServiceStatus, terminated_from: date | None, ends: date | None,
        state: ServiceState, active: bool) -> None:
    assert lifecycle.state_on(status, terminated_from, ends, TODAY) is state
    assert lifecycle.counts_as_active(status, terminated_from, TODAY) is active


@pytest.mark.parametrize(("text", "expected"), [
    ("Tjenesten er avviklet f.o.m. 1. januar 2019.", date(2019, 1, 1)),
    ("Tjenesten ble avviklet fom 15. juni 2020", date(2020, 6, 15)),
    ("Tjenesten er avviklet f.o.m. 31. februar 2020.", None),
    ("Replantasjonskirurgi innbefatter påsying av amputerte legemsdeler.", None),
    ("Tjenesten skal vurdere avvikling.", None),
])
def test_a_published_termination_is_read_from_the_description(text: str,
                                                               expected: date | None) -> None:
    assert lifecycle.published_termination(text) == expected
