"""The point pages work without JavaScript: rows are added and removed, and files are attached,
by posting the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.browser.test_upload import PDF
from tests.factories import make_application

pytestmark = pytest.mark.browser


def test_rows_and_uploads_without_javascript(app, new_context, tmp_path):
    with app.app_context():
        application_id = make_application().id
    pdf = tmp_path / "CV-er for fagpersonene.pdf"
    pdf.write_bytes(PDF)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/punkt/p7")
    rows = page.locator("table[data-table='fagpersoner'] tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_label("Navn, rad 1", exact=True).fill("Ola Lege")
    page.get_by_role("button", name="Legg til rad i Fagpersoner som avsettes til tjenesten").click()
    # The server saved what was typed, added the row and came back to the table.
    expect(page).to_have_url(re.compile(r"/punkt/p7#fagpersoner$"))
    expect(page.get_by_role("group", name="Fagpersoner som avsettes til tjenesten")).to_have_id(
        "fagpersoner")
    expect(rows).to_have_count(4)
    expect(page.get_by_label("Navn, rad 1", exact=True)).to_have_value("Ola Lege")
    page.get_by_label("Navn, rad 4", exact=True).fill("Per Fysio")

    evidence = page.get_by_role("group", name="Dokumentasjon av kompetansen")
    evidence.get_by_label("Legg ved filer").set_input_files(str(pdf))
    page.get_by_role("button", name="Lagre", exact=True).click()
    flashes = page.locator(".flash-list")
    expect(flashes.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()
    expect(flashes).to_contain_text("Vedlegget «CV-er for fagpersonene.pdf» er lagt ved.")
    expect(evidence.get_by_role("link", name="CV-er for fagpersonene.pdf")).to_be_visible()
    expect(page.get_by_label("Navn, rad 4", exact=True)).to_have_value("Per Fysio")
    # No axe here: axe-core runs on timers, which a page without JavaScript never fires. The
    # same templates are checked with JavaScript on in the other tests.

    page.get_by_role("button", name="Fjern rad 2").click()
    expect(rows).to_have_count(3)
    expect(page.get_by_label("Navn, rad 3", exact=True)).to_have_value("Per Fysio")
