"""The health trust writes and sends an annual report in a real browser: start it from the
list, fill a section and save it, record the reference group's approval, send it to the RHF;
axe-core finds no WCAG 2.1 A/AA violation on the list, the overview or a section page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from soknad import clock
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport
from soknad.services import reports
from tests.browser.helpers import assert_accessible, flash, h1, log_in
from tests.factories import REPORT_YEAR, owed_report, report_answers

pytestmark = pytest.mark.browser

OWNER = "soker.ous@demo.no"


def test_a_health_trust_writes_approves_and_sends_its_report(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        item = owed_report(OWNER, ServiceType.NATIONAL_COMPETENCE)
        name, service_id = item.service.name_nb, item.service.id
    log_in(page, OWNER)
    page.goto(f"/rapporter/?ar={REPORT_YEAR}")
    expect(h1(page)).to_have_text(f"Årsrapporter {REPORT_YEAR}")
    assert_accessible(page, "årsrapportene")
    page.get_by_role("button", name=f"Start rapporten for {name}").click()
    expect(h1(page)).to_have_text(f"Årsrapport {REPORT_YEAR}: {name}")
    assert_accessible(page, "rapportens oversikt")

    page.get_by_role("link", name="Punkt 1: Tjenestens innhold og oppgaver").first.click()
    page.get_by_label("Status for tjenestens aktivitet og resultater").fill(
        "Tjenesten har holdt kurs i alle fire regioner.")
    page.get_by_label("Endringer i tjenestens innhold").fill("Ingen")
    page.get_by_role("button", name="Lagre", exact=True).last.click()
    expect(flash(page, "Lagret kl.")).to_be_visible()
    expect(page.get_by_label("Status for tjenestens aktivitet og resultater")).to_have_value(
        "Tjenesten har holdt kurs i alle fire regioner.")
    assert_accessible(page, "en del av rapporten")
    page.goto(page.url.replace("/del/r1", "/del/r5"))
    page.get_by_role("button", name="Legg til rad i Resultatmål og status").click()
    expect(page.locator("#resultatmal-1-mal")).to_be_visible()
    assert_accessible(page, "delen med resultatmålene")

    with app.app_context():  # the rest of the report, as if written over some days
        report = db.session.scalar(select(AnnualReport).where(
            AnnualReport.service_id == service_id, AnnualReport.year == REPORT_YEAR))
        assert report is not None
        report.answers = {**report_answers(reports.spec_of(report)),
                          "status": report.answers["status"], "endringer": "Ingen"}
        report.version += 1
        db.session.commit()
        report_id = report.id
    page.goto(f"/rapporter/{report_id}")
    expect(page.get_by_text("Referansegruppens godkjenning må registreres")).to_be_visible()
    page.get_by_label("Hvem godkjente").fill("Kari Nordmann, leder")
    page.get_by_role("button", name="Registrer godkjenningen").click()  # no date: refused
    summary = page.locator("#godkjenning-feil")
    expect(summary).to_contain_text("Skriv datoen referansegruppen godkjente rapporten.")
    expect(page.get_by_label("Hvem godkjente")).to_have_value("Kari Nordmann, leder")
    assert_accessible(page, "oversikten med en feil i godkjenningen")
    page.get_by_label("Dato referansegruppen godkjente rapporten").fill(
        (clock.today() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Registrer godkjenningen").click()
    expect(flash(page, "Referansegruppens godkjenning er registrert.")).to_be_visible()
    assert_accessible(page, "oversikten før sending")
    page.get_by_role("button", name="Send rapporten til Helse Sør-Øst RHF").click()
    expect(flash(page, "Rapporten er sendt til Helse Sør-Øst RHF.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Sendt til RHF")
    with app.app_context():
        sent = db.session.get(AnnualReport, report_id)
        assert sent is not None
        assert sent.state is ReportState.SENT
        assert sent.answers["status"] == "Tjenesten har holdt kurs i alle fire regioner."
