"""The health trust's point page as a person sees it, at 1280 and 375 px: no findings in red on
the first arrival, findings after a save, the error summary focused after a refused save, the
point before the list of points on a narrow screen, table cells that grow with their text; and
the ranking's disabled move buttons look disabled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.services import applications, coordination
from tests.browser.helpers import (
    assert_accessible,
    assert_no_horizontal_scroll,
    flash,
    focused,
    h1,
    log_in,
)
from tests.factories import make_application, user

pytestmark = pytest.mark.browser

OUS = "soker.ous@demo.no"
SOR_OST = "koordinator.sorost@demo.no"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 740}}
SHOTS = "/tmp/shots/pointux"
LABEL = "Hvorfor bør behandlingstilbudet sentraliseres?"


@pytest.fixture(params=list(WIDTHS))
def sized(request, new_context):  # type: ignore[no-untyped-def]
    return request.param, new_context(viewport=WIDTHS[request.param]).new_page()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_findings_appear_after_saving_and_a_refused_save_focuses_the_summary(app, sized):  # type: ignore[no-untyped-def]
    width, page = sized
    with app.app_context():
        draft = make_application(OUS).id
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/punkt/p3")
    expect(h1(page)).to_contain_text("Punkt 3:")
    # First arrival at an untouched point: nothing in red, no finding, no invalid field.
    expect(page.locator(".section-findings")).to_have_count(0)
    expect(page.locator(".error-message")).to_have_count(0)
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    expect(page.locator(".field-error")).to_have_count(0)
    assert_no_horizontal_scroll(page, "point 3, first arrival")
    assert_accessible(page, f"point 3 first arrival at {width} px")
    shot(page, f"point-first-arrival-{width}")

    # The point before the list of points on a narrow screen; beside it on a wide one.
    point = page.locator(".section-form")
    points = page.get_by_role("navigation", name="Punktene i søknaden")
    if width == "375":
        assert box(point)["y"] < box(points)["y"]
        link = page.get_by_role("link", name="Gå til listen over punktene")
        expect(link).to_be_visible()
        assert box(link)["y"] < box(h1(page))["y"]
    else:
        assert box(points)["x"] < box(point)["x"]
        assert box(points)["y"] < box(point)["y"] + box(point)["height"]
    # Reading and tab order: the point's heading and form, then the list.
    order = page.evaluate("""() => {
        const h = document.querySelector('h1'), nav = document.getElementById('punktene');
        return h.compareDocumentPosition(nav) & Node.DOCUMENT_POSITION_FOLLOWING; }""")
    assert order

    # Saved (empty): the findings are shown, at the top and at the fields.
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(flash(page, "Lagret kl.")).to_be_visible()
    findings = page.locator(".section-findings")
    expect(findings.get_by_role("heading")).to_have_text(
        "Dette mangler eller bør sjekkes i punktet")
    expect(findings.locator(".finding-blocking").first).to_be_visible()
    expect(page.locator(".error-message").first).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile("^" + re.escape(LABEL)))
           ).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"point 3 after a save at {width} px")
    shot(page, f"point-after-save-{width}")

    # Too long: the save is refused, and the error summary at the top has the focus.
    field = page.get_by_role("textbox", name=re.compile("^" + re.escape(LABEL)))
    field.focus()
    page.keyboard.insert_text("x" * 30_001)
    page.get_by_role("button", name="Lagre", exact=True).click()
    summary = page.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Punktet er ikke lagret")
    expect(page).to_have_title(re.compile("^Feil: "))
    assert box(summary)["y"] < box(page.locator(".section-form"))["y"]
    summary_link = summary.get_by_role("link", name=re.compile("^«" + re.escape(LABEL)))
    expect(summary_link).to_contain_text("Kort ned teksten med 1 tegn.")
    assert_accessible(page, f"point 3 refused at {width} px")
    shot(page, f"point-refused-{width}")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info is not None
    assert info["name"].startswith("«" + LABEL)
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    expect(field).to_have_value("x" * 30_001)


def test_the_check_pages_link_shows_the_points_findings(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        draft = make_application(OUS).id
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/kontroll")
    page.locator("a[href*='/punkt/p3?sjekk=1']").first.click()
    expect(h1(page)).to_contain_text("Punkt 3:")
    expect(page.locator(".section-findings .finding-blocking").first).to_be_visible()


def test_table_cells_grow_with_their_text(app, sized):  # type: ignore[no-untyped-def]
    width, page = sized
    with app.app_context():
        draft = make_application(OUS).id
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/punkt/p7")
    cell = page.get_by_label("Navn, rad 1", exact=True)
    before = box(cell)["height"]
    cell.fill("Første linje\nAndre linje\nTredje linje\nFjerde linje\nFemte linje\nSjette linje")
    page.wait_for_timeout(100)
    after = box(cell)["height"]
    assert after > before + 40, (before, after)
    assert cell.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # all of it in sight
    assert_no_horizontal_scroll(page, "point 7")
    assert_accessible(page, f"point 7 with a grown cell at {width} px")
    shot(page, f"point-7-table-{width}")


def test_a_disabled_move_button_looks_disabled(app, sized):  # type: ignore[no-untyped-def]
    width, page = sized
    with app.app_context():
        coordinator = user(SOR_OST)
        for _ in range(2):
            application = make_application(OUS, complete=True)
            applications.submit(application, user(OUS))
            coordination.accept(application, coordinator)
    log_in(page, SOR_OST)
    page.goto("/rhf/prioritering")
    expect(h1(page)).to_have_text("Regional prioritering – Helse Sør-Øst")
    first = page.locator("tbody tr").first
    up, down = (first.get_by_role("button", name=re.compile(f"^{verb}")) for verb in
                ("Flytt opp", "Flytt ned"))
    expect(up).to_be_disabled()
    expect(down).to_be_enabled()
    style = "e => { const s = getComputedStyle(e); return {cursor: s.cursor, " \
            "border: s.borderTopStyle, color: s.color, background: s.backgroundColor, " \
            "borderColor: s.borderTopColor}; }"
    disabled, enabled = up.evaluate(style), down.evaluate(style)
    assert disabled["cursor"] == "not-allowed"
    assert enabled["cursor"] == "pointer"
    assert disabled["border"] == "dashed"
    assert enabled["border"] == "solid"
    assert disabled["color"] != enabled["color"]
    assert disabled["background"] != enabled["background"]
    # The boundary still stands out: #6b7178 on white and on #f3f5f7 is over 3:1.
    assert disabled["borderColor"] == "rgb(107, 113, 120)"
    assert_accessible(page, f"regional ranking at {width} px")
    shot(page, f"ranking-disabled-{width}")
