"""Two people from the same health trust edit the same point: nobody's text is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

LABEL = "Behandlingsmetode"
TEXT_A = "Kirurgi ved Rikshospitalet, skrevet av Kari."
TEXT_B = "Medikamentell behandling og oppfølging, skrevet av Per."


@pytest.fixture
def two_applicants(app, new_context):  # type: ignore[no-untyped-def]
    """Kari (A) and Per (B), both applicants at Oslo universitetssykehus HF, on point 1."""
    with app.app_context():
        application_id = make_application().id
    pages = []
    for email in ("soker.ous@demo.no", "soker2.ous@demo.no"):
        page = new_context().new_page()
        log_in(page, email)
        page.goto(f"/soknader/{application_id}/punkt/p1")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Punkt 1:")
        pages.append(page)
    return pages


def save(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Lagre", exact=True).click()


def test_save_button_conflict_shows_both_versions_and_keeps_the_text(two_applicants):
    page_a, page_b = two_applicants
    page_a.get_by_role("textbox", name=LABEL).fill(TEXT_A)
    save(page_a)
    expect(page_a.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()

    box_b = page_b.get_by_role("textbox", name=LABEL)
    box_b.fill(TEXT_B)
    save(page_b)

    alert = page_b.get_by_role("alert")
    expect(alert).to_contain_text(
        "Noen andre har lagret endringer i dette punktet etter at du åpnet det.")
    expect(alert).to_contain_text("Teksten din er ikke lagret ennå")
    expect(alert).to_be_focused()
    expect(page_b).to_have_title(re.compile("^Feil: "))
    expect(box_b).to_have_value(TEXT_B)
    saved = alert.locator("details")
    expect(saved).to_have_attribute("open", "")
    expect(saved.locator("summary")).to_contain_text("lagret av Kari Nordmann")
    expect(saved).to_contain_text(TEXT_A)
    expect(saved).not_to_contain_text(TEXT_B)
    assert_accessible(page_b, "point 1 with a save conflict")

    # Per has compared and saves his text on purpose.
    save(page_b)
    expect(page_b.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()
    expect(page_b.get_by_role("alert")).to_have_count(0)
    expect(box_b).to_have_value(TEXT_B)

    page_a.reload()
    expect(page_a.get_by_role("textbox", name=LABEL)).to_have_value(TEXT_B)


def test_autosave_conflict_stops_and_keeps_the_text(two_applicants):
    page_a, page_b = two_applicants
    page_a.get_by_role("textbox", name=LABEL).fill(TEXT_A)
    save(page_a)
    expect(page_a.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()

    box_b = page_b.get_by_role("textbox", name=LABEL)
    status_b = page_b.locator("#lagrestatus")
    with page_b.expect_response(lambda r: r.url.endswith("/autolagre")) as answer:
        box_b.press_sequentially("Per skriver")
    assert answer.value.status == 409
    expect(status_b).to_have_text(re.compile(
        r"^Kari Nordmann lagret dette punktet kl\. \d\d:\d\d, etter at du åpnet det\. "
        r"Teksten din er ikke lagret, men den står fortsatt i skjemaet\."))
    expect(status_b).to_have_attribute("role", "status")
    expect(box_b).to_have_value("Per skriver")
    assert_accessible(page_b, "point 1 after an autosave conflict")

    # No more autosaves after the conflict: typing on does not overwrite Kari's text.
    box_b.press_sequentially(" videre")
    page_b.wait_for_timeout(2_000)
    page_a.reload()
    expect(page_a.get_by_role("textbox", name=LABEL)).to_have_value(TEXT_A)

    # «Lagre» shows the comparison, with Per's text still in the box.
    save(page_b)
    expect(page_b.get_by_role("alert")).to_contain_text("Noen andre har lagret endringer")
    expect(box_b).to_have_value("Per skriver videre")
