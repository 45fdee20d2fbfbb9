"""The annual report's read page in a real browser: its sections (rendered once per version
and kept) pass axe, and «Last ned rapporten som JSON» downloads the report in the exchange
format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from tests.browser.helpers import assert_accessible, h1, log_in
from tests.factories import started_report

pytestmark = pytest.mark.browser


def test_the_read_page_is_accessible_and_downloads_the_json(app, page, tmp_path: Path):  # type: ignore[no-untyped-def]
    with app.app_context():
        report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                                state=ReportState.SENT)
        report_id, name, version = report.id, report.service.name_nb, report.version
    log_in(page, "koordinator.sorost@demo.no")
    for _ in range(2):  # rendered, then kept: the same page
        page.goto(f"/rapporter/{report_id}/les")
        expect(h1(page)).to_have_text(f"Årsrapport 2026: {name}")
        expect(page.get_by_role("heading", level=2).first).to_be_visible()
    assert_accessible(page, "årsrapport")
    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned rapporten som JSON").click()
    download = info.value
    assert download.suggested_filename == f"arsrapport-2026-{report_id}-versjon-{version}.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "soknad/arsrapport"
    assert data["service"]["name"] == name
