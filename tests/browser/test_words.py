"""What users read, in the browser at 1280 and 375 px (axe clean): the RHF reviewer sees each
point's uploaded files as links that download."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from soknad.services import applications
from soknad.services import attachments as attachment_service
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, h1, log_in
from tests.factories import make_application, user

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/words")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_with_file_only(app) -> int:
    with app.app_context():
        owner = user("soker.ous@demo.no")
        application = make_application(complete=True, answers={"p2_dokumentasjon": []})
        attachment_service.store(application, "p2_dokumentasjon", io.BytesIO(PDF),
                                 "Pasientvolum 2025.pdf", owner)
        applications.submit(application, owner)
        return application.id


@pytest.mark.parametrize("width", [1280, 375])
def test_the_reviewer_downloads_a_points_file_from_the_review_page(app, new_context, width):
    application_id = submitted_with_file_only(app)
    page = new_context(viewport={"width": width, "height": 900},
                       accept_downloads=True).new_page()
    log_in(page, "koordinator.sorost@demo.no")
    page.goto(f"/rhf/soknader/{application_id}")
    expect(h1(page)).to_be_visible()
    point = page.locator("section.show-section", has=page.locator("#del-p2"))
    link = point.get_by_role("link", name="Pasientvolum 2025.pdf")
    expect(link).to_be_visible()
    expect(point).not_to_contain_text("Ingen dokumentasjon")
    assert_no_horizontal_scroll(page, f"review at {width} px")
    assert_accessible(page, f"RHF review at {width} px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"rhf-review-attachment-{width}.png"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Pasientvolum 2025.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
