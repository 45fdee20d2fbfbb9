"""The annual report's rules as tables: who must report, the dates, the states, the reference
group's approval, who may do what, and the report form's findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from soknad.domain import reports as r
from soknad.domain.errors import TransitionError
from soknad.domain.findings import Severity
from soknad.domain.formspec import FormLibrary, FormPurpose
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.organisations import Region
from soknad.domain.permissions import Actor
from soknad.domain.report_rules import check_report
from soknad.domain.roles import Role
from soknad.domain.service_types import ServiceType
from tests.factories import report_answers

FORMS = FormLibrary.load(Path(__file__).resolve().parents[3] / "forms")
ACTIVE, TERMINATED = ServiceStatus.ACTIVE, ServiceStatus.TERMINATED


@pytest.mark.parametrize(("status", "ends", "established", "year", "owes"), [
    (ACTIVE, None, 2020, 2026, True),
    (ACTIVE, None, 2025, 2026, True),  # the first whole year after it was established
    (ACTIVE, None, 2026, 2026, False),  # established in the year: not yet
    (ACTIVE, None, 2027, 2026, False),
    (ACTIVE, None, None, 2026, True),  # an old service without dates
    (TERMINATED, date(2027, 1, 1), 2015, 2026, True),  # reports on its last year
    (TERMINATED, date(2026, 1, 1), 2015, 2026, False),
    (TERMINATED, date(2019, 1, 1), 2011, 2026, False),
    (TERMINATED, None, 2011, 2026, False),
])
def test_who_must_report(status: ServiceStatus, ends: date | None, established: int | None,
                         year: int, owes: bool) -> None:
    assert r.must_report(status, ends, established, year) is owes


@pytest.mark.parametrize(("established_on", "effective", "approved", "year"), [
    (date(2024, 5, 1), date(2024, 1, 1), date(2023, 12, 1), 2024),
    (None, date(2024, 1, 1), date(2023, 12, 1), 2024),
    (None, None, date(2023, 12, 1), 2023),
    (None, None, None, None),
])
def test_established_year(established_on: date | None, effective: date | None,
                          approved: date | None, year: int | None) -> None:
    assert r.established_year(established_on, effective, approved) == year


@pytest.mark.parametrize(("today", "year"), [
    (date(2026, 12, 3), 2026), (date(2027, 1, 10), 2026), (date(2027, 3, 15), 2026),
    (date(2027, 9, 1), 2026), (date(2027, 9, 2), 2027),
])
def test_the_report_year_being_worked_on(today: date, year: int) -> None:
    assert r.report_year(today) == year


def test_the_dates_of_a_report_year() -> None:
    assert (r.due_date(2026), r.assessment_date(2026), r.supplement_date(2026),
            r.round_year(2026)) == (date(2027, 3, 15), date(2027, 6, 1), date(2027, 9, 1), 2027)


TRUSTS = ["Oslo universitetssykehus HF", "Sykehuset i Vestfold HF", "Helse Bergen HF",
          "Sykehuset Innlandet HF", "Sunnaas sykehus HF"]


@pytest.mark.parametrize(("location", "host"), [
    ("Oslo universitetssykehus HF, Rikshospitalet", "Oslo universitetssykehus HF"),
    ("Oslo universitetssykehus; Haukeland Universitetssykehus", "Oslo universitetssykehus HF"),
    ("Sykehuset i Vestfold; Oslo universitetssykehus HF, Ullevål", "Sykehuset i Vestfold HF"),
    ("Helse Bergen HF, Haukeland universitetssjukehus", "Helse Bergen HF"),
    ("Rehabiliteringssenteret AiR i Rauland", None),
    ("", None),
])
def test_the_host_trust_from_the_registry_place(location: str, host: str | None) -> None:
    assert r.host_trust(location, TRUSTS) == host


S, A = r.ReportState, r.ReportAction


@pytest.mark.parametrize(("state", "action", "after"), [
    (S.DRAFT, A.SEND, S.SENT), (S.RETURNED, A.SEND, S.SENT),
    (S.SUPPLEMENT_REQUESTED, A.SEND, S.SENT), (S.SENT, A.RETURN, S.RETURNED),
    (S.SENT, A.FORWARD, S.FORWARDED), (S.FORWARDED, A.ASSESS, S.ASSESSED),
    (S.FORWARDED, A.REQUEST_SUPPLEMENT, S.SUPPLEMENT_REQUESTED),
    (S.ASSESSED, A.ASSESS, S.ASSESSED), (S.ASSESSED, A.REQUEST_SUPPLEMENT,
                                         S.SUPPLEMENT_REQUESTED),
])
def test_the_reports_transitions(state: r.ReportState, action: r.ReportAction,
                                 after: r.ReportState) -> None:
    assert r.next_state(state, action) is after


@pytest.mark.parametrize(("state", "action"), [
    (S.SENT, A.SEND), (S.DRAFT, A.RETURN), (S.DRAFT, A.FORWARD), (S.FORWARDED, A.FORWARD),
    (S.SENT, A.ASSESS), (S.DRAFT, A.ASSESS), (S.RETURNED, A.REQUEST_SUPPLEMENT),
    (S.ASSESSED, A.RETURN),
])
def test_impossible_transitions_are_refused_in_norwegian(state: r.ReportState,
                                                         action: r.ReportAction) -> None:
    with pytest.raises(TransitionError, match=r"[Rr]apport"):
        r.next_state(state, action)


@pytest.mark.parametrize(("day", "by", "problem"), [
    (date(2027, 2, 20), "Dag Nord, leder", None),
    (None, "Dag Nord", "Skriv datoen"),
    (date(2027, 2, 20), " ", "Skriv hvem"),
    (date(2027, 3, 2), "Dag Nord", "fram i tid"),
    (date(2025, 12, 31), "Dag Nord", "før rapportåret 2026"),
])
def test_the_reference_groups_approval(day: date | None, by: str, problem: str | None) -> None:
    found = r.approval_problem(day, by, 2026, date(2027, 3, 1))
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(("approved", "blocking", "problem"), [
    (True, 0, None), (False, 0, "Referansegruppens godkjenning"), (True, 2, "2 gjenstår"),
])
def test_what_stops_sending(approved: bool, blocking: int, problem: str | None) -> None:
    approval = r.ReferenceGroupApproval(date(2027, 2, 1), "Leder") if approved else None
    found = r.send_problem(approval, blocking)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(("sent", "on_time"), [
    (date(2027, 3, 15), True), (date(2027, 3, 16), False), (None, False),
])
def test_on_time(sent: date | None, on_time: bool) -> None:
    assert r.on_time(sent, 2026) is on_time


OWN = r.ReportFacts(organisation_id=1, region=Region.SOR_OST, state=S.DRAFT)


def actor(role: Role, organisation_id: int = 1, region: Region | None = Region.SOR_OST) -> Actor:
    return Actor(user_id=9, role=role, organisation_id=organisation_id, region=region)


@pytest.mark.parametrize(("who", "state", "view", "edit", "review"), [
    (actor(Role.APPLICANT), S.DRAFT, True, True, False),
    (actor(Role.APPLICANT), S.SENT, True, False, False),
    (actor(Role.APPLICANT), S.SUPPLEMENT_REQUESTED, True, True, False),
    (actor(Role.APPLICANT, organisation_id=2), S.DRAFT, False, False, False),
    (actor(Role.COORDINATOR, 5), S.DRAFT, False, False, True),
    (actor(Role.COORDINATOR, 5), S.SENT, True, False, True),
    (actor(Role.COORDINATOR, 6, Region.VEST), S.SENT, False, False, False),
    (actor(Role.DIRECTORATE, 7, None), S.SENT, False, False, False),
    (actor(Role.DIRECTORATE, 7, None), S.FORWARDED, True, False, False),
    (actor(Role.ADMIN, 7, None), S.FORWARDED, False, False, False),
])
def test_who_may_do_what(who: Actor, state: r.ReportState, view: bool, edit: bool,
                         review: bool) -> None:
    facts = r.ReportFacts(OWN.organisation_id, OWN.region, state)
    assert (r.can_view(who, facts), r.can_edit(who, facts), r.can_review(who, facts)) == (
        view, edit, review)


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_a_complete_report_has_nothing_that_stops_it(service_type: ServiceType) -> None:
    spec = FORMS.latest(service_type, FormPurpose.ANNUAL_REPORT)
    findings = check_report(spec, report_answers(spec), year=2026, today=date(2027, 2, 1))
    assert [f for f in findings if f.severity is Severity.BLOCKING] == []
    empty = check_report(spec, {}, year=2026, today=date(2027, 2, 1))
    assert {f.field for f in empty} >= {"status", "resultatmal", "plan", "ref_regioner"}


def test_prefill_copies_the_shared_columns_and_drops_empty_rows() -> None:
    rows = [{"mal": "A", "frist": "2028-01-01", "annet": "x"}, {"mal": " ", "frist": ""}]
    assert r.prefill_rows(["mal", "frist", "status"], rows) == [
        {"mal": "A", "frist": "2028-01-01", "status": ""}]


@pytest.mark.parametrize(("text", "today", "expected"), [
    (None, date(2027, 2, 1), 2026),  # none asked for: the one being worked on
    ("", date(2026, 12, 4), 2026),
    ("  ", date(2026, 12, 4), 2026),
    ("2025", date(2026, 12, 4), 2025),
    (" 2026 ", date(2026, 12, 4), 2026),
    ("2027", date(2026, 12, 4), None),  # a year not yet begun
    ("2000", date(2026, 12, 4), 2000),
    ("1999", date(2026, 12, 4), None),
    ("tjue", date(2026, 12, 4), None),
    ("-2026", date(2026, 12, 4), None),
])
def test_the_year_a_page_is_asked_for(text: str | None, today: date,
                                      expected: int | None) -> None:
    assert r.asked_year(text, today) == expected
