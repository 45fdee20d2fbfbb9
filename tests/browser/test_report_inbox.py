"""The RHF's annual report inbox in a real browser: the coordinator sees who has reported,
returns one report with a note (an empty note first, which is refused with the error summary),
and forwards the rest to Helsedirektoratet through the confirmation page. axe-core finds no
WCAG 2.1 A/AA violation on the inbox, its error state, or the confirmation page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from tests.browser.helpers import assert_accessible, flash, h1, log_in
from tests.factories import started_report

pytestmark = pytest.mark.browser

COORDINATOR = "koordinator.sorost@demo.no"


def test_the_coordinator_returns_one_and_forwards_the_other(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        returned = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                                  state=ReportState.SENT)
        forwarded = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                                   state=ReportState.SENT)
        returned_name, forwarded_name = returned.service.name_nb, forwarded.service.name_nb
    log_in(page, COORDINATOR)
    page.goto("/rhf/arsrapporter/?ar=2026")
    expect(h1(page)).to_have_text("Årsrapporter 2026 – Helse Sør-Øst RHF")
    expect(page.get_by_role("heading", name="av", exact=False).first).to_contain_text(
        "2 av ")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=returned_name)).to_contain_text("Sendt til RHF")
    expect(table.get_by_role("row", name=returned_name)).to_contain_text("I tide")
    assert_accessible(page, "årsrapportene i RHF-et")

    # Return one: an empty note is refused and said so; with a note it goes back.
    page.get_by_text(f"Returner {returned_name}").click()
    page.get_by_role("button", name="Returner for bearbeiding").first.click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "Skriv hva helseforetaket må rette før du returnerer rapporten.")
    assert_accessible(page, "retur uten merknad")
    note = page.get_by_label(f"Hva må helseforetaket rette i rapporten for {returned_name}?")
    note.fill("Aktivitetstabellen mangler tall for 2026.")
    note.locator("xpath=ancestor::form").get_by_role(
        "button", name="Returner for bearbeiding").click()
    expect(flash(page, "er returnert til Oslo universitetssykehus HF")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row", name=returned_name)).to_contain_text(
        "Returnert for bearbeiding")

    # Forward the other, after seeing what goes and what is missing.
    page.get_by_role("button", name="Se over og send til Helsedirektoratet").click()
    expect(h1(page)).to_have_text("Send årsrapportene 2026 til Helsedirektoratet")
    expect(page.get_by_role("region", name="Dette sendes (1)")).to_contain_text(forwarded_name)
    expect(page.get_by_role("region", name="Dette mangler", exact=False)).to_contain_text(
        returned_name)
    assert_accessible(page, "bekreft sending av årsrapportene")
    page.get_by_role("button", name="Ja, send 1 rapport til Helsedirektoratet").click()
    expect(flash(page, "1 årsrapport er sendt til Helsedirektoratet.")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row", name=forwarded_name)).to_contain_text(
        "Sendt til Helsedirektoratet")
