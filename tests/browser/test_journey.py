"""A whole application for a national treatment service, typed in through the pages, checked,
submitted and locked, with axe-core on every distinct page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.services import forms
from tests.browser.helpers import assert_accessible, expect_point, fill_point, log_in
from tests.factories import VALID_ANSWERS

pytestmark = pytest.mark.browser

ANSWERS = VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT]


def saved_flash(page):  # type: ignore[no-untyped-def]
    return page.locator(".flash-list").get_by_role("status").filter(has_text="Lagret kl.")


def test_fill_check_submit_and_lock_a_national_treatment_application(page, app):
    with app.app_context():
        spec = forms.library().latest(ServiceType.NATIONAL_TREATMENT)  # what a new one gets
    sections = spec.sections_for(ApplicationKind.ESTABLISHMENT)
    assert [section.id for section in sections] == ["om"] + [f"p{n}" for n in range(1, 13)] + [
        "beredskap", "referansegruppe", "ideell"]  # what the guides require beyond Appendix 6
    heading = page.get_by_role("heading", level=1)

    # ------------------------------------------------------------------ dashboard and new
    log_in(page, "soker.ous@demo.no")
    expect(heading).to_have_text("Mine søknader")
    expect(page.get_by_text("Dere har ingen søknader ennå.")).to_be_visible()
    assert_accessible(page, "dashboard, no applications")

    page.get_by_role("link", name="Start en ny søknad").click()
    expect(heading).to_have_text("Ny søknad")
    assert_accessible(page, "new application")
    page.get_by_role("radio", name="Nasjonal behandlingstjeneste", exact=True).check()
    expect(page.get_by_role("radio", name="Etablering av ny tjeneste")).to_be_checked()
    page.get_by_role("button", name="Opprett søknaden").click()

    # ------------------------------------------------------------------ overview
    expect(page.get_by_role("status").filter(has_text="Søknaden er opprettet")).to_be_visible()
    expect(heading).to_have_text("Nasjonal behandlingstjeneste (uten navn ennå)")
    expect(page.get_by_role("heading", name="Punktene (0 % utfylt)")).to_be_visible()
    overview_url = page.url
    application_id = int(overview_url.rstrip("/").rsplit("/", 1)[1])
    assert_accessible(page, "overview, new application")

    # ------------------------------------------------------------------ every point
    points_nav = page.get_by_role("navigation", name="Punktene i søknaden")
    page.get_by_role("link", name="Om søknaden", exact=True).click()
    for index, section in enumerate(sections):
        expect(heading).to_have_text(section.heading)
        expect(page).to_have_url(re.compile(f"/soknader/{application_id}/punkt/{section.id}$"))
        if index == 0:
            assert_accessible(page, "a point, empty, with findings")
        fill_point(page, section, ANSWERS)
        if section.id == "p7":
            _add_and_remove_a_row(page)
        page.get_by_role("button", name="Lagre", exact=True).click()

        expect(saved_flash(page)).to_be_visible()
        current = points_nav.get_by_role("listitem").filter(
            has=page.locator("a[aria-current=page]"))
        expect(current).to_contain_text(section.short_heading)
        expect(current).to_contain_text("Utfylt")
        expect(page.locator(".section-findings .finding-blocking")).to_have_count(0)
        expect_point(page, section, ANSWERS)
        assert_accessible(page, f"{section.heading}, filled and saved")

        if index + 1 < len(sections):
            following = sections[index + 1]
            page.get_by_role("navigation", name="Forrige og neste punkt").get_by_role(
                "link", name=f"Neste: {following.short_heading}").click()
        else:
            page.get_by_role("navigation", name="Forrige og neste punkt").get_by_role(
                "link", name="Kontroller søknaden").click()

    # ------------------------------------------------------------------ check
    expect(heading).to_have_text("Kontroll av søknaden")
    expect(page).to_have_url(re.compile(f"/soknader/{application_id}/kontroll$"))
    lead = page.locator("p.lead")
    expect(lead).not_to_contain_text("må rettes")
    expect(lead).to_have_text(re.compile(r"^(Alt er fylt ut|Ingenting hindrer innsending)"))
    expect(page.locator(".finding-blocking")).to_have_count(0)
    assert_accessible(page, "check page, complete")

    page.goto(overview_url)
    expect(heading).to_have_text(ANSWERS["navn_nb"])
    expect(page.get_by_role("heading", name="Punktene (100 % utfylt)")).to_be_visible()
    assert_accessible(page, "overview, complete")

    # ------------------------------------------------------------------ submit and receipt
    page.get_by_role("link", name="Se over og send inn").click()
    expect(heading).to_have_text("Se over og send inn")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Oslo universitetssykehus HF")
    expect(facts).to_contain_text("Helse Sør-Øst RHF")
    assert_accessible(page, "submit page")
    page.get_by_role("button", name="Send inn til Helse Sør-Øst RHF").click()

    expect(page).to_have_url(re.compile(rf"/soknader/{application_id}/innsendt/1\?kvittering=1$"))
    expect(page).to_have_title(re.compile("^Kvittering"))
    receipt = page.get_by_role("status").filter(has_text="Kvittering")
    expect(receipt.get_by_role("heading", level=1)).to_have_text(
        "Kvittering: søknaden er sendt inn")
    expect(receipt).to_contain_text(f"{ANSWERS['navn_nb']} er sendt til Helse Sør-Øst RHF.")
    expect(page.locator("code.checksum").first).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.get_by_role("heading", name="Innholdet")).to_be_visible()
    expect(page.get_by_text(ANSWERS["beskrivelse"])).to_be_visible()
    assert_accessible(page, "receipt")

    # ------------------------------------------------------------------ locked afterwards
    page.get_by_role("link", name="Mine søknader").first.click()
    row = page.get_by_role("row").filter(has_text=ANSWERS["navn_nb"])
    expect(row).to_contain_text("Sendt til RHF")
    assert_accessible(page, "dashboard, one submitted application")

    page.goto(f"/soknader/{application_id}/punkt/p1")
    expect(page.get_by_role("status").filter(has_text="kan ikke endres")).to_be_visible()
    expect(page.locator("form.section-form")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Lagre")).to_have_count(0)
    expect(page.get_by_text(ANSWERS["beskrivelse"])).to_be_visible()
    assert_accessible(page, "point 1, read-only")

    page.goto(f"/soknader/{application_id}/punkt/p7")
    expect(page.get_by_role("textbox")).to_have_count(0)
    for person in ANSWERS["fagpersoner"]:
        expect(page.get_by_role("row").filter(has_text=person["navn"])).to_be_visible()
    assert_accessible(page, "point 7, read-only table")


def _add_and_remove_a_row(page) -> None:  # type: ignore[no-untyped-def]
    """Point 7 shows the three rows the rule asks for; a fourth is added, then removed again."""
    rows = page.locator("table[data-table='fagpersoner'] tbody tr")
    expect(rows).to_have_count(3)
    add = page.get_by_role("button", name="Legg til rad i Fagpersoner som avsettes til tjenesten")
    add.click()
    expect(rows).to_have_count(4)
    expect(page.get_by_label("Navn, rad 4", exact=True)).to_be_focused()
    expect(page.locator("#lagrestatus")).to_have_text("Ny rad lagt til: rad 4.")
    page.get_by_role("button", name="Fjern rad 4").click()
    expect(rows).to_have_count(3)
    expect(add).to_be_focused()
    expect(page.locator("#lagrestatus")).to_have_text("Raden er fjernet.")
    expect(page.get_by_label("Navn, rad 3", exact=True)).to_have_value("Per Fysio")
