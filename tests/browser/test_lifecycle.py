"""The registry as the service's life, in a browser, axe clean: Helsedirektoratet approves a
termination and a change of name through the decision pages, and the registry shows one
service ended (with its end date and history) and one renamed (with its former name)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.domain.registry import service_key
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.browser.helpers import approve, assert_accessible, facts, flash, h1, log_in
from tests.factories import at_the_directorate

pytestmark = pytest.mark.browser

HDIR = "hdir@demo.no"
COMPETENCE = ServiceType.NATIONAL_COMPETENCE
ENDED = "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens"
OLD_NAME = "Nasjonal kompetansetjeneste for antibiotikabruk i spesialisthelsetjenesten"
NEW_NAME = "Nasjonal kompetansetjeneste for antibiotikabruk i sykehus"


def test_a_termination_and_a_rename_through_the_pages(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        termination = at_the_directorate(
            "soker.bergen@demo.no", COMPETENCE, ApplicationKind.TERMINATION,
            {"gjeldende_tjeneste": service_key(COMPETENCE, ENDED)}).id
        rename = at_the_directorate(
            "soker.bergen@demo.no", COMPETENCE, ApplicationKind.CHANGE_OF_NAME,
            {"gjeldende_tjeneste": service_key(COMPETENCE, OLD_NAME), "navn_nb": NEW_NAME}).id
    log_in(page, HDIR)

    approve(page, termination)
    expect(facts(page, "Tjenesten avvikles fra og med")).to_have_text("1. januar 2028")
    letter = page.get_by_role("region", name="Vedtaksbrevet slik det sendes")
    expect(letter).to_contain_text(f"godkjenner avvikling av nasjonal kompetansetjeneste «{ENDED}»")
    expect(letter).to_contain_text("fra og med 1. januar 2028")
    page.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(page, "Vedtaket er registrert: godkjent.")).to_be_visible()

    approve(page, rename)
    letter = page.get_by_role("region", name="Vedtaksbrevet slik det sendes")
    expect(letter).to_contain_text(f"får det nye navnet «{NEW_NAME}»")
    page.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(page, "Vedtaket er registrert: godkjent.")).to_be_visible()

    page.goto("/tjenester/?status=avvikles")
    table = page.get_by_role("table")
    row = table.get_by_role("row").filter(has_text=ENDED)
    expect(row).to_contain_text("Avvikles f.o.m. 01.01.2028")
    assert_accessible(page, "registry filtered by status")
    row.get_by_role("link", name=ENDED).click()
    expect(h1(page)).to_have_text(ENDED)
    expect(facts(page, "Status")).to_have_text("Avvikles")
    expect(facts(page, "Avviklet fra og med")).to_have_text("1. januar 2028")
    history = page.get_by_role("table", name="Historikk")
    expect(history).to_contain_text("Avviklet")
    assert_accessible(page, "ended service")

    page.goto("/tjenester/?q=antibiotikabruk")
    rows = page.get_by_role("table").get_by_role("row").filter(has_text="antibiotikabruk")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(NEW_NAME)
    expect(rows).to_contain_text(f"Tidligere navn: {OLD_NAME}")
    rows.get_by_role("link", name=NEW_NAME).click()
    expect(facts(page, "Tidligere navn")).to_have_text(OLD_NAME)
    expect(page.get_by_role("table", name="Historikk")).to_contain_text("Nytt navn")
    assert_accessible(page, "renamed service")
