"""The irreversible steps after the joint submission, in a browser at 1280 and 375 px, axe
clean: Helsedirektoratet confirms a decision after seeing its letter, and the region's RHF
records that an approved service was established (which clears the calendar's task).
Both work without JavaScript (posted forms, no confirm() dialogue)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad import clock
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, NationalService
from soknad.services import applications
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, flash, h1, log_in
from tests.calendar_helpers import approved, submitted
from tests.factories import recommend, user

pytestmark = pytest.mark.browser

HDIR = "hdir@demo.no"
SOR_OST = "koordinator.sorost@demo.no"
WIDTHS = [1280, 375]
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/decisions"))


def shot(page: Any, name: str, width: int) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def sent_to_directorate(email: str = "soker.ous@demo.no") -> int:
    application = submitted(email)
    coordinator = user(SOR_OST)
    for action in (Action.ACCEPT, Action.INCLUDE_IN_JOINT, Action.SEND_TO_DIRECTORATE):
        applications.change_state(db.session.get(Application, application.id), action,
                                  coordinator)
        db.session.commit()
    recommend(db.session.get(Application, application.id))  # Rådgivingsgruppen has met
    return application.id


def facts(page: Any, term: str) -> Any:
    return page.locator("dl.facts dt", has_text=term).locator("xpath=following-sibling::dd[1]")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_decision_is_confirmed_after_reading_its_letter(app, new_context, width):  # type: ignore[no-untyped-def]
    with app.app_context():
        application_id = sent_to_directorate()
    hdir = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(hdir, HDIR)
    hdir.goto(f"/hdir/soknader/{application_id}")
    expect(hdir.get_by_text("tjenesten skal være etablert innen 31. desember 2028")).to_be_visible()
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Godkjent").check()
    hdir.get_by_label("Telefon (valgfritt)").fill("810 20 050")
    signatory = hdir.get_by_role("group", name="Den som undertegner vedtaksbrevet")
    signatory.get_by_label("Navn").fill("Ola Nordmann")
    signatory.get_by_label("Tittel").fill("Avdelingsdirektør")
    shot(hdir, "vedtak-skjema", width)
    hdir.get_by_role("button", name="Se over vedtaket").click()

    expect(h1(hdir)).to_have_text("Bekreft vedtaket: godkjent")
    expect(hdir.get_by_text("Vedtaket er ikke registrert ennå.")).to_be_visible()
    expect(facts(hdir, "Får virkning fra")).to_have_text("1. januar 2028")
    expect(facts(hdir, "Skal være etablert innen")).to_have_text("31. desember 2028")
    expect(facts(hdir, "Kontaktperson")).to_have_text(
        "Hanne Dahl, hdir@demo.no, telefon 810 20 050")
    letter = hdir.get_by_role("region", name="Vedtaksbrevet slik det sendes")
    expect(letter).to_contain_text("Godkjenningen gjelder fra 1. januar 2028.")
    expect(letter).to_contain_text("Avdelingsdirektør")
    assert_accessible(hdir, f"confirm decision at {width}px")
    assert_no_horizontal_scroll(hdir, f"confirm decision at {width}px")
    shot(hdir, "vedtak-bekreft", width)

    # «Endre vedtaket» goes back with everything typed; then confirm.
    hdir.get_by_role("button", name="Endre vedtaket").click()
    expect(hdir.get_by_label("Telefon (valgfritt)")).to_have_value("810 20 050")
    hdir.get_by_role("button", name="Se over vedtaket").click()
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(hdir, "Vedtaket er registrert: godkjent.")).to_be_visible()
    record = hdir.get_by_role("region", name="Godkjent – ", exact=False)
    expect(facts(record, "Undertegnet av")).to_have_text("Ola Nordmann, Avdelingsdirektør")
    assert_accessible(hdir, f"decision recorded at {width}px")
    assert_no_horizontal_scroll(hdir, f"decision recorded at {width}px")
    shot(hdir, "vedtak-registrert", width)


def test_deciding_works_without_javascript(app, new_context):  # type: ignore[no-untyped-def]
    with app.app_context():
        application_id = sent_to_directorate()
    hdir = new_context(java_script_enabled=False).new_page()
    log_in(hdir, HDIR)
    hdir.goto(f"/hdir/soknader/{application_id}")
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Avslått").check()
    hdir.get_by_label("Begrunnelse (må fylles ut ved avslag og utsettelse)").fill(
        "Dekkes allerede.")
    signatory = hdir.get_by_role("group", name="Den som undertegner vedtaksbrevet")
    signatory.get_by_label("Navn").fill("Ola Nordmann")
    signatory.get_by_label("Tittel").fill("Avdelingsdirektør")
    hdir.get_by_role("button", name="Se over vedtaket").click()
    expect(h1(hdir)).to_have_text("Bekreft vedtaket: avslått")
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(hdir.get_by_text("Vedtaket er registrert: avslått.")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_rhf_marks_a_service_established_and_the_calendar_clears(app, new_context, width):  # type: ignore[no-untyped-def]
    with app.app_context():
        application_id = approved("soker.ous@demo.no").id
        service_id = db.session.query(NationalService).filter_by(
            application_id=application_id).one().id
        today = clock.today()
    rhf = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(rhf, SOR_OST)
    rhf.goto("/kalender")
    expect(rhf.get_by_text("1 godkjent tjeneste er ikke registrert som etablert").first
           ).to_be_visible()
    # From the decision on the RHF's page of the application to the service in the registry.
    rhf.goto(f"/rhf/soknader/{application_id}")
    rhf.get_by_role("link", name="Registrer at tjenesten er etablert").click()
    expect(rhf).to_have_url(re.compile(f"/tjenester/{service_id}$"))
    expect(facts(rhf, "Etablert")).to_have_text("Ikke registrert som etablert ennå")
    assert_accessible(rhf, f"registry service, not established, at {width}px")
    shot(rhf, "tjeneste-ikke-etablert", width)
    rhf.get_by_role("link", name="Registrer at tjenesten er etablert").click()
    expect(h1(rhf)).to_have_text("Registrer at tjenesten er etablert")
    assert_accessible(rhf, f"establish form at {width}px")
    assert_no_horizontal_scroll(rhf, f"establish form at {width}px")
    shot(rhf, "etablert-skjema", width)

    date_field = rhf.get_by_label("Datoen tjenesten ble etablert")
    date_field.fill("2099-01-01")
    rhf.get_by_role("button", name="Gå videre").click()
    expect(rhf.locator("#feiloppsummering")).to_contain_text(
        "Etableringsdatoen kan ikke være en dag som ikke har kommet ennå.")
    expect(date_field).to_have_value("2099-01-01")
    expect(date_field).to_have_attribute("aria-invalid", "true")
    assert_accessible(rhf, f"establish refused at {width}px")
    shot(rhf, "etablert-feil", width)

    date_field.fill(today.isoformat())
    rhf.get_by_role("button", name="Gå videre").click()
    expect(h1(rhf)).to_have_text("Bekreft at tjenesten er etablert")
    assert_accessible(rhf, f"establish confirm at {width}px")
    assert_no_horizontal_scroll(rhf, f"establish confirm at {width}px")
    shot(rhf, "etablert-bekreft", width)
    rhf.get_by_role("button", name="Bekreft: tjenesten er etablert").click()
    expect(flash(rhf, "Tjenesten er registrert som etablert.")).to_be_visible()
    expect(facts(rhf, "Etablert")).to_contain_text(str(today.year))
    expect(rhf.get_by_role("link", name="Registrer at tjenesten er etablert")).to_have_count(0)
    assert_accessible(rhf, f"service established at {width}px")
    shot(rhf, "tjeneste-etablert", width)

    rhf.goto("/kalender")
    expect(rhf.get_by_text("ikke registrert som etablert")).to_have_count(0)
    shot(rhf, "kalender-etter", width)
