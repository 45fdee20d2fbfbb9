"""Helsedirektoratet assesses an annual report in a real browser: the list per region, a
missing outcome refused with the text kept, an assessment recorded into the history, a
supplement asked for; axe-core finds no WCAG 2.1 A/AA violation on the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from tests.browser.helpers import assert_accessible, h1, log_in
from tests.factories import started_report

pytestmark = pytest.mark.browser

HDIR = "hdir@demo.no"


def test_assessing_a_report_and_asking_for_a_supplement(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        report = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                                state=ReportState.FORWARDED)
        other = started_report(service_type=ServiceType.MULTIREGIONAL_TREATMENT, complete=True,
                               state=ReportState.FORWARDED)
        name, other_name = report.service.name_nb, other.service.name_nb
    log_in(page, HDIR)
    page.goto("/hdir/arsrapporter/?ar=2026")
    expect(h1(page)).to_have_text("Årsrapporter 2026")
    table = page.get_by_role("table", name="Mottatte årsrapporter fra Helse Sør-Øst")
    expect(table.get_by_role("row", name=name)).to_contain_text("Ikke vurdert")
    assert_accessible(page, "årsrapporter til vurdering")

    table.get_by_role("link", name=name).click()
    expect(h1(page)).to_have_text(f"Årsrapport 2026: {name}")
    assert_accessible(page, "en årsrapport til vurdering")
    points = page.get_by_role("textbox", name="Punkter til oppfølging", exact=False)
    points.fill("Tekst som skal bli stående")
    page.get_by_role("button", name="Registrer vurderingen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Velg Helsedirektoratets vurdering av årsrapporten.")
    expect(points).to_have_value("Tekst som skal bli stående")
    assert_accessible(page, "vurderingen med feil")

    summary.get_by_role("link").first.click()
    page.get_by_label("Forslag om endring av tjenesten").check()
    page.get_by_role("button", name="Registrer vurderingen").click()
    history = page.locator("#historikk").locator("xpath=..")
    expect(history).to_contain_text("Forslag om endring av tjenesten (gjeldende)")
    expect(history).to_contain_text("Tekst som skal bli stående")

    page.goto("/hdir/arsrapporter/?ar=2026")
    page.get_by_role("link", name=other_name).click()
    page.get_by_label("Hva skal rapporteres i tillegg?").fill("Rapporter aktiviteten per region.")
    page.get_by_role("button", name="Be om tilleggsrapportering").click()
    expect(page.get_by_role("status")).to_contain_text("1. september 2027")
    table = page.get_by_role("table", name="Mottatte årsrapporter fra Helse Sør-Øst")
    expect(table.get_by_role("row", name=other_name)).to_contain_text(
        "Tilleggsrapportering etterspurt")
    expect(table.get_by_role("row", name=name)).to_contain_text("Forslag om endring")
