"""The administrator's audit log: read, filter, page through; accessible at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.extensions import db
from soknad.services import audit
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, h1, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_the_admin_reads_and_filters_the_audit_log(app, new_context, width):
    with app.app_context():
        audit.record(None, "login_failed", "user", None, email="inntrenger@example.com\nINFO ok",
                     address="203.0.113.9")
        db.session.commit()
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "admin@demo.no")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Revisjonslogg").click()
    expect(h1(page)).to_have_text("Revisjonslogg")
    table = page.get_by_role("table", name="Revisjonslogg, nyeste først")
    expect(table.get_by_role("columnheader")).to_have_text([
        "Tidspunkt", "Person", "Organisasjon og rolle", "Adresse", "Hendelse", "Gjelder",
        "Resultat", "Detaljer"])
    assert_no_horizontal_scroll(page, f"audit log at {width} px")
    assert_accessible(page, f"audit log at {width} px")

    page.get_by_label("Hendelse").select_option(label="Mislykket innlogging")
    page.get_by_role("button", name="Vis hendelser").click()
    expect(page.get_by_role("heading", name="1 hendelse", exact=True)).to_be_visible()
    row = table.get_by_role("row").nth(1)
    expect(row).to_contain_text("Ukjent bruker")
    expect(row).to_contain_text("inntrenger@example.com\\nINFO ok")
    expect(row).to_contain_text("203.0.113.9")
    expect(row).to_contain_text("Mislyktes")
    assert "handling=login_failed" in page.url
    assert_accessible(page, f"filtered audit log at {width} px")

    page.get_by_label("Fra og med dato").fill("2026-12-02")
    page.get_by_label("Til og med dato").fill("2026-12-01")
    page.get_by_role("button", name="Vis hendelser").click()
    expect(page.get_by_role("alert")).to_contain_text("Til-datoen kan ikke være før fra-datoen.")
    assert_accessible(page, f"audit log with a refused filter at {width} px")
