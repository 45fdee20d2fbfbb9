"""The round's calendar as tables: the dates and their years, weekend and holiday flags, the
end of a deadline day in Oslo, the 08:00 reminder moment across daylight saving time, whom each
date concerns and what is left to do."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from soknad.domain import calendar as cal
from soknad.domain.calendar import (
    Approval,
    Audience,
    DeadlineKind,
    Extension,
    OwnDate,
    ReportStage,
    Status,
    Task,
)
from soknad.domain.decisions import add_years
from soknad.domain.organisations import Region
from soknad.domain.permissions import Actor
from soknad.domain.reports import ReportState, assessment_date, due_date, supplement_date
from soknad.domain.roles import Role
from soknad.domain.workflow import State

OFFSETS = (30, 14, 7, 1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def actor(role: Role, region: Region | None = Region.SOR_OST, organisation_id: int = 10) -> Actor:
    return Actor(user_id=1, role=role, organisation_id=organisation_id, region=region)


APPLICANT = actor(Role.APPLICANT)
APPLICANT_SAME_REGION = actor(Role.APPLICANT, organisation_id=11)
APPLICANT_VEST = actor(Role.APPLICANT, Region.VEST, organisation_id=20)
COORDINATOR = actor(Role.COORDINATOR, organisation_id=2)
COORDINATOR_VEST = actor(Role.COORDINATOR, Region.VEST, organisation_id=3)
DIRECTORATE = actor(Role.DIRECTORATE, None, organisation_id=1)
ADMIN = actor(Role.ADMIN, None, organisation_id=1)


def by_key(deadlines: list[cal.Deadline]) -> dict[str, date]:
    return {deadline.key: deadline.day for deadline in deadlines}


# --------------------------------------------------------------------------- the dates


@pytest.mark.parametrize(("year", "expected"), [
    (2027, {
        "internal:helse-sor-ost": date(2026, 12, 4),
        "joint_submission": date(2027, 1, 15),
        "annual_reports": date(2027, 3, 15),
        "report_assessment": date(2027, 6, 1),
        "report_supplements": date(2027, 9, 1),
        "decisions": date(2027, 12, 1),
        "approvals_effective": date(2028, 1, 1),
        "postponed_decisions": date(2028, 5, 30),
        "extended_start": date(2028, 6, 1),
    }),
    (2028, {
        "internal:helse-sor-ost": date(2026, 12, 4),
        "joint_submission": date(2028, 1, 15),
        "annual_reports": date(2028, 3, 15),
        "report_assessment": date(2028, 6, 1),
        "report_supplements": date(2028, 9, 1),
        "decisions": date(2028, 12, 1),
        "approvals_effective": date(2029, 1, 1),
        "postponed_decisions": date(2029, 5, 30),
        "extended_start": date(2029, 6, 1),
    }),
])
def test_round_calendar_every_fixed_date(year: int, expected: dict[str, date]) -> None:
    deadlines = cal.round_calendar(year, {Region.SOR_OST: date(2026, 12, 4), Region.VEST: None})
    assert by_key(deadlines) == expected


def test_round_calendar_is_in_date_order_with_approvals_and_own_dates() -> None:
    approval = Approval(7, 10, Region.SOR_OST, "Kompetansetjeneste X", date(2027, 11, 20),
                        State.APPROVED, "opplaering")
    own = OwnDate(3, date(2026, 11, 20), "Regionalt møte", "", frozenset({Role.COORDINATOR}))
    deadlines = cal.round_calendar(2027, {}, [approval], [own])
    assert [deadline.key for deadline in deadlines] == [
        "own:3", "joint_submission", "annual_reports", "report_assessment",
        "report_supplements", "decisions",
        "approvals_effective", "postponed_decisions", "extended_start", "establish_by:7",
        "term_ends:7",
    ]
    # The approval's dates follow from the round (in effect 1 January 2028), not from the day
    # it was recorded (domain.decisions).
    assert by_key(deadlines)["establish_by:7"] == date(2028, 12, 31)
    assert by_key(deadlines)["term_ends:7"] == date(2032, 12, 31)


@pytest.mark.parametrize(("function", "term_end"), [
    ("opplaering", date(2032, 12, 31)),
    ("kompetanseoppbygging", date(2037, 12, 31)),
    (None, None),
])
def test_competence_term_ends_after_5_or_10_years(function: str | None,
                                                 term_end: date | None) -> None:
    approval = Approval(7, 10, Region.NORD, "X", date(2027, 12, 1), State.APPROVED, function)
    assert by_key(cal.round_calendar(2027, {}, [approval])).get("term_ends:7") == term_end


def test_an_approval_after_a_postponement_has_its_dates_from_1_june() -> None:
    approval = Approval(7, 10, Region.NORD, "X", date(2028, 5, 20), State.APPROVED,
                        "opplaering", after_postponement=True)
    found = by_key(cal.round_calendar(2027, {}, [approval]))
    assert (found["establish_by:7"], found["term_ends:7"]) == (date(2029, 5, 31),
                                                              date(2033, 5, 31))


@pytest.mark.parametrize(("day", "years", "expected"), [
    (date(2027, 12, 1), 1, date(2028, 12, 1)),
    (date(2028, 2, 29), 1, date(2029, 2, 28)),
    (date(2028, 2, 29), 4, date(2032, 2, 29)),
])
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


def test_a_moved_internal_deadline_keeps_its_key_but_not_its_reminder_key() -> None:
    first = cal.round_calendar(2027, {Region.VEST: date(2026, 12, 1)})[0]
    moved = cal.round_calendar(2027, {Region.VEST: date(2026, 12, 8)})[0]
    assert first.key == moved.key == "internal:helse-vest"
    assert first.reminder_key == "internal:helse-vest@2026-12-01"
    assert moved.reminder_key == "internal:helse-vest@2026-12-08"


# --------------------------------------------------------------------------- flags and words


@pytest.mark.parametrize(("day", "note"), [
    (date(2027, 1, 15), ""),  # Friday
    (date(2028, 1, 15), "lørdag"),
    (date(2026, 1, 18), "søndag"),
    (date(2028, 1, 1), "lørdag og helligdag (første nyttårsdag)"),
    (date(2027, 1, 1), "helligdag (første nyttårsdag)"),  # Friday
    (date(2027, 3, 15), ""),
    (date(2027, 5, 17), "helligdag (andre pinsedag; grunnlovsdag)"),
    (date(2028, 5, 25), "helligdag (kristi himmelfartsdag)"),
    (date(2028, 12, 1), ""),
    (date(2029, 12, 1), "lørdag"),
    (date(2030, 6, 1), "lørdag"),
])
def test_weekends_and_public_holidays_are_flagged_not_moved(day: date, note: str) -> None:
    assert cal.day_note(day) == note


def test_a_deadline_on_a_saturday_stays_on_the_saturday() -> None:
    joint = next(item for item in cal.round_calendar(2028, {}) if item.key == "joint_submission")
    assert (joint.day, joint.note) == (date(2028, 1, 15), "lørdag")


@pytest.mark.parametrize(("day", "weekday", "text"), [
    (date(2027, 1, 15), False, "15. januar 2027"),
    (date(2027, 1, 15), True, "fredag 15. januar 2027"),
    (date(2028, 5, 30), True, "tirsdag 30. mai 2028"),
])
def test_format_date(day: date, weekday: bool, text: str) -> None:
    assert cal.format_date(day, weekday=weekday) == text


@pytest.mark.parametrize(("days", "text"), [
    (0, "i dag"), (1, "i morgen"), (14, "om 14 dager"), (-1, "i går"),
    (-3, "for 3 dager siden"),
])
def test_days_text(days: int, text: str) -> None:
    assert cal.days_text(days) == text


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(("day", "last_moment"), [
    (date(2027, 1, 15), utc(2027, 1, 15, 22, 59, 59)),  # winter: CET, UTC+1
    (date(2027, 6, 1), utc(2027, 6, 1, 21, 59, 59)),  # summer: CEST, UTC+2
    (date(2027, 3, 28), utc(2027, 3, 28, 21, 59, 59)),  # the day summer time starts
    (date(2027, 10, 31), utc(2027, 10, 31, 22, 59, 59)),  # the day it ends
])
def test_a_deadline_holds_until_23_59_59_oslo_time(day: date, last_moment: datetime) -> None:
    assert cal.end_of_day(day) == last_moment
    assert not cal.has_passed(day, last_moment)
    assert cal.has_passed(day, last_moment.replace(microsecond=1))


@pytest.mark.parametrize(("day", "offset", "moment"), [
    (date(2027, 1, 15), 14, utc(2027, 1, 1, 7)),  # 08:00 CET
    (date(2027, 3, 28), 1, utc(2027, 3, 27, 7)),  # Saturday before the change: CET
    (date(2027, 3, 29), 1, utc(2027, 3, 28, 6)),  # Sunday 28 March: already CEST at 08:00
    (date(2027, 4, 4), 7, utc(2027, 3, 28, 6)),
    (date(2027, 4, 4), 14, utc(2027, 3, 21, 7)),  # 14 days before, still winter
    (date(2027, 10, 31), 1, utc(2027, 10, 30, 6)),  # Saturday: still CEST
    (date(2027, 11, 1), 1, utc(2027, 10, 31, 7)),  # Sunday 31 October: CET again
    (date(2027, 11, 7), 14, utc(2027, 10, 24, 6)),
    (date(2027, 11, 7), 7, utc(2027, 10, 31, 7)),
    (date(2027, 6, 1), 0, utc(2027, 6, 1, 6)),
])
def test_the_0800_reminder_moment_in_utc_across_daylight_saving_time(
        day: date, offset: int, moment: datetime) -> None:
    assert cal.reminder_moment(day, offset, 8) == moment


@pytest.mark.parametrize(("day", "now", "expected"), [
    (date(2026, 12, 1), utc(2026, 12, 5, 12), -4),
    (date(2026, 12, 1), utc(2026, 12, 1, 22, 59), 0),  # 23:59 in Oslo
    (date(2027, 1, 15), utc(2027, 1, 1, 7), 14),
    (date(2027, 1, 15), utc(2026, 12, 31, 23, 30), 14),  # already 1 January in Oslo
    (date(2027, 1, 15), utc(2027, 1, 16, 0), -1),
])
def test_days_left_counts_oslo_days(day: date, now: datetime, expected: int) -> None:
    assert cal.days_left(day, now) == expected


LONG_AGO = utc(2020, 1, 1)


@pytest.mark.parametrize(("now", "not_before", "expected"), [
    (utc(2026, 12, 16, 6, 59), LONG_AGO, None),  # 30 days before, 07:59 Oslo
    (utc(2026, 12, 16, 7, 0), LONG_AGO, (30, ())),  # 08:00 Oslo
    (utc(2026, 12, 20, 12), LONG_AGO, (30, ())),
    (utc(2027, 1, 2, 9), LONG_AGO, (14, (30,))),  # down since before the 30-day moment
    (utc(2027, 1, 8, 7), LONG_AGO, (7, (14, 30))),
    (utc(2027, 1, 15, 22, 59, 59), LONG_AGO, (1, (7, 14, 30))),  # the last second
    (utc(2027, 1, 15, 23, 0), LONG_AGO, None),  # passed: nothing more
    (utc(2027, 1, 6), utc(2027, 1, 5), None),  # user made after the 30- and 14-day moments
    (utc(2027, 1, 9), utc(2027, 1, 5), (7, ())),
])
def test_due_reminder_catches_up_with_the_nearest_offset(
        now: datetime, not_before: datetime, expected: tuple[int, tuple[int, ...]] | None
) -> None:
    due = cal.due_reminder(date(2027, 1, 15), OFFSETS, 8, now, not_before)
    assert (None if due is None else (due.offset_days, due.superseded)) == expected


# --------------------------------------------------------------------------- whom it concerns


def deadline(kind_key: str, *, internal: dict[Region, date] | None = None,
             approvals: list[Approval] | None = None,
             extensions: list[Extension] | None = None) -> cal.Deadline:
    items = cal.round_calendar(2027, internal or {}, approvals or [],
                               extensions=extensions or [EXTENSION])
    return next(item for item in items if item.key == kind_key)


APPROVAL = Approval(7, 10, Region.SOR_OST, "X", date(2027, 12, 1), State.APPROVED,
                    "opplaering")
EXTENSION = Extension(8, 10, Region.SOR_OST, "Sen søknad", date(2026, 12, 11), State.DRAFT)


@pytest.mark.parametrize(("key", "who", "expected"), [
    ("internal:helse-sor-ost", APPLICANT, True),
    ("internal:helse-sor-ost", APPLICANT_VEST, False),
    ("internal:helse-sor-ost", COORDINATOR, True),
    ("internal:helse-sor-ost", COORDINATOR_VEST, False),
    ("internal:helse-sor-ost", DIRECTORATE, False),
    ("internal:helse-sor-ost", ADMIN, True),
    ("joint_submission", APPLICANT, False),
    ("joint_submission", COORDINATOR, True),
    ("joint_submission", COORDINATOR_VEST, True),
    ("joint_submission", DIRECTORATE, True),
    ("annual_reports", APPLICANT_VEST, True),
    ("decisions", APPLICANT, True),
    ("decisions", DIRECTORATE, True),
    ("postponed_decisions", COORDINATOR_VEST, True),
    ("establish_by:7", APPLICANT, True),
    ("establish_by:7", APPLICANT_SAME_REGION, False),  # another health trust
    ("establish_by:7", COORDINATOR, True),
    ("establish_by:7", COORDINATOR_VEST, False),
    ("establish_by:7", DIRECTORATE, True),
    ("term_ends:7", APPLICANT, True),
    ("term_ends:7", APPLICANT_VEST, False),
    ("extension:8", APPLICANT, True),
    ("extension:8", APPLICANT_SAME_REGION, False),  # another health trust
    ("extension:8", COORDINATOR, True),
    ("extension:8", COORDINATOR_VEST, False),
    ("extension:8", DIRECTORATE, False),
    ("extension:8", ADMIN, True),
])
def test_which_dates_concern_whom(key: str, who: Actor, expected: bool) -> None:
    item = deadline(key, internal={Region.SOR_OST: date(2026, 12, 4)}, approvals=[APPROVAL])
    assert item.visible_to(who) is expected


def test_an_own_date_for_one_region() -> None:
    own = OwnDate(1, date(2026, 11, 20), "Møte", "", frozenset({Role.COORDINATOR}),
                  Region.VEST)
    item = cal.round_calendar(2027, {}, [], [own])[0]
    assert [item.visible_to(who) for who in (COORDINATOR, COORDINATOR_VEST, APPLICANT_VEST,
                                             DIRECTORATE, ADMIN)] == [
        False, True, False, False, True]
    assert item.audience.describe() == "RHF-koordinatorer i Helse Vest"
    assert (item.is_deadline, item.remind_everyone) == (False, True)


@pytest.mark.parametrize(("audience", "text"), [
    (Audience(frozenset({Role.APPLICANT, Role.COORDINATOR}), Region.NORD),
     "søkere og RHF-koordinatorer i Helse Nord"),
    (Audience(cal.ROUND_ROLES), "søkere, RHF-koordinatorer og Helsedirektoratet"),
    (Audience(frozenset({Role.DIRECTORATE})), "Helsedirektoratet"),
])
def test_audience_describe(audience: Audience, text: str) -> None:
    assert audience.describe() == text


# --------------------------------------------------------------------------- what is left to do


COUNTS = {State.DRAFT: 2, State.RETURNED: 1, State.SUBMITTED: 3, State.ACCEPTED: 1,
          State.IN_JOINT_SUBMISSION: 1, State.SENT_TO_DIRECTORATE: 4,
          State.INFORMATION_REQUESTED: 1, State.POSTPONED: 2, State.APPROVED: 1}


@pytest.mark.parametrize(("key", "role", "texts"), [
    ("internal:helse-sor-ost", Role.APPLICANT,
     ["2 utkast er ikke sendt til RHF", "1 returnert søknad er ikke sendt inn på nytt"]),
    ("internal:helse-sor-ost", Role.COORDINATOR, ["3 søknader venter på behandling"]),
    ("joint_submission", Role.COORDINATOR,
     ["3 søknader venter på behandling", "2 godtatte søknader er ikke sendt til "
      "Helsedirektoratet"]),
    ("joint_submission", Role.DIRECTORATE, []),
    ("decisions", Role.DIRECTORATE,
     ["5 søknader venter på vedtak før den samlede tilbakemeldingen til RHF-ene"]),
    ("decisions", Role.APPLICANT, []),
    ("postponed_decisions", Role.DIRECTORATE,
     ["2 utsatte søknader venter på endelig vedtak"]),
    ("establish_by:7", Role.APPLICANT, ["1 godkjent tjeneste er ikke registrert som etablert"]),
    ("establish_by:7", Role.COORDINATOR,
     ["1 godkjent tjeneste er ikke registrert som etablert"]),
    ("internal:helse-sor-ost", Role.ADMIN, []),
    # A date of one application counts that application only.
    ("extension:8", Role.APPLICANT, ["1 søknad er ikke sendt til RHF"]),
    ("extension:8", Role.COORDINATOR, []),
])
def test_what_is_left_to_do(key: str, role: Role, texts: list[str]) -> None:
    item = deadline(key, internal={Region.SOR_OST: date(2026, 12, 4)}, approvals=[APPROVAL])
    assert [task.text for task in cal.tasks(item, role, COUNTS)] == texts


@pytest.mark.parametrize(("state", "left"), [
    (State.DRAFT, True), (State.RETURNED, True), (State.SUBMITTED, False),
    (State.ACCEPTED, False),
])
def test_an_extended_application_is_left_to_do_until_it_is_sent(state: State,
                                                                 left: bool) -> None:
    extension = Extension(8, 10, Region.SOR_OST, "Sen søknad", date(2026, 12, 11), state)
    item = deadline("extension:8", extensions=[extension])
    assert (item.title, item.is_deadline) == ("Utsatt frist: Sen søknad", True)
    assert bool(cal.tasks(item, Role.APPLICANT, COUNTS)) is left
    late = cal.view(item, 2027, Role.APPLICANT, COUNTS, datetime(2026, 12, 12, 9, tzinfo=UTC))
    assert late.status is (Status.OVERDUE if left else Status.PASSED)


def test_an_established_service_has_nothing_left_before_its_establish_by_date() -> None:
    established = Approval(7, 10, Region.SOR_OST, "X", date(2027, 12, 1), State.ESTABLISHED)
    item = deadline("establish_by:7", approvals=[established])
    assert cal.tasks(item, Role.APPLICANT, {State.APPROVED: 5}) == []


def test_counts_within_reach() -> None:
    counts = {
        (10, Region.SOR_OST): {State.DRAFT: 1, State.SUBMITTED: 2},
        (11, Region.SOR_OST): {State.SUBMITTED: 1},
        (20, Region.VEST): {State.SUBMITTED: 5, State.SENT_TO_DIRECTORATE: 1},
    }
    assert cal.counts_within_reach(APPLICANT, counts) == {State.DRAFT: 1, State.SUBMITTED: 2}
    assert cal.counts_within_reach(COORDINATOR, counts) == {State.DRAFT: 1, State.SUBMITTED: 3}
    assert cal.counts_within_reach(DIRECTORATE, counts) == {
        State.DRAFT: 1, State.SUBMITTED: 8, State.SENT_TO_DIRECTORATE: 1}
    assert cal.counts_within_reach(ADMIN, counts) == {}


# --------------------------------------------------------------------------- views


@pytest.mark.parametrize(("now", "counts", "status", "text"), [
    (utc(2026, 12, 20, 12), {State.DRAFT: 1}, Status.UPCOMING, "Om 26 dager"),
    (utc(2027, 1, 14, 12), {}, Status.UPCOMING, "I morgen"),
    (utc(2027, 1, 15, 22, 59), {State.DRAFT: 1}, Status.TODAY, "I dag"),
    (utc(2027, 1, 15, 23, 0), {State.SUBMITTED: 1}, Status.OVERDUE, "Forfalt i går"),
    (utc(2027, 1, 18, 12), {State.SUBMITTED: 2}, Status.OVERDUE, "Forfalt for 3 dager siden"),
    (utc(2027, 1, 18, 12), {}, Status.PASSED, "Passert"),
])
def test_view_status(now: datetime, counts: dict[State, int], status: Status,
                     text: str) -> None:
    item = cal.view(deadline("joint_submission"), 2027, Role.COORDINATOR, counts, now)
    assert (item.status, item.when_text) == (status, text)
    assert cal.on_dashboard(item) is (status is not Status.PASSED)


def test_a_date_that_is_not_a_deadline_passes_and_is_never_overdue() -> None:
    item = cal.view(deadline("approvals_effective"), 2027, Role.DIRECTORATE,
                    {State.SENT_TO_DIRECTORATE: 3}, utc(2028, 2, 1))
    assert item.status is Status.PASSED


@pytest.mark.parametrize(("key", "who", "tasks", "expected"), [
    ("joint_submission", COORDINATOR, [Task(1, "x")], True),
    ("joint_submission", COORDINATOR, [], False),  # nothing to do: no reminder
    ("internal:helse-sor-ost", COORDINATOR_VEST, [Task(1, "x")], False),  # not theirs
])
def test_reminder_recipients(key: str, who: Actor, tasks: list[Task], expected: bool) -> None:
    item = deadline(key, internal={Region.SOR_OST: date(2026, 12, 4)})
    assert cal.reminder_recipient(item, who, tasks) is expected


def test_an_admins_own_date_reminds_everyone_it_concerns() -> None:
    own = OwnDate(1, date(2026, 11, 20), "Møte", "", frozenset({Role.DIRECTORATE}), None, True)
    item = cal.round_calendar(2027, {}, [], [own])[0]
    assert item.kind is DeadlineKind.ROUND_DATE
    assert cal.reminder_recipient(item, DIRECTORATE, []) is True
    assert cal.reminder_recipient(item, ADMIN, []) is False  # sees it, is not reminded
    silent = cal.round_calendar(2027, {}, [], [OwnDate(
        2, date(2026, 11, 20), "Møte", "", frozenset({Role.DIRECTORATE}), None, False)])[0]
    assert cal.reminder_recipient(silent, DIRECTORATE, []) is False


# --------------------------------------------------------------------------- the annual reports

REPORTS = {ReportStage.NOT_STARTED: 2, ReportStage.DRAFT: 1, ReportStage.RETURNED: 1,
           ReportStage.SENT: 3, ReportStage.FORWARDED: 4, ReportStage.SUPPLEMENT_REQUESTED: 1,
           ReportStage.ASSESSED: 5}


@pytest.mark.parametrize(("key", "role", "counts", "texts"), [
    ("annual_reports", Role.APPLICANT, REPORTS, ["4 årsrapporter er ikke sendt til RHF"]),
    ("annual_reports", Role.COORDINATOR, REPORTS,
     ["4 årsrapporter er ikke mottatt fra helseforetakene",
      "3 årsrapporter er ikke sendt videre til Helsedirektoratet"]),
    ("annual_reports", Role.DIRECTORATE, REPORTS, []),
    ("annual_reports", Role.APPLICANT, {ReportStage.NOT_STARTED: 1},
     ["1 årsrapport er ikke sendt til RHF"]),
    ("annual_reports", Role.COORDINATOR, {ReportStage.SENT: 1},
     ["1 årsrapport er ikke sendt videre til Helsedirektoratet"]),
    ("annual_reports", Role.APPLICANT, {ReportStage.SENT: 2, ReportStage.ASSESSED: 1}, []),
    ("report_assessment", Role.APPLICANT, REPORTS, []),
    ("report_assessment", Role.COORDINATOR, REPORTS,
     ["3 årsrapporter er ikke sendt videre til Helsedirektoratet"]),
    ("report_assessment", Role.DIRECTORATE, REPORTS, ["4 årsrapporter venter på vurdering"]),
    ("report_supplements", Role.APPLICANT, REPORTS,
     ["1 årsrapport venter på tilleggsrapportering"]),
    ("report_supplements", Role.COORDINATOR, REPORTS,
     ["1 tilleggsrapport er ikke mottatt",
      "3 årsrapporter er ikke sendt videre til Helsedirektoratet"]),
    ("report_supplements", Role.DIRECTORATE, REPORTS, ["4 årsrapporter venter på vurdering"]),
    # An application's state never counts as a report's, nor the other way round.
    ("annual_reports", Role.APPLICANT, COUNTS, []),
    ("internal:helse-sor-ost", Role.APPLICANT, REPORTS, []),
])
def test_what_is_left_to_do_with_the_annual_reports(
        key: str, role: Role, counts: dict[cal.Counted, int], texts: list[str]) -> None:
    item = deadline(key, internal={Region.SOR_OST: date(2026, 12, 4)})
    assert [task.text for task in cal.tasks(item, role, counts)] == texts


@pytest.mark.parametrize(("key", "role"), [
    (key, role) for key in ("annual_reports", "report_assessment", "report_supplements")
    for role in (Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE)])
def test_the_portal_follows_the_report_dates(key: str, role: Role) -> None:
    item = deadline(key)
    shown = cal.view(item, 2027, role, {}, datetime(2027, 1, 20, tzinfo=UTC))
    assert item.visible_to(actor(role, Region.VEST if role is not Role.DIRECTORATE else None,
                                 organisation_id=20))
    assert shown.tracked
    assert item.is_deadline


@pytest.mark.parametrize(("state", "stage"), [
    (None, ReportStage.NOT_STARTED),
    *((state, ReportStage[state.name]) for state in ReportState),
])
def test_every_report_state_has_its_stage(state: ReportState | None,
                                          stage: ReportStage) -> None:
    assert cal.report_stage(state) is stage


@pytest.mark.parametrize(("year", "dates"), [
    (2027, (date(2027, 3, 15), date(2027, 6, 1), date(2027, 9, 1))),
    (2030, (date(2030, 3, 15), date(2030, 6, 1), date(2030, 9, 1))),
])
def test_the_report_dates_are_those_of_the_reports_on_the_year_before(
        year: int, dates: tuple[date, ...]) -> None:
    found = by_key(cal.round_calendar(year, {}))
    assert (found["annual_reports"], found["report_assessment"],
            found["report_supplements"]) == dates
    assert dates == (due_date(year - 1), assessment_date(year - 1), supplement_date(year - 1))
