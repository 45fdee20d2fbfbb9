"""Logging in: the page, a wrong password, and the start page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from soknad.services.demo import PASSWORD
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser


def test_login_page_wrong_password_and_success(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logg-inn$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    expect(page).to_have_title("Logg inn – Søknadsportal for nasjonale tjenester")
    assert_accessible(page, "login page")

    email = page.get_by_label("E-postadresse")
    password = page.get_by_label("Passord")
    expect(email).to_have_attribute("autocomplete", "username")
    expect(password).to_have_attribute("autocomplete", "current-password")

    email.fill("soker.ous@demo.no")
    password.fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Dette må rettes")
    message = "Feil e-postadresse eller passord. Sjekk at du har skrevet riktig, og prøv igjen."
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary).to_have_attribute("tabindex", "-1")  # focusable, so focus can be moved there
    expect(summary).to_be_focused()
    expect(page).to_have_title("Feil: Logg inn – Søknadsportal for nasjonale tjenester")
    # The field says what is wrong too, and the e-mail address is kept; the password is not.
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-feil")).to_have_text(message)
    expect(email).to_have_value("soker.ous@demo.no")
    expect(password).to_have_value("")
    assert_accessible(page, "login page with an error")

    # The link in the summary takes you to the field.
    summary.get_by_role("link", name=message).click()
    expect(password).to_be_focused()

    password.fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/soknader/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine søknader")
    expect(page.get_by_text("Kari Nordmann, Oslo universitetssykehus HF")).to_be_visible()
    assert_accessible(page, "dashboard after login")
