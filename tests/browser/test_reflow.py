"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing but a data table scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def narrow_page(new_context):  # type: ignore[no-untyped-def]
    return new_context(viewport=NARROW).new_page()


def test_dashboard_and_points_reflow_at_320_pixels(app, narrow_page):
    page = narrow_page
    with app.app_context():
        application_id = make_application(complete=True).id
    log_in(page, "soker.ous@demo.no")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mine søknader")
    title = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_no_horizontal_scroll(page, "dashboard")
    assert_accessible(page, "dashboard at 320 px")

    for point in ("p1", "p4", "p7"):
        page.goto(f"/soknader/{application_id}/punkt/{point}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Punkt")
        assert_no_horizontal_scroll(page, f"point {point}")
    # The tables keep their columns and scroll inside their own box, which a keyboard can
    # reach (axe: scrollable-region-focusable).
    assert_accessible(page, "point 7 at 320 px")

    page.goto(f"/soknader/{application_id}")
    assert_no_horizontal_scroll(page, "overview")
