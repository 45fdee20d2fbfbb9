"""«Se over og send inn» in the browser at 1280 and 375 px (axe clean), the way from the
overview, the PDF box, and printing: the print stylesheet hides the chrome and the page
renders as PDF in Chromium."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from soknad.services import attachments as attachment_service
from soknad.services import pdfs
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, h1, log_in
from tests.factories import make_application, user

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/sendreview"))
TITLE = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))  # what the first screen shows


def complete_with_file(app) -> int:
    with app.app_context():
        application = make_application(complete=True)
        attachment_service.store(application, "p2_dokumentasjon",
                                 io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                                 "pasientregister-2025.pdf", user("soker.ous@demo.no"))
        return application.id


@pytest.mark.parametrize("width", [1280, 375])
def test_review_page_shows_all_and_sends_last(app, new_context, width):
    application_id = complete_with_file(app)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}")
    expect(page.get_by_role("heading", name="Siste steg: se over og send inn")).to_be_visible()
    shot(page, f"overview-{width}")
    page.get_by_role("link", name="Se over og send inn").click()
    expect(h1(page)).to_have_text("Se over og send inn")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Her er hele søknaden slik den blir sendt til Helse Sør-Øst RHF.")
    expect(page.get_by_role("heading", name=re.compile("^Punkt 7"))).to_be_visible()
    expect(page.get_by_role("region", name="Fagpersoner som avsettes til tjenesten")
           ).to_contain_text("Ola Lege")
    expect(main).to_contain_text("Q78.0")
    expect(page.get_by_role("link", name="pasientregister-2025.pdf").first).to_be_visible()
    send = page.get_by_role("button", name="Send inn til Helse Sør-Øst RHF")
    expect(send).to_be_visible()
    # The send button comes after every point.
    last_point = page.locator(".review-section").last
    assert last_point.bounding_box()["y"] < send.bounding_box()["y"]
    assert_no_horizontal_scroll(page, f"review at {width} px")
    assert_accessible(page, f"review at {width} px")
    shot(page, f"review-{width}")

    page.get_by_role("button", name="Lag PDF").click()
    expect(page.get_by_role("status").filter(has_text="PDF-en lages …")).to_be_visible()
    assert_accessible(page, f"review, PDF being made, at {width} px")
    with app.app_context():
        pdfs.convert_pending()
    page.get_by_role("link", name="Last siden på nytt").click()
    expect(page.get_by_role("link", name="Last ned som PDF")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, f"review-pdf-ready-{width}")

    send.click()
    expect(h1(page)).to_have_text("Kvittering: søknaden er sendt inn")
    expect(page.get_by_role("link", name="Last ned som Word")).to_be_visible()
    assert_accessible(page, f"receipt at {width} px")
    shot(page, f"receipt-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_review_page_with_what_blocks(app, new_context, width):
    with app.app_context():
        application_id = make_application(complete=True, answers={"fagpersoner": []}).id
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/send-inn")
    summary = page.get_by_role("alert").filter(has_text="Søknaden kan ikke sendes inn ennå")
    expect(summary).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Send inn"))).to_have_count(0)
    assert_no_horizontal_scroll(page, f"blocked review at {width} px")
    assert_accessible(page, f"blocked review at {width} px")
    shot(page, f"review-blocked-{width}")
    summary.get_by_role("link", name=re.compile("^Punkt 7")).click()
    expect(page).to_have_url(re.compile("#punkt-p7$"))
    point = page.locator("#punkt-p7")
    point.get_by_role("link", name=re.compile("Fagpersoner")).first.click()
    expect(page).to_have_url(re.compile(r"/punkt/p7\?sjekk=1#felt-fagpersoner$"))


def test_printing_shows_the_content_without_the_chrome(app, new_context):
    application_id = complete_with_file(app)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/send-inn")
    navigation = page.get_by_role("navigation", name="Hovedmeny")
    expect(navigation).to_be_visible()

    page.emulate_media(media="print")
    expect(navigation).to_be_hidden()
    expect(page.get_by_role("navigation", name="Brødsmulesti")).to_be_hidden()
    expect(page.get_by_role("link", name="Hopp til hovedinnhold")).to_be_hidden()
    expect(page.get_by_role("button", name="Send inn til Helse Sør-Øst RHF")).to_be_hidden()
    expect(page.get_by_role("button", name="Logg ut")).to_be_hidden()
    expect(page.get_by_role("heading", name="Last ned søknaden")).to_be_hidden()
    expect(h1(page)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Punkt 12"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Ola Lege")
    width = page.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
    assert width >= 1200, width  # full width, not the screen's 72rem column
    after = page.evaluate("""() => { const a = document.createElement('a');
        a.href = 'https://www.helsedirektoratet.no/'; a.textContent = 'Veilederen';
        document.querySelector('main').append(a);
        return getComputedStyle(a, '::after').content; }""")
    assert after == '" (https://www.helsedirektoratet.no/)"', after

    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000  # the whole application, several pages
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "review-print.pdf").write_bytes(pdf)
    page.set_viewport_size({"width": 794, "height": 1123})
    shot(page, "review-print-emulated")

    page.emulate_media(media="screen")
    expect(navigation).to_be_visible()
