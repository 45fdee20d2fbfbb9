"""The RHF's steps that cannot be undone, in a real browser at 1280 and 375 px: accepting and
declining an application ask first, and «Tilbake» keeps what was typed; the region writes its
reason for its ranking; the joint submission asks for a contact person, shows the cover letter
and the package's files, and only then sends. axe-core checks every page (0 violations), and
no page scrolls sideways. Screenshots go to /tmp/shots/coverletter/ (outside the repository)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.domain.coordination import Decision
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, coordination
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, flash, h1, log_in
from tests.factories import COORDINATORS, make_application, user

pytestmark = pytest.mark.browser

SOR_OST, VEST = COORDINATORS[0], COORDINATORS[1]
OUS, BERGEN = "soker.ous@demo.no", "soker.bergen@demo.no"
BONES = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"
SKIN = "Nasjonal kompetansetjeneste for sjeldne hudsykdommer"
DECLINE_REASON = "Dekkes av en eksisterende nasjonal tjeneste.\nSe registeret."
RANKING_REASON = "Størst pasientgrunnlag, og ingen region har et tilbud i dag."
SHOTS = Path("/tmp/shots/coverletter")


def shoot(page: Any, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def check(page: Any, name: str, width: int) -> None:
    assert_no_horizontal_scroll(page, f"{name} at {width} px")
    assert_accessible(page, f"{name} at {width} px")
    shoot(page, name, width)


def submitted(owner: str, name: str,
              service_type: ServiceType = ServiceType.NATIONAL_TREATMENT) -> int:
    application = make_application(owner, service_type, complete=True,
                                   answers={"navn_nb": name})
    applications.submit(application, user(owner))
    return application.id


@pytest.mark.parametrize("width", [1280, 375])
def test_accepting_and_declining_ask_first_and_back_keeps_the_reason(app, new_context, width):
    with app.app_context():
        application_id = submitted(OUS, BONES)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, SOR_OST)
    page.goto(f"/rhf/soknader/{application_id}")
    expect(h1(page)).to_have_text(BONES)

    page.get_by_label("Begrunnelse (ved retur eller avslag)").fill(DECLINE_REASON)
    page.get_by_role("button", name="Avslå", exact=True).click()
    expect(h1(page)).to_have_text("Avslå søknaden?")
    expect(page.get_by_text("Avslaget kan ikke angres.", exact=False)).to_be_visible()
    expect(page.locator(".comment-text")).to_have_text(DECLINE_REASON)
    check(page, "avsla-bekreft", width)
    page.get_by_role("button", name="Tilbake").click()
    expect(h1(page)).to_have_text(BONES)
    expect(page.get_by_label("Begrunnelse (ved retur eller avslag)")).to_have_value(
        DECLINE_REASON)

    page.get_by_role("button", name="Godta for prioritering").click()
    expect(h1(page)).to_have_text("Godta søknaden for prioritering?")
    expect(page.get_by_text("Søknaden legges som nummer 1 i Helse Sør-Østs prioritering."
                            )).to_be_visible()
    check(page, "godta-bekreft", width)
    page.get_by_role("button", name="Ja, godta søknaden").click()
    expect(flash(page, "Søknaden er godtatt")).to_be_visible()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Regional prioritering").click()
    page.get_by_label("Hvorfor har regionen prioritert søknadene i denne rekkefølgen?").fill(
        RANKING_REASON)
    page.get_by_role("button", name="Lagre begrunnelsen").click()
    expect(flash(page, "Begrunnelsen er lagret.")).to_be_visible()
    expect(page.get_by_label("Hvorfor har regionen prioritert søknadene i denne rekkefølgen?")
           ).to_have_value(RANKING_REASON)
    check(page, "prioritering-begrunnelse", width)


def locked_list() -> None:
    east = db.session.get(Application, submitted(OUS, BONES))
    west = db.session.get(Application, submitted(BERGEN, SKIN, ServiceType.NATIONAL_COMPETENCE))
    coordination.accept(east, user(SOR_OST))
    coordination.accept(west, user(VEST))
    round_ = east.round
    coordination.set_ranking_reason(round_, east.organisation.region_enum, RANKING_REASON,
                                    user(SOR_OST))
    found = coordination.propose(round_, user(SOR_OST))
    for email in COORDINATORS:
        coordination.answer(round_, user(email), Decision.CONSENT, "", found.version)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_joint_submission_shows_the_letter_and_the_files_before_it_is_sent(
        app, new_context, width):
    with app.app_context():
        locked_list()
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, SOR_OST)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Nasjonal liste").click()
    contact = page.get_by_role("group", name="Kontaktperson for den samlede søknaden")
    expect(contact.get_by_label("Navn")).to_have_value("Anne Berg")
    expect(contact.get_by_label("Tittel")).to_have_value("Fagdirektør")

    # No telephone number: refused, the focus on the summary, the rest still filled in.
    contact.get_by_label("Telefon").fill("22 33")
    page.get_by_role("button", name="Se over før sending").click()
    summary = page.locator("#kontakt-feil")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("«22 33» er ikke et telefonnummer.")
    expect(contact.get_by_label("Navn")).to_have_value("Anne Berg")
    expect(contact.get_by_label("Telefon")).to_have_value("22 33")
    check(page, "kontaktperson-feil", width)

    contact.get_by_label("Telefon").fill("+47 22 33 44 55")
    page.get_by_role("button", name="Se over før sending").click()
    expect(h1(page)).to_have_text("Se over og send den samlede søknaden")
    expect(page.get_by_text("Når dere sender, kan dere ikke endre rekkefølgen")).to_be_visible()
    ranking = page.get_by_role("table", name="Søknadene i prioritert rekkefølge")
    expect(ranking.locator("tbody th")).to_have_text([BONES, SKIN])
    expect(page.get_by_text(RANKING_REASON)).to_be_visible()
    expect(page.get_by_text("Lars Dale, Fagdirektør, Helse Vest RHF")).to_be_visible()
    expect(page.get_by_text("Telefon: +47 22 33 44 55")).to_be_visible()
    files = page.get_by_role("table", name="Filene i pakken, i rekkefølge")
    expect(files.locator("tbody tr").first).to_contain_text(
        "00 - Samlet søknad om nasjonale tjenester 2027.docx")
    expect(files.locator("tbody tr").last).to_contain_text("manifest.json")
    expect(files.locator("tbody tr").last).to_contain_text(re.compile(r"\d+ kB"))
    check(page, "send-bekreft", width)

    page.get_by_role("link", name="Tilbake").click()
    expect(h1(page)).to_contain_text("Nasjonal prioritert liste")
    expect(contact.get_by_label("Telefon")).to_have_value("+47 22 33 44 55")
    page.get_by_role("button", name="Se over før sending").click()
    page.get_by_role("button", name="Send til Helsedirektoratet").click()
    expect(flash(page, "Den samlede søknaden er sendt til Helsedirektoratet")).to_be_visible()


def test_the_confirmations_work_without_javascript(app, new_context):
    with app.app_context():
        locked_list()
        application_id = submitted(OUS, "Nasjonal behandlingstjeneste for medfødte hjertefeil")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, SOR_OST)
    page.goto(f"/rhf/soknader/{application_id}")
    page.get_by_label("Begrunnelse (ved retur eller avslag)").fill(DECLINE_REASON)
    page.get_by_role("button", name="Avslå", exact=True).click()
    expect(h1(page)).to_have_text("Avslå søknaden?")
    page.get_by_role("button", name="Ja, avslå søknaden").click()
    expect(flash(page, "Søknaden er avslått.")).to_be_visible()

    page.goto("/rhf/nasjonal-liste")
    page.get_by_label("Telefon").fill("22334455")
    page.get_by_role("button", name="Se over før sending").click()
    expect(h1(page)).to_have_text("Se over og send den samlede søknaden")
    page.get_by_role("button", name="Send til Helsedirektoratet").click()
    expect(flash(page, "Den samlede søknaden er sendt til Helsedirektoratet")).to_be_visible()
