"""The long lists in a real browser, at 1280 and 375 px: the RHF inbox, Helsedirektoratet's
inbox and the registry are searched and filtered through their labelled GET forms (the address
can be bookmarked), sorted by a column header (which says so: aria-sort), and reset with
«Nullstill»; a search that finds nothing says so. On Helsedirektoratet's application page and
joint submission page a case handler is chosen and internal notes are written; a refused note
keeps its text with the focus on it. axe-core: 0 WCAG 2.1 A/AA violations on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.domain.casework import NOTE_MAX_CHARS
from soknad.domain.coordination import Decision as Answer
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, coordination, joint
from tests.browser.helpers import (
    assert_accessible,
    assert_no_horizontal_scroll,
    flash,
    h1,
    log_in,
)
from tests.factories import CONTACT, COORDINATORS, make_application, user

pytestmark = pytest.mark.browser

SOR_OST, HDIR = COORDINATORS[0], "hdir@demo.no"
OUS, BERGEN = "soker.ous@demo.no", "soker.bergen@demo.no"
BONES = "Øyeblikkelig hjelp ved sjeldne beinsykdommer"  # OUS
SKIN = "Nasjonal kompetansetjeneste for sjeldne hudsykdommer"  # Helse Bergen
HEARTS = "Nasjonal behandlingstjeneste for medfødte hjertefeil"  # OUS
WIDTHS = [1280, 375]
SHOTS = Path("/tmp/shots/lists")


def shoot(page: Any, name: str, width: int) -> None:
    """A screenshot for the issue's closing note (kept out of the repository)."""
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def accepted(owner: str, coordinator: str, service_type: ServiceType, name: str) -> int:
    application = make_application(owner, service_type, complete=True,
                                   answers={"navn_nb": name})
    applications.submit(application, user(owner))
    coordination.accept(db.session.get(Application, application.id), user(coordinator))
    return application.id


def sent_round() -> dict[str, int]:
    """Three applications from two regions in a joint submission sent to Helsedirektoratet."""
    ids = {BONES: accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, BONES),
           SKIN: accepted(BERGEN, COORDINATORS[1], ServiceType.NATIONAL_COMPETENCE, SKIN),
           HEARTS: accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, HEARTS)}
    round_ = db.session.get(Application, ids[BONES]).round
    found = coordination.propose(round_, user(SOR_OST))
    for email in COORDINATORS:
        coordination.answer(round_, user(email), Answer.CONSENT, "", found.version)
    joint.set_contact(round_, user(SOR_OST), CONTACT)
    joint.send(round_, user(SOR_OST))
    return ids


def listed(page: Any) -> Any:
    """The links of the rows the list shows (the table is labelled by its count)."""
    return page.locator("table[aria-labelledby='treff'] tbody tr th a")


def search_form(page: Any, name: str) -> Any:
    return page.get_by_role("search", name=name)


def submit(form: Any, page: Any) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name="Søk").click()


def check_sorting(page: Any, header: str, first: str, last: str) -> None:
    """A column header sorts; the header says how (aria-sort); again, the other way."""
    name = re.compile("^" + re.escape(header) + r"(\W|$)")
    page.get_by_role("columnheader", name=name).get_by_role("link").click()
    column = page.get_by_role("columnheader", name=name)
    expect(column).to_have_attribute("aria-sort", "ascending")
    expect(listed(page).first).to_have_text(first)
    column.get_by_role("link").click()
    expect(column).to_have_attribute("aria-sort", "descending")
    expect(listed(page).first).to_have_text(last)
    expect(page).to_have_url(re.compile(r"retning=synkende"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_rhf_inbox(app, new_context, width):  # type: ignore[no-untyped-def]
    with app.app_context():
        accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, BONES)
        accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, HEARTS)
        other = make_application(OUS, ServiceType.NATIONAL_COMPETENCE, complete=True,
                                 answers={"navn_nb": SKIN})
        applications.submit(other, user(OUS))
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, SOR_OST)
    expect(h1(page)).to_contain_text("Innkomne søknader")
    expect(page.get_by_role("heading", name="3 søknader")).to_be_visible()
    assert_accessible(page, f"RHF inbox at {width}")
    assert_no_horizontal_scroll(page, f"RHF inbox at {width}")

    form = search_form(page, "Søk i innkomne søknader")
    form.get_by_label("Søk i navn og helseforetak").fill("ØYEBLIKKELIG")  # capitals, æøå
    submit(form, page)
    expect(page).to_have_url(re.compile(r"/rhf\?q=%C3%98YEBLIKKELIG"))
    expect(page.get_by_role("heading", name="1 av 3 søknader")).to_be_visible()
    expect(listed(page)).to_have_text([BONES])
    expect(form.get_by_label("Søk i navn og helseforetak")).to_have_value("ØYEBLIKKELIG")

    form.get_by_label("Søk i navn og helseforetak").fill("")
    form.get_by_label("Status").select_option(label="Godtatt av RHF for prioritering")
    form.get_by_label("Type tjeneste").select_option(label="Nasjonal behandlingstjeneste")
    submit(form, page)
    expect(page.get_by_role("heading", name="2 av 3 søknader")).to_be_visible()
    check_sorting(page, "Søknad", HEARTS, BONES)  # «Øyeblikkelig» after N, Norwegian order
    shoot(page, "rhf-inbox", width)
    assert_accessible(page, f"RHF inbox, filtered and sorted, at {width}")

    form.get_by_label("Søk i navn og helseforetak").fill("finnes ikke")
    submit(form, page)
    expect(page.get_by_role("heading", name="Ingen treff")).to_be_visible()
    expect(page.get_by_text("Ingen av de 3 innsendte søknadene passer søket.")).to_be_visible()
    assert_accessible(page, f"RHF inbox, nothing found, at {width}")
    page.get_by_role("link", name="Nullstill").click()
    expect(page).to_have_url(re.compile(r"/rhf$"))
    expect(page.get_by_role("heading", name="3 søknader")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_directorate_inbox_and_its_case_work(app, new_context, width):  # type: ignore[no-untyped-def]
    with app.app_context():
        ids = sent_round()
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, HDIR)
    expect(page.get_by_role("heading", name="3 søknader")).to_be_visible()
    assert_accessible(page, f"directorate inbox at {width}")
    assert_no_horizontal_scroll(page, f"directorate inbox at {width}")

    form = search_form(page, "Søk i søknadene")
    form.get_by_label("Helseregion").select_option(label="Helse Sør-Øst")
    submit(form, page)
    expect(page.get_by_role("heading", name="2 av 3 søknader")).to_be_visible()
    check_sorting(page, "Søknad", HEARTS, BONES)

    form.get_by_label("Saksbehandler").select_option(label="Mine saker")
    submit(form, page)
    expect(page.get_by_role("heading", name="Ingen treff")).to_be_visible()
    assert_accessible(page, f"directorate inbox, no cases of mine, at {width}")

    # The application page: take the case, write a note; a too long one keeps its text.
    page.goto(f"/hdir/soknader/{ids[BONES]}")
    case = page.get_by_role("region", name="Saksbehandling i Helsedirektoratet")
    case.get_by_label("Saksbehandler").select_option(label="Hanne Dahl (deg)")
    case.get_by_role("button", name="Lagre saksbehandler").click()
    expect(flash(page, "Hanne Dahl er saksbehandler.")).to_be_visible()
    case.get_by_label("Nytt internt notat").fill("Snakk med Rådgivingsgruppen om volumet.")
    case.get_by_role("button", name="Lagre notatet").click()
    expect(flash(page, "Notatet er lagret.")).to_be_visible()
    notes = case.locator("ol.case-notes li")
    expect(notes).to_have_count(1)
    expect(notes.first).to_contain_text("Hanne Dahl")
    expect(notes.first).to_contain_text("Snakk med Rådgivingsgruppen om volumet.")
    too_long = "x" * (NOTE_MAX_CHARS + 1)
    case.get_by_label("Nytt internt notat").fill(too_long)
    case.get_by_role("button", name="Lagre notatet").click()
    field = page.get_by_label("Nytt internt notat")
    expect(field).to_be_focused()
    expect(field).to_have_value(too_long)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(
        f"Et notat kan ha høyst {NOTE_MAX_CHARS} tegn"))
    expect(page).to_have_title(re.compile("^Feil: "))
    shoot(page, "directorate-application-case", width)
    assert_accessible(page, f"directorate application, note refused, at {width}")
    assert_no_horizontal_scroll(page, f"directorate application at {width}")

    # «Mine saker» now lists it.
    page.goto("/hdir?saksbehandler=mine")
    expect(page.get_by_role("heading", name="1 av 3 søknader")).to_be_visible()
    expect(listed(page)).to_have_text([BONES])
    shoot(page, "directorate-inbox", width)

    # The joint submission's own case block.
    page.goto("/hdir/runder/2027")
    case = page.get_by_role("region", name="Saksbehandling i Helsedirektoratet")
    case.get_by_label("Nytt internt notat").fill("Pakken er kontrollert mot manifestet.")
    case.get_by_role("button", name="Lagre notatet").click()
    expect(flash(page, "Notatet er lagret.")).to_be_visible()
    expect(case.locator("ol.case-notes li")).to_contain_text(
        ["Pakken er kontrollert mot manifestet."])
    shoot(page, "directorate-joint-case", width)
    assert_accessible(page, f"joint submission with case work at {width}")
    assert_no_horizontal_scroll(page, f"joint submission at {width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_registry_list(new_context, width):  # type: ignore[no-untyped-def]
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, OUS)
    page.goto("/tjenester/")
    form = search_form(page, "Søk i nasjonale tjenester")
    form.get_by_label("Navn eller ord i beskrivelsen").fill("DØVBLINDE")
    submit(form, page)
    expect(page.get_by_role("heading", name="2 av 105 tjenester")).to_be_visible()
    expect(listed(page).last).to_have_text("Nasjonal kompetansetjeneste for døvblinde")
    form.get_by_label("Navn eller ord i beskrivelsen").fill("")
    form.get_by_label("Type", exact=True).select_option(label="Nasjonal kompetansetjeneste")
    form.get_by_label("Helseregion").select_option(label="Helse Nord")
    submit(form, page)
    # Sorted by name from the start (the header says so); its link turns the order round.
    column = page.get_by_role("columnheader", name=re.compile(r"^Tjeneste(\W|$)"))
    expect(column).to_have_attribute("aria-sort", "ascending")
    first = "Nasjonal kompetansetjeneste for barn og unge med funksjonsnedsettelser"
    last = "Samisk nasjonal kompetansetjeneste for psykisk helsevern og rus (SANKS)"
    expect(listed(page).first).to_have_text(first)
    column.get_by_role("link").click()
    expect(column).to_have_attribute("aria-sort", "descending")
    expect(listed(page).first).to_have_text(last)
    expect(page.get_by_role("heading", name="5 av 105 tjenester")).to_be_visible()
    shoot(page, "registry", width)
    assert_accessible(page, f"registry sorted at {width}")
    assert_no_horizontal_scroll(page, f"registry at {width}")
    page.get_by_role("link", name="Nullstill").click()
    expect(page.get_by_role("heading", name="105 tjenester – side 1 av 3")).to_be_visible()
    page.get_by_role("navigation", name="Sider med tjenester").get_by_role(
        "link", name="Neste side").click()
    expect(page.get_by_role("heading", name="105 tjenester – side 2 av 3")).to_be_visible()
    assert_accessible(page, f"registry page 2 at {width}")
