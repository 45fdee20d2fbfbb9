"""The whole round for a change of content, a change of name and a termination, axe clean on
every new page: Oslo universitetssykehus applies through the pages, Helse Sør-Øst RHF accepts
on its review page, the joint submission goes to Helsedirektoratet (through the services, to
keep the test short), Helsedirektoratet records Rådgivingsgruppen's recommendation and approves
on its pages; then the decision letter, the registry and the deadlines page show the kind's
effect."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from soknad import clock
from soknad.domain.service_types import ApplicationKind
from soknad.extensions import db
from soknad.models import Application
from tests.browser.helpers import (
    EACH_KIND,
    approve,
    assert_accessible,
    create_and_submit_kind,
    facts,
    flash,
    h1,
    log_in,
)
from tests.factories import KIND_ANSWERS, NEW_NAMES, TARGET_SERVICES, send_jointly

pytestmark = pytest.mark.browser

OUS = "soker.ous@demo.no"
SOR_OST = "koordinator.sorost@demo.no"
HDIR = "hdir@demo.no"

NEW_DESCRIPTION = ("Tjenesten gir råd om kirurgi på albuen og følger opp pasientene etter "
                   "behandlingen.")
ENDS = "2028-07-01"  # later than 1 January 2028, the earliest day of a termination in 2027


def accept_on_the_review_page(page: Any, title: str) -> None:
    log_in(page, SOR_OST)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Innkomne søknader").click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(h1(page)).to_have_text(title)
    page.get_by_role("button", name="Godta for prioritering").click()
    expect(h1(page)).to_have_text("Godta søknaden for prioritering?")
    page.get_by_role("button", name="Ja, godta søknaden").click()
    expect(flash(page, "Søknaden er godtatt")).to_be_visible()


def record_recommendation(page: Any, application_id: int, day: str) -> None:
    page.goto(f"/hdir/soknader/{application_id}")
    advice = page.get_by_role("region", name="Rådgivingsgruppens anbefaling")
    expect(advice).to_contain_text("Rådgivingsgruppens anbefaling er ikke registrert.")
    page.get_by_role("group", name="Rådgivingsgruppen").get_by_role(
        "radio", name="Anbefaler godkjenning").check()
    page.get_by_label("Kort begrunnelse fra Rådgivingsgruppen").fill(
        "Endringen er i tråd med kriteriene for nasjonale tjenester.")
    page.get_by_label("Dato for møtet i Rådgivingsgruppen").fill(day)
    page.get_by_role("button", name="Registrer anbefalingen").click()
    expect(flash(page, "Anbefalingen er registrert: Rådgivingsgruppen anbefalte godkjenning"
                 )).to_be_visible()
    expect(advice).to_contain_text("Anbefaler godkjenning")
    assert_accessible(page, "case page with the recommendation")


@pytest.mark.parametrize(("service_type", "kind"), EACH_KIND)
def test_the_round_of_each_kind(app, new_context, service_type, kind):  # type: ignore[no-untyped-def]
    _, old_name = TARGET_SERVICES[service_type]
    new_name = NEW_NAMES[service_type][0]
    answers = dict(KIND_ANSWERS[service_type, kind])
    if kind is ApplicationKind.CHANGE_OF_CONTENT:
        answers["beskrivelse"] = NEW_DESCRIPTION
    title = new_name if kind is ApplicationKind.CHANGE_OF_NAME else old_name

    # ------------------------------------------------------------------ the trust applies
    trust = new_context().new_page()
    application_id = create_and_submit_kind(trust, app, service_type, kind, answers, email=OUS)

    # ------------------------------------------------------------------ the RHF accepts
    accept_on_the_review_page(new_context().new_page(), title)

    # ------------------------------------------------------------------ the joint submission
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        send_jointly(application.round)
        today = clock.today().isoformat()

    # ------------------------------------------------------------------ Helsedirektoratet
    hdir = new_context().new_page()
    log_in(hdir, HDIR)
    record_recommendation(hdir, application_id, today)
    approve(hdir, application_id,
            terminated_from=ENDS if kind is ApplicationKind.TERMINATION else "")
    letter = hdir.get_by_role("region", name="Vedtaksbrevet slik det sendes")
    what = service_type.label.lower()
    if kind is ApplicationKind.TERMINATION:
        expect(facts(hdir, "Tjenesten avvikles fra og med")).to_have_text("1. juli 2028")
        expect(letter).to_contain_text(f"godkjenner avvikling av {what} «{old_name}»")
        expect(letter).to_contain_text("fra og med 1. juli 2028")
    elif kind is ApplicationKind.CHANGE_OF_NAME:
        expect(letter).to_contain_text(
            f"godkjenner at {what} «{old_name}» ved Oslo universitetssykehus HF får det nye "
            f"navnet «{new_name}»")
        expect(letter).to_contain_text("Det nye navnet gjelder fra 1. januar 2028.")
    else:
        expect(letter).to_contain_text(f"godkjenner endret innhold i {what} «{old_name}»")
        expect(letter).to_contain_text("Endringen gjelder fra 1. januar 2028.")
        expect(letter).to_contain_text(NEW_DESCRIPTION)
    expect(letter).not_to_contain_text("etablert innen")
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(hdir, "Vedtaket er registrert: godkjent.")).to_be_visible()
    assert_accessible(hdir, f"decision recorded, {kind.label}")

    # ------------------------------------------------------------------ the registry
    trust.goto(f"/tjenester/?q={old_name.rsplit(' ', 1)[1]}")  # its last word
    rows = trust.get_by_role("table").get_by_role("row").filter(has_text=old_name)
    expect(rows).to_have_count(1)  # a rename keeps the one service
    if kind is ApplicationKind.TERMINATION:
        expect(rows).to_contain_text("Avvikles f.o.m. 01.07.2028")
    elif kind is ApplicationKind.CHANGE_OF_NAME:
        expect(rows).to_contain_text(new_name)
        expect(rows).to_contain_text(f"Tidligere navn: {old_name}")
    assert_accessible(trust, f"registry after the decision, {kind.label}")
    rows.get_by_role("link", name=title).click()
    expect(h1(trust)).to_have_text(title)
    history = trust.get_by_role("table", name="Historikk")
    if kind is ApplicationKind.TERMINATION:
        expect(facts(trust, "Status")).to_have_text("Avvikles")
        expect(facts(trust, "Avviklet fra og med")).to_have_text("1. juli 2028")
        expect(history).to_contain_text("Tjenesten avvikles f.o.m.")
    elif kind is ApplicationKind.CHANGE_OF_NAME:
        expect(facts(trust, "Status")).to_have_text("Aktiv")
        expect(facts(trust, "Tidligere navn")).to_have_text(old_name)
        expect(history).to_contain_text(f"Nytt navn: «{new_name}» (tidligere «{old_name}»).")
    else:  # the service keeps its approval and its term (this one's term is running out)
        expect(facts(trust, "Status")).not_to_have_text("Avvikles")
        expect(trust.get_by_text(NEW_DESCRIPTION)).to_be_visible()
        expect(history).to_contain_text("Ny beskrivelse av innhold, formål og avgrensning.")
    expect(facts(trust, "Etableres innen")).to_have_count(0)
    assert_accessible(trust, f"the service after the decision, {kind.label}")

    # ------------------------------------------------------------------ the deadlines page
    for who in (trust, hdir):
        who.goto("/kalender")
        expect(h1(who)).to_have_text("Frister")
        if kind is ApplicationKind.TERMINATION:
            row = who.get_by_role("row").filter(has_text=f"Tjenesten avvikles: {title}")
            expect(row.locator("time")).to_have_attribute("datetime", ENDS)
        else:
            row = who.get_by_role("row").filter(has_text=f"{kind.label} får virkning: {title}")
            expect(row.locator("time")).to_have_attribute("datetime", "2028-01-01")
        expect(who.get_by_role("row").filter(has_text=f"Tjenesten skal være etablert: {title}")
               ).to_have_count(0)
        assert_accessible(who, f"deadlines page after the decision, {kind.label}")
