"""The registry of national services in a real browser: the menu, the search by name, type,
region, ICD-10 code, range and chapter, refused searches (the error summary has the focus,
links to the field and keeps what was typed), one service's page, the keyboard, and the
overlap warning at point 1 of an application that links to the service it overlaps. axe-core
checks every page on the way (0 WCAG 2.1 A/AA violations)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, focused, h1, log_in, tab_to
from tests.factories import make_application

pytestmark = pytest.mark.browser

OUS = "soker.ous@demo.no"

# From data/nasjonale_tjenester.csv (imported by `soknad demo`).
BONE_SARCOMA = "Flerregional behandlingstjeneste for kirurgi ved bensarkom"  # C40; C41, 2011
BONE_SARCOMA_EN = ("Norwegian National Unit for Bone Sacroma Surgery, Oslo University Hospital; "
                   "Norwegian National Unit for Bone Sacroma Surgery, Haukeland University "
                   "Hospital")
HEART_DEFECTS = ("Nasjonal behandlingstjeneste for kirurgisk og intervensjonell behandling av "
                 "medfødt hjertefeil")  # Q20 – Q28
SCHWANNOMA = "Nasjonal behandlingstjeneste for vestibularisschwannom"  # D33.3: chapter II
DEAFBLIND = "Nasjonal kompetansetjeneste for døvblinde"  # competence service, Helse Nord
FISTULAS = "Nasjonal behandlingstjeneste for gynekologiske fistler"

SEARCH = "Søk i nasjonale tjenester"


def results(page: Any) -> Any:
    """The table of services found (labelled by the heading that counts them: «105 tjenester –
    side 1 av 3», «1 av 105 tjenester»)."""
    return page.get_by_role("table", name=re.compile(
        r"^(\d+ av )?\d+ tjenester?( – side \d+ av \d+)?$"))


def service_link(page: Any, name: str) -> Any:
    return results(page).get_by_role("link", name=name, exact=True)


def search(page: Any, **fields: str) -> None:
    """Fill in the search form by its labels and press «Søk»."""
    form = page.get_by_role("search", name=SEARCH)
    labels = {"q": "Navn eller ord i beskrivelsen", "icd10": "ICD-10-kode, område eller kapittel",
              "aar": "Godkjent år"}
    for key, value in fields.items():
        if key == "type":
            form.get_by_label("Type", exact=True).select_option(label=value)
        elif key == "region":
            form.get_by_label("Helseregion").select_option(label=value)
        else:
            form.get_by_label(labels[key]).fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name="Søk").click()


def clear(page: Any) -> None:
    page.goto("/tjenester/")


def expect_refused(page: Any, field_label: str, typed: str, message: str) -> None:
    """The search is refused: the summary has the focus, names the problem in Norwegian,
    links to the field, and the field still holds what was typed."""
    summary = page.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Søket kunne ikke gjøres")
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile("^Feil: "))
    field = page.get_by_label(field_label)
    expect(field).to_have_value(typed)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_text("Ingen tjenester passer søket.")).to_be_visible()
    # The summary's link takes the keyboard to the field.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == summary.get_by_role("link").inner_text()  # type: ignore[index]
    page.keyboard.press("Enter")
    expect(field).to_be_focused()


def test_searching_the_registry_and_reading_a_service(page):  # type: ignore[no-untyped-def]
    log_in(page, OUS)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Nasjonale tjenester").click()
    expect(h1(page)).to_have_text("Godkjente nasjonale tjenester")
    expect(page.locator(".lead")).to_contain_text("(105 tjenester)")
    expect(page.get_by_role("heading", name="105 tjenester – side 1 av 3")).to_be_visible()
    expect(results(page).locator("tbody tr")).to_have_count(50)
    assert_accessible(page, "registry: every service")

    # A word in the name, with the keyboard alone: Tab to the field, type, Enter.
    tab_to(page, "Navn eller ord i beskrivelsen", kind="input")
    page.keyboard.type("bensarkom")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tjenester/\?q=bensarkom&"))
    expect(page.get_by_role("heading", name="1 av 105 tjenester", exact=True)).to_be_visible()
    row = results(page).locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(BONE_SARCOMA)
    expect(row).to_contain_text("Flerregional behandlingstjeneste")
    expect(row).to_contain_text("Helse Sør-Øst, Helse Vest")
    expect(row).to_contain_text("C40, C41")
    expect(row).to_contain_text("07.07.2011")
    expect(page.get_by_label("Navn eller ord i beskrivelsen")).to_have_value("bensarkom")
    assert_accessible(page, "registry: search by name")

    # Type and region: Helse Nord's competence services, and nothing else.
    clear(page)
    search(page, type="Nasjonal kompetansetjeneste", region="Helse Nord")
    expect(page.get_by_label("Type", exact=True)).to_have_value("nasjonal_kompetansetjeneste")
    expect(page.get_by_label("Helseregion")).to_have_value("helse-nord")
    rows = results(page).locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(service_link(page, DEAFBLIND)).to_be_visible()
    for text in rows.locator("td:nth-child(2)").all_inner_texts():
        assert text.strip() == "Nasjonal kompetansetjeneste"
    for text in rows.locator("td:nth-child(3)").all_inner_texts():
        assert "Helse Nord" in text
    assert_accessible(page, "registry: type and region")

    # ICD-10: a code, a range, a chapter.
    clear(page)
    search(page, icd10="C40")
    expect(service_link(page, BONE_SARCOMA)).to_be_visible()
    expect(service_link(page, FISTULAS)).to_have_count(0)
    search(page, icd10="Q20-Q28")
    expect(page.get_by_label("ICD-10-kode, område eller kapittel")).to_have_value("Q20-Q28")
    expect(service_link(page, HEART_DEFECTS)).to_be_visible()
    expect(service_link(page, BONE_SARCOMA)).to_have_count(0)
    search(page, icd10="II")  # chapter II, neoplasms: C00-D48
    expect(service_link(page, SCHWANNOMA)).to_be_visible()
    expect(service_link(page, BONE_SARCOMA)).to_be_visible()
    expect(service_link(page, HEART_DEFECTS)).to_have_count(0)
    assert_accessible(page, "registry: search by ICD-10 chapter")

    # Not an ICD-10 code: refused, in Norwegian, with the focus on the summary.
    search(page, icd10="XYZ")
    expect_refused(page, "ICD-10-kode, område eller kapittel", "XYZ",
                   "«XYZ» er ikke en ICD-10-kode, et område eller et kapittel "
                   "(for eksempel C40, Q20-Q28 eller II).")
    assert_accessible(page, "registry: invalid ICD-10 code")

    # Not a year: likewise.
    clear(page)
    search(page, aar="tjue")
    expect_refused(page, "Godkjent år", "tjue", "«tjue» er ikke et årstall.")
    assert_accessible(page, "registry: invalid year")

    # A valid year narrows the search.
    clear(page)
    search(page, aar="2011", icd10="C40")
    expect(service_link(page, BONE_SARCOMA)).to_be_visible()
    for text in results(page).locator("tbody td:nth-child(5)").all_inner_texts():
        assert text.strip().endswith(".2011")

    # One service's page (by the keyboard): its names, ICD-10 codes and approval date.
    tab_to(page, BONE_SARCOMA, kind="a")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text(BONE_SARCOMA)
    expect(page).to_have_title(re.compile("^" + re.escape(BONE_SARCOMA)))
    english = page.locator("p.lead[lang='en']")
    expect(english).to_have_text(BONE_SARCOMA_EN)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Flerregional behandlingstjeneste")
    expect(facts).to_contain_text("Helse Sør-Øst, Helse Vest")
    expect(page.locator("dt", has_text="Godkjent fra").locator("xpath=following-sibling::dd[1]")
           ).to_have_text("7. juli 2011")
    codes = page.get_by_role("heading", name="ICD-10", exact=True).locator(
        "xpath=following-sibling::ul[1]").get_by_role("listitem")
    expect(codes).to_have_count(2)
    expect(codes.nth(0)).to_contain_text("C40")
    expect(codes.nth(1)).to_contain_text("C41")
    expect(page.get_by_text("Slik står det i kilden: «C40; C41»")).to_be_visible()
    assert_accessible(page, "registry: one service")

    # Back through the breadcrumbs.
    page.get_by_role("navigation", name="Brødsmulesti").get_by_role(
        "link", name="Nasjonale tjenester").click()
    expect(h1(page)).to_have_text("Godkjente nasjonale tjenester")


def test_point_1_warns_of_an_overlapping_service_and_links_to_it(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        draft = make_application(OUS, answers={
            "navn_nb": "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"}).id
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/punkt/p1")
    expect(h1(page)).to_contain_text("Punkt 1:")
    findings = page.locator(".section-findings")
    expect(page.get_by_text("Godkjente nasjonale tjenester dekker")).to_have_count(0)

    # The applicant writes a code that an approved service covers, and saves.
    page.get_by_role("textbox", name=re.compile(r"^ICD-10-koder")).fill("C40.2, M88")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".flash-list").get_by_role("status").filter(has_text="Lagret kl.")
           ).to_be_visible()
    warning = findings.locator(".finding").filter(
        has_text="Godkjente nasjonale tjenester dekker noe av det samme")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text(BONE_SARCOMA)
    expect(warning).to_contain_text("Beskriv i «Ansvarsavklaring mot godkjente tjenester» "
                                    "hvordan ansvaret er fordelt")
    assert_accessible(page, "point 1 with the overlap warning")

    warning.get_by_role("link", name=BONE_SARCOMA, exact=True).click()
    expect(page).to_have_url(re.compile(r"/tjenester/\d+$"))
    expect(h1(page)).to_have_text(BONE_SARCOMA)
    expect(page.locator("dl.facts")).to_contain_text("7. juli 2011")
    assert_accessible(page, "registry: the overlapping service")
