"""What users read, in the browser at 1280 and 375 px (axe clean): the RHF reviewer sees each
point's uploaded files as links that download; a returned application says why at the top."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from soknad.services import applications, coordination
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
    # ICD-10 titles are WHO's English ones: marked in the page's language and in words.
    title = page.locator('span[lang="en"]', has_text="Osteogenesis imperfecta")
    expect(title).to_be_visible()
    expect(page.get_by_text("Titlene på kodene er WHOs engelske titler").first).to_be_visible()
    title.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"rhf-review-icd10-{width}.png"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Pasientvolum 2025.pdf"
    assert Path(download.value.path()).read_bytes() == PDF


@pytest.mark.parametrize("width", [1280, 375])
def test_a_returned_application_says_why_at_the_top(app, new_context, width):
    with app.app_context():
        owner = user("soker.ous@demo.no")
        application = make_application(complete=True)
        applications.submit(application, owner)
        coordination.return_for_revision(application, "Fagmiljøet er for tynt beskrevet.",
                                         user("koordinator.sorost@demo.no"))
        application_id = application.id
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}")
    notice = page.get_by_role("region", name="Søknaden er sendt tilbake til dere for endring")
    expect(notice).to_contain_text("Begrunnelse: «Fagmiljøet er for tynt beskrevet.»")
    expect(notice).to_contain_text("Anne Berg i Helse Sør-Øst RHF sendte søknaden tilbake")
    points = page.get_by_role("heading", name="Punktene")
    assert notice.bounding_box()["y"] < points.bounding_box()["y"]
    assert_no_horizontal_scroll(page, f"overview at {width} px")
    assert_accessible(page, f"returned overview at {width} px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    notice.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"overview-returned-{width}.png"))
