"""The RHF's annual reports: the region's inbox (who has reported, on time or late), returning a
report for revision (a note is required), forwarding the region's reports to
Helsedirektoratet after a confirmation page, the e-mails and audit entries, and another
region's reports answering 404."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad.domain.organisations import Region
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, AuditEntry, OutboxMessage
from soknad.services import report_inbox, reports
from tests.calendar_helpers import clear_outbox
from tests.factories import REPORT_YEAR, client_for, page, started_report, user

COORDINATOR = "koordinator.sorost@demo.no"
INBOX = f"/rhf/arsrapporter/?ar={REPORT_YEAR}"


@pytest.fixture
def coordinator(app: Flask) -> FlaskClient:
    return client_for(app, COORDINATOR)


@pytest.fixture
def sent() -> AnnualReport:
    report = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                            state=ReportState.SENT)
    clear_outbox()
    return report


def fresh(report: AnnualReport) -> AnnualReport:
    db.session.expire_all()
    found = db.session.get(AnnualReport, report.id)
    assert found is not None
    return found


def outbox() -> list[tuple[str, str]]:
    return sorted((row.recipient, row.subject) for row in db.session.scalars(
        select(OutboxMessage)))


def audit_actions(report: AnnualReport) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "annual_report", AuditEntry.object_id == report.id)
        .order_by(AuditEntry.id)))


# --------------------------------------------------------------------------- the inbox


def test_the_inbox_counts_who_has_reported(coordinator: FlaskClient, sent: AnnualReport) -> None:
    started_report(service_type=ServiceType.NATIONAL_COMPETENCE)  # a draft: not reported
    owed = reports.owed(REPORT_YEAR, region=Region.SOR_OST)
    assert len(owed) > 2
    text = page(coordinator.get(INBOX))
    assert f"1 av {len(owed)} har rapportert" in text
    assert "Sendt til RHF" in text
    assert "I tide" in text
    assert "Under arbeid, ikke sendt" in text
    assert "Ikke påbegynt" in text
    assert f'/rapporter/{sent.id}/les' in text  # a sent report links to the report
    assert text.count("/les\"") == 1  # the draft does not: the RHF never sees drafts
    found = report_inbox.inbox(Region.SOR_OST, REPORT_YEAR)
    assert (found.total, len(found.reported), len(found.missing)) == (len(owed), 1, len(owed) - 1)
    assert [item.id for item in found.to_forward] == [sent.id]


def test_the_inbox_tells_late_from_on_time(app: Flask, sent: AnnualReport) -> None:
    report = fresh(sent)
    report.first_sent_at = datetime(REPORT_YEAR + 1, 3, 16, 9, tzinfo=UTC)
    db.session.commit()
    with time_machine.travel(datetime(REPORT_YEAR + 1, 4, 1, 10, tzinfo=UTC)):
        coordinator = client_for(app, COORDINATOR)
        text = page(coordinator.get("/rhf/arsrapporter/"))  # the year being worked on
    assert f"Årsrapporter {REPORT_YEAR}" in text
    assert "For sent" in text
    assert "Fristen er passert" in text
    assert "16. mars 2027" in text


def test_another_region_sees_none_of_it(app: Flask, sent: AnnualReport) -> None:
    vest = client_for(app, "koordinator.vest@demo.no")
    text = page(vest.get(INBOX))
    assert sent.service.name_nb not in text
    response = vest.post(f"/rhf/arsrapporter/{sent.id}/returner", data={"merknad": "Nei"})
    assert response.status_code == 404
    assert fresh(sent).state is ReportState.SENT


@pytest.mark.parametrize("year", ["1999", "tjue", "2999"])
def test_a_year_that_cannot_be_one_is_404(coordinator: FlaskClient, year: str) -> None:
    assert coordinator.get(f"/rhf/arsrapporter/?ar={year}").status_code == 404


# --------------------------------------------------------------------------- return


def test_returning_needs_a_note(coordinator: FlaskClient, sent: AnnualReport) -> None:
    response = coordinator.post(f"/rhf/arsrapporter/{sent.id}/returner",
                                data={"merknad": "   ", "versjon": str(sent.version)})
    assert response.status_code == 422
    text = page(response)
    assert "Skriv hva helseforetaket må rette før du returnerer rapporten." in text
    assert 'aria-invalid="true"' in text
    assert fresh(sent).state is ReportState.SENT
    assert outbox() == []


def test_returning_tells_the_health_trust(coordinator: FlaskClient, sent: AnnualReport) -> None:
    note = "Tabellen over aktivitet mangler tall for 2026."
    response = coordinator.post(f"/rhf/arsrapporter/{sent.id}/returner",
                                data={"merknad": note, "versjon": str(sent.version)})
    assert response.status_code == 302
    text = page(coordinator.get(response.headers["Location"]))
    assert "er returnert til Oslo universitetssykehus HF for bearbeiding" in text
    report = fresh(sent)
    assert (report.state, report.return_note) == (ReportState.RETURNED, note)
    subject = f"Årsrapporten er returnert for bearbeiding: {report.service.name_nb}"
    assert outbox() == [("soker.ous@demo.no", subject), ("soker2.ous@demo.no", subject)]
    body = db.session.scalars(select(OutboxMessage)).first().body
    assert note in body
    assert "Helse Sør-Øst RHF har returnert årsrapporten for 2026" in body
    assert f"/rapporter/{report.id}\n" in body  # where the health trust revises it
    assert audit_actions(report) == ["report_returned"]
    # Returned, it is no longer with the RHF: a second return is refused, with a message.
    again = coordinator.post(f"/rhf/arsrapporter/{sent.id}/returner",
                             data={"merknad": note, "versjon": str(report.version)})
    assert again.status_code == 422
    assert "Bare en rapport som er sendt til RHF, kan returneres." in page(again)


def test_a_stale_return_keeps_the_note(coordinator: FlaskClient, sent: AnnualReport) -> None:
    note = "Referansegruppens godkjenning er fra feil år."
    response = coordinator.post(f"/rhf/arsrapporter/{sent.id}/returner",
                                data={"merknad": note, "versjon": str(sent.version - 1)})
    assert response.status_code == 422
    text = page(response)
    assert "ble endret av noen andre etter at du åpnet siden" in text
    assert note in text
    assert fresh(sent).state is ReportState.SENT


def test_a_draft_cannot_be_returned(coordinator: FlaskClient) -> None:
    draft = started_report(service_type=ServiceType.NATIONAL_COMPETENCE)
    response = coordinator.post(f"/rhf/arsrapporter/{draft.id}/returner",
                                data={"merknad": "Mer"})
    assert response.status_code == 404


# --------------------------------------------------------------------------- forward


def test_forwarding_shows_what_goes_and_what_is_missing_first(
        coordinator: FlaskClient, sent: AnnualReport) -> None:
    response = coordinator.post("/rhf/arsrapporter/videresend", data={"ar": str(REPORT_YEAR)})
    assert response.status_code == 200
    text = page(response)
    assert "Dette sendes (1)" in text
    assert sent.service.name_nb in text
    missing = len(reports.owed(REPORT_YEAR, region=Region.SOR_OST)) - 1
    assert f"Dette mangler ({missing})" in text
    assert "Ja, send 1 rapport til Helsedirektoratet" in text
    assert fresh(sent).state is ReportState.SENT
    assert outbox() == []


def test_forwarding_sends_to_the_directorate(coordinator: FlaskClient,
                                             sent: AnnualReport) -> None:
    other = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                           state=ReportState.SENT)
    clear_outbox()
    response = coordinator.post("/rhf/arsrapporter/videresend", data={
        "ar": str(REPORT_YEAR), "bekreftet": "ja", f"versjon-{sent.id}": str(sent.version),
        f"versjon-{other.id}": str(other.version)})
    assert response.status_code == 302
    assert "2 årsrapporter er sendt til Helsedirektoratet." in page(
        coordinator.get(response.headers["Location"]))
    for report in (fresh(sent), fresh(other)):
        assert report.state is ReportState.FORWARDED
        assert report.forwarded_at is not None
        assert audit_actions(report) == ["report_forwarded"]
    assert outbox() == [("hdir@demo.no", f"Årsrapporter {REPORT_YEAR} fra Helse Sør-Øst RHF")]
    body = db.session.scalars(select(OutboxMessage)).one().body
    assert "Helse Sør-Øst RHF har sendt 2 årsrapporter for 2026 til Helsedirektoratet" in body
    assert sent.service.name_nb in body
    assert "har ikke rapportert ennå" in body
    # Nothing is left to forward: a second confirmation says so and changes nothing.
    again = coordinator.post("/rhf/arsrapporter/videresend", data={
        "ar": str(REPORT_YEAR), "bekreftet": "ja"})
    assert "Ingen årsrapporter venter på å bli sendt til Helsedirektoratet." in page(
        coordinator.get(again.headers["Location"]))
    assert len(outbox()) == 1


def test_forwarding_what_changed_since_the_confirmation_forwards_nothing(
        coordinator: FlaskClient, sent: AnnualReport) -> None:
    version = sent.version
    report_inbox.return_for_revision(fresh(sent), "Rett tallene.", user(COORDINATOR))
    clear_outbox()
    response = coordinator.post("/rhf/arsrapporter/videresend", data={
        "ar": str(REPORT_YEAR), "bekreftet": "ja", f"versjon-{sent.id}": str(version)})
    assert "ikke lenger klar til å sendes videre" in page(
        coordinator.get(response.headers["Location"]))
    assert fresh(sent).state is ReportState.RETURNED
    assert outbox() == []


def test_two_coordinators_forwarding_at_once_forward_once(sent: AnnualReport) -> None:
    """The second, working from the same versions, is told; nothing is forwarded twice."""
    expected = report_inbox.versions([sent])
    report_inbox.forward(Region.SOR_OST, REPORT_YEAR, user(COORDINATOR), expected)
    with pytest.raises(report_inbox.StaleError):
        report_inbox.forward(Region.SOR_OST, REPORT_YEAR, user(COORDINATOR), expected)
    assert audit_actions(fresh(sent)) == ["report_forwarded"]
    assert len(outbox()) == 1
