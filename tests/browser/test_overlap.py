"""The overlap check at point 1 in a real browser: a competence service whose name is close to
an approved one («… for antibiotikaresistens» and «… for påvisning av antibiotikaresistens»)
is warned, with the reason and a link; the applicant clarifies the division of
responsibilities in the table under the finding, saves, and the finding is met. axe-core
checks both states (0 WCAG 2.1 A/AA violations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.domain.service_types import ServiceType
from tests.browser.helpers import assert_accessible, h1, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

OUS = "soker.ous@demo.no"
ABX = "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens"
TABLE = "Ansvarsavklaring mot godkjente tjenester"


def test_point_1_shows_the_overlap_and_the_field_that_answers_it(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        draft = make_application(OUS, ServiceType.NATIONAL_COMPETENCE, complete=True, answers={
            "navn_nb": "Nasjonal kompetansetjeneste for antibiotikaresistens",
            "icd10": ["Z16"]}).id
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/punkt/p1")
    expect(h1(page)).to_contain_text("Punkt 1:")
    warning = page.locator(".section-findings .finding").filter(
        has_text="Godkjente nasjonale tjenester dekker noe av det samme")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text(f"{ABX} (lignende navn)")
    expect(warning.get_by_role("link", name=ABX, exact=True)).to_be_visible()
    table = page.get_by_role("group", name=TABLE)
    expect(table).to_be_visible()
    assert_accessible(page, "point 1 with the overlap finding and the clarification table")

    page.get_by_label("Godkjent tjeneste, rad 1", exact=True).fill(ABX)
    page.get_by_label("Hvordan ansvaret er fordelt, rad 1", exact=True).fill(
        "De påviser resistens i laboratoriet; vi gir råd om behandling.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".flash-list").get_by_role("status").filter(has_text="Lagret kl.")
           ).to_be_visible()
    expect(page.get_by_text("Godkjente nasjonale tjenester dekker")).to_have_count(0)
    expect(page.get_by_label("Hvordan ansvaret er fordelt, rad 1", exact=True)).to_have_value(
        "De påviser resistens i laboratoriet; vi gir råd om behandling.")
    assert_accessible(page, "point 1 with the overlap answered")
