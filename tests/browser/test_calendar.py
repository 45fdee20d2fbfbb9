"""The deadlines page (/kalender) and the administrator's dates: axe-core finds no WCAG 2.1 AA
violation, at full width and at 320 pixels, also with the feed address shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_calendar_page_and_feed_address(app, new_context, width):
    with app.app_context():
        make_application()  # a draft: something left to do
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "soker.ous@demo.no")
    expect(page.get_by_role("heading", name="Frister", level=2)).to_be_visible()
    assert_accessible(page, f"applicant start page with deadlines at {width} px")
    page.get_by_role("link", name="Frister", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frister")
    assert_no_horizontal_scroll(page, "deadlines page")
    assert_accessible(page, f"deadlines page at {width} px")
    page.get_by_role("button", name="Lag kalenderadresse").click()
    address = page.get_by_label("Din private kalenderadresse")
    expect(address).to_have_value(re.compile(r"/kalender/[\w-]{43}\.ics$"))
    assert_accessible(page, f"deadlines page with the feed address at {width} px")


def test_admin_dates_page(new_context):
    page = new_context().new_page()
    log_in(page, "admin@demo.no")
    page.goto("/admin/frister/2027")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datoer for søknadsrunden 2027")
    page.get_by_role("button", name="Legg til datoen").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Velg hvem datoen gjelder for.")
    assert_accessible(page, "admin dates page with errors")
    page.get_by_label("Dato", exact=True).fill("2026-12-05")
    page.get_by_label("Hva gjelder datoen?").fill("Ekstra koordinatormøte")
    page.get_by_label("RHF-koordinator").check()
    page.get_by_role("button", name="Legg til datoen").click()
    expect(page.get_by_role("status")).to_contain_text("Ekstra koordinatormøte")
    expect(page.get_by_role("row").filter(has_text="Ekstra koordinatormøte")).to_contain_text(
        "RHF-koordinatorer")
    assert_accessible(page, "admin dates page")


@pytest.mark.parametrize(("email", "followed"), [
    ("koordinator.sorost@demo.no", "Samlet søknad fra RHF-ene til Helsedirektoratet"),
    ("hdir@demo.no", "Helsedirektoratets vedtak om søknadene"),
])
def test_deadline_panel_on_the_other_start_pages(new_context, email, followed):
    # At full width: the panel itself is checked at 320 px on the applicant's start page above.
    # Each start page shows the dates the portal follows for the role (all are on /kalender).
    page = new_context().new_page()
    log_in(page, email)
    expect(page.get_by_role("heading", name="Frister", level=2)).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("Frister portalen følger opp for deg"))
           ).to_contain_text(followed)
    assert_accessible(page, f"start page of {email}")
