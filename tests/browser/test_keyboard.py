"""Keyboard only: log in, start an application, type, add a table row and save, without a mouse
click; the skip link comes first and every focused element shows where the focus is."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from soknad.services.demo import PASSWORD
from tests.browser.helpers import assert_focus_visible, focused, tab_to

pytestmark = pytest.mark.browser


def test_keyboard_only_journey(page):
    page.goto("/logg-inn")

    # The skip link is the first Tab stop, visible when focused, and moves focus to <main>.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None
    assert (first["tag"], first["name"]) == ("a", "Hopp til hovedinnhold"), first
    assert_focus_visible(first)
    expect(page.get_by_role("link", name="Hopp til hovedinnhold")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#innhold")).to_be_focused()

    # Log in.
    tab_to(page, "E-postadresse", kind="email")
    page.keyboard.type("soker.ous@demo.no")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Passord"  # type: ignore[index]
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine søknader")

    # Start a new application for a national treatment service.
    tab_to(page, "Start en ny søknad", kind="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny søknad")
    treatment = page.get_by_role("radio", name="Nasjonal behandlingstjeneste", exact=True)
    tab_to(page, re.compile(r"tjeneste$"), kind="radio")  # into the group «Hva søker dere om?»
    for _ in range(5):
        if focused(page)["name"] == "Nasjonal behandlingstjeneste":  # type: ignore[index]
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(treatment).to_be_checked()
    tab_to(page, "Opprett søknaden", kind="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Søknaden er opprettet")).to_be_visible()

    # Type the name of the service in the first point and save with the button.
    tab_to(page, "Om søknaden", kind="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Om søknaden")
    tab_to(page, "Tjenestens navn på norsk", kind="input")
    page.keyboard.type("Nasjonal behandlingstjeneste for tastaturbrukere")
    tab_to(page, "Lagre", kind="button")
    page.keyboard.press("Space")
    expect(page.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()
    expect(page.get_by_label("Tjenestens navn på norsk")).to_have_value(
        "Nasjonal behandlingstjeneste for tastaturbrukere")

    # Point 9: add a row to the table of measures, fill it, go back with Shift+Tab, save.
    tab_to(page, re.compile(r"^Punkt 9\b"), kind="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Punkt 9:")
    rows = page.locator("table[data-table='spredningsplan'] tbody tr")
    expect(rows).to_have_count(1)
    tab_to(page, "Legg til rad i Tiltak for kompetansespredning", kind="button")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Hvilken kompetanse, rad 2", exact=True)).to_be_focused()
    assert_focus_visible(focused(page))
    page.keyboard.type("Kurs i diagnostikk")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Primær målgruppe, rad 2", exact=True)).to_be_focused()
    page.keyboard.type("Fastleger")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Hvilken kompetanse, rad 2", exact=True)).to_be_focused()
    tab_to(page, "Lagre", kind="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Hvilken kompetanse, rad 2", exact=True)).to_have_value(
        "Kurs i diagnostikk")
    expect(page.get_by_label("Primær målgruppe, rad 2", exact=True)).to_have_value("Fastleger")
