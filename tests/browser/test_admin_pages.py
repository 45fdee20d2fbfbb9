"""The administrator's pages for users, set-password links, drafts and the e-mail outbox, as a
user reads them, with axe at 1280 and 375 px. Screenshots go to ``SHOTS_DIR`` when it is set
(kept out of the repository)."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad import clock
from soknad.extensions import db
from soknad.models import OutboxMessage
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, flash, h1, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

WIDTHS = [1280, 375]


def shot(page: Any, name: str, width: int) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def check(page: Any, where: str, width: int) -> None:
    # The stylesheet loaded (on a busy machine the text can be there before the CSS is; a
    # table then overflows the page for a moment).
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll(page, f"{where} at {width} px")
    assert_accessible(page, f"{where} at {width} px")


def menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_edits_a_user_and_is_told_what_is_wrong(new_context: Any, width: int) -> None:
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "admin@demo.no")
    menu(page, "Brukere")
    page.get_by_role("link", name="Ingrid Vik", exact=True).click()
    expect(h1(page)).to_have_text("Endre bruker: Ingrid Vik")
    expect(page.get_by_label("E-postadresse")).to_have_value("soker.bergen@demo.no")
    check(page, "edit user", width)
    shot(page, "edit-user", width)

    page.get_by_label("Navn").fill("Ingrid Vik Hansen")
    page.get_by_label("E-postadresse").fill("ingrid@")
    page.get_by_role("button", name="Lagre endringene").click()
    summary = page.get_by_role("alert").filter(has_text="Dette må rettes")
    expect(summary).to_contain_text("«ingrid@» er ikke en gyldig e-postadresse.")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Navn")).to_have_value("Ingrid Vik Hansen")  # nothing lost
    expect(page.get_by_label("E-postadresse")).to_have_value("ingrid@")
    check(page, "edit user with an error", width)
    shot(page, "edit-user-error", width)

    page.get_by_label("E-postadresse").fill("ingrid.hansen@helse-bergen.no")
    page.get_by_role("radio", name="Deaktivert: kan ikke logge inn").check()
    page.get_by_role("button", name="Lagre endringene").click()
    expect(flash(page, "Endret navn, e-postadresse, status for Ingrid Vik Hansen.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Ingrid Vik Hansen"))).to_contain_text(
        "Deaktivert")

    page.get_by_role("link", name="Ingrid Vik Hansen", exact=True).click()
    page.get_by_role("button", name="Send lenke for å sette passord").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Ingrid Vik Hansen er deaktivert. Aktiver brukeren før du sender en lenke.")

    page.get_by_role("link", name="Tilbake til brukerne").click()
    page.get_by_role("link", name="Tor Admin", exact=True).click()
    expect(page.get_by_text("Du kan ikke fjerne din egen administratorrolle.")).to_be_visible()
    check(page, "editing oneself", width)


def _link_of(app: Any, email: str) -> str:
    with app.app_context():
        body = db.session.query(OutboxMessage).filter_by(recipient=email).one().body
    found = re.search(r"https?://[^/\s]+(/sett-passord/\S+)", body)
    assert found, body
    return found.group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_user_sets_a_password_with_the_link(app: Any, new_context: Any,
                                                  width: int) -> None:
    viewport = {"width": width, "height": 800}
    page = new_context(viewport=viewport).new_page()
    log_in(page, "admin@demo.no")
    menu(page, "Brukere")
    expect(page.get_by_text("Den nye brukeren får en e-post med en lenke")).to_be_visible()
    check(page, "users", width)
    shot(page, "users", width)
    page.get_by_label("Navn").fill("Siri Nilsen")
    page.get_by_label("E-postadresse").fill("siri.nilsen@sus.no")
    page.get_by_label("Organisasjon").select_option(label="Helse Stavanger HF")
    page.get_by_role("button", name="Opprett brukeren").click()
    expect(flash(page, "en lenke for å sette passord sendes til siri.nilsen@sus.no")
           ).to_be_visible()

    path = _link_of(app, "siri.nilsen@sus.no")
    siri = new_context(viewport=viewport).new_page()
    siri.goto(path)
    expect(h1(siri)).to_have_text("Sett passord")
    expect(siri.get_by_text("Du setter passordet for Siri Nilsen")).to_be_visible()
    check(siri, "set password", width)
    shot(siri, "set-password", width)
    siri.get_by_label("Nytt passord").fill("et-langt-passord")
    siri.get_by_label("Gjenta passordet").fill("et-annet-passord")
    siri.get_by_role("button", name="Sett passordet").click()
    summary = siri.get_by_role("alert").filter(has_text="Dette må rettes")
    expect(summary).to_contain_text("Passordene er ikke like.")
    expect(summary).to_be_focused()
    check(siri, "set password with an error", width)
    siri.get_by_label("Nytt passord").fill("et-langt-passord")
    siri.get_by_label("Gjenta passordet").fill("et-langt-passord")
    siri.get_by_role("button", name="Sett passordet").click()
    expect(flash(siri, "Passordet ditt er satt.")).to_be_visible()
    log_in(siri, "siri.nilsen@sus.no", "et-langt-passord")
    expect(siri.get_by_role("button", name="Logg ut")).to_be_visible()

    used = new_context(viewport=viewport).new_page()
    used.goto(path)
    expect(h1(used)).to_have_text("Lenken er allerede brukt")
    expect(used.get_by_role("heading", name="Slik får du en ny lenke")).to_be_visible()
    check(used, "used link", width)
    shot(used, "set-password-used", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_deletes_a_draft_after_confirming(app: Any, new_context: Any,
                                                    width: int) -> None:
    with app.app_context():
        make_application(answers={"navn_nb": "Tjeneste opprettet ved en feil"})
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "admin@demo.no")
    menu(page, "Utkast")
    expect(h1(page)).to_have_text("Utkast som ikke er sendt")
    check(page, "drafts", width)
    shot(page, "drafts", width)
    page.get_by_role("link", name="Slett Tjeneste opprettet ved en feil").click()
    expect(h1(page)).to_have_text("Slette utkastet «Tjeneste opprettet ved en feil»?")
    check(page, "delete a draft", width)
    shot(page, "delete-draft", width)
    page.get_by_role("link", name="Nei, behold det").click()
    expect(page.get_by_role("link", name="Slett Tjeneste opprettet ved en feil")).to_be_visible()
    page.get_by_role("link", name="Slett Tjeneste opprettet ved en feil").click()
    page.get_by_role("button", name="Ja, slett utkastet").click()
    expect(flash(page, "Utkastet «Tjeneste opprettet ved en feil» fra Oslo universitetssykehus "
                       "HF er slettet.")).to_be_visible()
    expect(page.get_by_text("Det finnes ingen utkast som ikke er sendt.")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_sees_that_e_mail_is_not_getting_out(app: Any, new_context: Any,
                                                       width: int) -> None:
    with app.app_context():
        now = clock.now()
        db.session.add_all([
            OutboxMessage(recipient="soker.ous@demo.no", subject="Kvittering: Tjeneste for X",
                          body="Hei\n", created_at=now - timedelta(hours=5), attempts=4,
                          last_error="ConnectionRefusedError: [Errno 111] Connection refused",
                          send_after=now + timedelta(hours=1)),
            OutboxMessage(recipient="koordinator.sorost@demo.no", subject="Ny søknad",
                          body="Hei\n", created_at=now - timedelta(minutes=2)),
            OutboxMessage(recipient="hdir@demo.no", subject="Samlet søknad sendt", body="Hei\n",
                          created_at=now - timedelta(days=1), sent_at=now - timedelta(days=1),
                          attempts=1),
        ])
        db.session.commit()
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, "admin@demo.no")
    menu(page, "E-post")
    expect(h1(page)).to_have_text("E-post")
    expect(page.get_by_role("alert")).to_contain_text("har ventet i 5 timer")
    failed = page.get_by_role("table", name="Meldinger der siste forsøk på å sende feilet")
    expect(failed).to_contain_text("Connection refused")
    expect(failed.get_by_role("cell", name="4", exact=True)).to_be_visible()
    check(page, "outbox", width)
    shot(page, "outbox", width)
    page.get_by_role("button", name=re.compile("^Prøv igjen")).click()
    # Nothing listens on the test's SMTP port: the message fails again, and says so.
    expect(page.get_by_role("alert").filter(has_text="Sendingen feilet igjen")).to_be_visible()
    check(page, "outbox after a retry", width)
