"""The annual reports in «Dine oppgaver»: what each role has left to do with them, counted, with
the deadline, and a link to where it is done."""

from __future__ import annotations

import pytest
from flask import Flask

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.services import reports
from tests.calendar_helpers import utc
from tests.factories import REPORT_YEAR, started_report, user
from tests.integration.test_tasks import tasks_on_start_page

SPRING = utc(REPORT_YEAR + 1, 2, 1, 11)  # 1 February 2027: the reports on 2026 are being written
AUTUMN = utc(REPORT_YEAR + 1, 10, 1, 11)  # after 1 September: nothing owed is a task any more
OUS, COORDINATOR, HDIR = "soker.ous@demo.no", "koordinator.sorost@demo.no", "hdir@demo.no"


def _owed_by_ous() -> int:
    return len(reports.owed(REPORT_YEAR, organisation_id=user(OUS).organisation_id))


def test_a_health_trust_sees_its_unsent_reports_until_they_are_sent(app: Flask) -> None:
    owed = _owed_by_ous()
    assert owed > 1
    assert tasks_on_start_page(app, OUS, SPRING) == [
        (f"{owed} årsrapporter er ikke sendt til RHF – frist 15. mars 2027",
         f"/rapporter/?ar={REPORT_YEAR}")]
    started_report(OUS, ServiceType.NATIONAL_COMPETENCE, complete=True, state=ReportState.SENT)
    assert tasks_on_start_page(app, OUS, SPRING)[0][0].startswith(f"{owed - 1} årsrapport")


def test_reports_owed_are_no_task_before_the_year_ends_or_after_1_september(app: Flask) -> None:
    assert tasks_on_start_page(app, OUS, utc(REPORT_YEAR, 12, 10, 11)) == [
        ("Du har ingen oppgaver nå.", None)]
    assert tasks_on_start_page(app, OUS, AUTUMN) == [("Du har ingen oppgaver nå.", None)]


@pytest.mark.parametrize(("state", "text", "deadline"), [
    (ReportState.RETURNED, "1 årsrapport er returnert for bearbeiding og ikke sendt på nytt",
     "fristen gikk ut 15. mars 2027"),
    (ReportState.SUPPLEMENT_REQUESTED, "1 årsrapport venter på tilleggsrapportering",
     "fristen gikk ut 1. september 2027"),
])
def test_a_returned_report_or_a_supplement_is_a_task_that_links_to_the_report(
        app: Flask, state: ReportState, text: str, deadline: str) -> None:
    report = started_report(OUS, ServiceType.NATIONAL_TREATMENT, complete=True, state=state)
    assert (f"{text} – {deadline}", f"/rapporter/{report.id}") in tasks_on_start_page(
        app, OUS, AUTUMN)


def test_the_rhf_forwards_what_it_received_and_helsedirektoratet_assesses(app: Flask) -> None:
    sent = started_report(OUS, ServiceType.NATIONAL_COMPETENCE, complete=True,
                          state=ReportState.SENT)
    forwarded = started_report(OUS, ServiceType.NATIONAL_TREATMENT, complete=True,
                               state=ReportState.FORWARDED)
    assert tasks_on_start_page(app, COORDINATOR, SPRING) == [
        ("1 mottatt årsrapport er ikke sendt videre til Helsedirektoratet – frist 15. mars 2027",
         f"/rhf/arsrapporter/?ar={REPORT_YEAR}")]
    assert tasks_on_start_page(app, "koordinator.vest@demo.no", SPRING) == [
        ("Du har ingen oppgaver nå.", None)]
    assert tasks_on_start_page(app, HDIR, SPRING) == [
        ("1 årsrapport venter på vurdering – frist 1. juni 2027",
         f"/hdir/arsrapporter/{forwarded.id}")]
    sent.state = ReportState.FORWARDED
    db.session.commit()
    assert tasks_on_start_page(app, HDIR, SPRING) == [
        ("2 årsrapporter venter på vurdering – frist 1. juni 2027",
         f"/hdir/arsrapporter/?ar={REPORT_YEAR}")]
