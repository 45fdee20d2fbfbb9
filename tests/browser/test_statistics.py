"""Helsedirektoratet's statistics and a service's reports year over year in a real browser:
the charts are images with a name and a description, the figures are in tables beside them,
nothing is refused under the Content-Security-Policy, and axe-core finds no WCAG 2.1 A/AA
violation on either page."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.domain.decisions import DecisionKind
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from tests.browser.helpers import assert_accessible, h1, log_in
from tests.factories import decided_at_the_directorate, report_with_goals

pytestmark = pytest.mark.browser

HDIR = "hdir@demo.no"


def _refusals(page: Any) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None)
    return refused


def test_the_statistics_page_with_its_charts_is_accessible(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        decided_at_the_directorate("soker.bergen@demo.no", ServiceType.NATIONAL_COMPETENCE,
                                   DecisionKind.APPROVED, 30)
        decided_at_the_directorate("soker.ous@demo.no", ServiceType.NATIONAL_TREATMENT, None)
        report_with_goals(2026, ReportState.FORWARDED, ["naadd"], "2")
    refused = _refusals(page)
    log_in(page, HDIR)
    page.goto("/hdir/statistikk")
    expect(h1(page)).to_have_text("Statistikk for søknadsrunde 2027")

    chart = page.get_by_role("img", name="Utfall per tjenestetype, søknadsrunde 2027")
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Årsrapporter for 2026 per helseregion")).to_be_visible()
    types = page.get_by_role("table", name="Søknader, utfall og tid til vedtak per tjenestetype")
    expect(types.get_by_role("row", name="Nasjonal kompetansetjeneste")).to_contain_text("30")
    expect(page.get_by_role("table", name=(
        "Årsrapporter for 2026: skyldige, sendt i tide, for sent og ikke sendt"))).to_be_visible()
    if os.environ.get("STATISTICS_SCREENSHOT"):
        page.screenshot(path=os.environ["STATISTICS_SCREENSHOT"], full_page=True)
    assert_accessible(page, "statistikk")

    page.get_by_label("Søknadsrunde", exact=True).select_option("2027")
    page.get_by_role("button", name="Vis statistikken").click()
    expect(h1(page)).to_have_text("Statistikk for søknadsrunde 2027")
    assert refused == []


def test_a_service_page_with_reports_year_over_year_is_accessible(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        first = report_with_goals(2025, ReportState.ASSESSED, ["naadd", "delvis"], "3")
        report_with_goals(2026, ReportState.FORWARDED, ["naadd", "naadd"], "5")
        service_id = first.service_id
    log_in(page, HDIR)
    page.goto(f"/tjenester/{service_id}")
    years = page.get_by_role("table", name="Årsrapporter for", exact=False)
    expect(years.get_by_role("row", name="Resultatmål nådd")).to_have_text(
        "Resultatmål nådd1 av 22 av 2")
    expect(years.get_by_role("link", name="2025")).to_be_visible()
    assert_accessible(page, "tjenestesiden med årsrapporter")
