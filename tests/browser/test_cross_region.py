"""Reading across regions in a real browser: Helse Midt-Norge opens Helse Vest's application
from the national list it is asked to consent to (the page and its Word document, read-only);
Helse Vest, the partner region of a multi-regional application from Oslo universitetssykehus
HF, finds it in its inbox and comments in its own name (a refused comment first: focus on the
summary, the text kept); Helse Sør-Øst reads the comment beside its review. axe-core checks
every page on the way (0 WCAG 2.1 A/AA violations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, flash, h1, log_in
from tests.factories import listed, multiregional

pytestmark = pytest.mark.browser

SOR_OST = "koordinator.sorost@demo.no"
VEST = "koordinator.vest@demo.no"
MIDT = "koordinator.midt@demo.no"

LISTED = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"  # Helse Bergen HF's
PARTNERED = "Flerregional behandlingstjeneste for sjeldne beinsykdommer"  # OUS with Bergen
COMMENT = "Helse Bergen HF stiller med to ortopeder og felles henvisningskriterier."


def test_another_region_reads_the_list_and_the_partner_region_comments(app, new_context):
    with app.app_context():
        (bergen,) = listed("soker.bergen@demo.no")
        listed_id = bergen.id
        partnered_id = multiregional().id

    # ------------------------------------------------------------------ Midt reads the list
    midt = new_context().new_page()
    log_in(midt, MIDT)
    midt.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Nasjonal liste").click()
    row = midt.get_by_role("row").filter(has_text=LISTED)
    expect(row.get_by_role("link", name=LISTED)).to_have_attribute(
        "href", f"/rhf/andre-regioner/soknader/{listed_id}")
    assert_accessible(midt, "national list with links to read")
    row.get_by_role("link", name=LISTED).click()
    expect(midt).to_have_url(re.compile(rf"/rhf/andre-regioner/soknader/{listed_id}$"))
    expect(h1(midt)).to_have_text(LISTED)
    expect(midt.get_by_role("note")).to_contain_text("Til lesing.")
    expect(midt.get_by_role("note")).to_contain_text("står på den nasjonale prioriterte listen")
    expect(midt.get_by_role("button", name="Godta for prioritering")).to_have_count(0)
    expect(midt.get_by_role("textbox")).to_have_count(0)  # nothing to write here
    assert_accessible(midt, "listed application, read-only")
    with midt.expect_download() as download:
        midt.get_by_role("link", name=re.compile("^Last ned søknaden som Word-dokument")).click()
    assert download.value.suggested_filename == f"soknad-{listed_id}-versjon-1.docx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    # The partner application is not on the list, and Midt is not its partner: not there.
    midt.goto("/rhf")
    expect(midt.get_by_role("heading", name=re.compile("samarbeidsregion"))).to_have_count(0)

    # ------------------------------------------------------------------ Vest, the partner
    vest = new_context().new_page()
    log_in(vest, VEST)
    vest.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Innkomne søknader").click()
    section = vest.get_by_role("heading",
                               name="Flerregionale søknader der dere er samarbeidsregion")
    expect(section).to_be_visible()
    assert_accessible(vest, "inbox with the partner section")
    vest.get_by_role("link", name=PARTNERED).click()
    expect(vest).to_have_url(re.compile(rf"/rhf/andre-regioner/soknader/{partnered_id}$"))
    expect(vest.get_by_role("note")).to_contain_text(
        "Helse Vest er samarbeidsregion for den flerregionale behandlingstjenesten")
    assert_accessible(vest, "partnered application")

    box = vest.get_by_role("textbox", name="Kommentar fra Helse Vest RHF")
    box.fill("   ")
    vest.get_by_role("button", name="Lagre kommentaren").click()
    summary = vest.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv en kommentar før du lagrer den.")
    expect(vest).to_have_title(re.compile("^Feil: "))
    assert_accessible(vest, "refused partner comment")

    box.fill(COMMENT)
    vest.get_by_role("button", name="Lagre kommentaren").click()
    expect(flash(vest, "Kommentaren er lagret på vegne av Helse Vest RHF.")).to_be_visible()
    comments = vest.locator("#samarbeidsregion").locator("..")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Helse Vest RHF –")
    assert_accessible(vest, "partner comment saved")

    # ------------------------------------------------------------------ Sør-Øst, the owner
    sorost = new_context().new_page()
    log_in(sorost, SOR_OST)
    sorost.goto(f"/rhf/soknader/{partnered_id}")
    expect(h1(sorost)).to_have_text(PARTNERED)
    expect(sorost.get_by_role("heading", name="Kommentarer fra samarbeidsregionen")
           ).to_be_visible()
    expect(sorost.get_by_text(COMMENT)).to_be_visible()
    assert_accessible(sorost, "review with the partner's comment")
