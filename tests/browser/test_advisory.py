"""Helsedirektoratet's own steps in a browser, axe clean: a decision is refused until
Rådgivingsgruppen's recommendation is recorded; the recommendation is recorded and named in the
decision step; and the round's overall feedback letter to the RHFs is downloaded."""

from __future__ import annotations

import re
from typing import Any

import docx
import pytest
from playwright.sync_api import expect

from soknad import clock
from soknad.domain.advisory import MISSING
from tests.browser.helpers import (
    assert_accessible,
    assert_no_horizontal_scroll,
    flash,
    h1,
    log_in,
)
from tests.factories import sent_in_joint_submission, user

pytestmark = pytest.mark.browser

HDIR = "hdir@demo.no"


def sign(page: Any) -> None:
    signatory = page.get_by_role("group", name="Den som undertegner vedtaksbrevet")
    signatory.get_by_label("Navn").fill("Ola Nordmann")
    signatory.get_by_label("Tittel").fill("Avdelingsdirektør")


@pytest.mark.parametrize("width", [1280, 375])
def test_recommendation_decision_and_round_letter(app, new_context, width):  # type: ignore[no-untyped-def]
    with app.app_context():
        application, _ = sent_in_joint_submission(user("soker.ous@demo.no"))
        application_id, title = application.id, application.display_title
        today = clock.today()
    hdir = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(hdir, HDIR)
    hdir.goto(f"/hdir/soknader/{application_id}")
    advice = hdir.get_by_role("region", name="Rådgivingsgruppens anbefaling")
    expect(advice).to_contain_text("Rådgivingsgruppens anbefaling er ikke registrert.")
    assert_accessible(hdir, f"application without a recommendation at {width}px")

    # A decision before the recommendation is refused, with a link to the form.
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Godkjent").check()
    sign(hdir)
    hdir.get_by_role("button", name="Se over vedtaket").click()
    summary = hdir.get_by_role("alert").filter(has_text="Dette må rettes")
    expect(summary).to_contain_text(MISSING)
    assert_accessible(hdir, f"decision refused without a recommendation at {width}px")
    summary.get_by_role("link", name=MISSING).click()
    expect(hdir.get_by_role("radio", name="Anbefaler godkjenning")).to_be_focused()

    # The recommendation: an empty date is refused and the text kept.
    group = hdir.get_by_role("group", name="Rådgivingsgruppen")
    group.get_by_role("radio", name="Anbefaler avslag").check()
    justification = hdir.get_by_label("Kort begrunnelse fra Rådgivingsgruppen")
    justification.fill("Dekkes av en eksisterende nasjonal tjeneste.")
    hdir.get_by_role("button", name="Registrer anbefalingen").click()
    expect(hdir.get_by_role("alert").filter(has_text="Dette må rettes")).to_contain_text(
        "Skriv datoen for møtet i Rådgivingsgruppen")
    expect(justification).to_have_value("Dekkes av en eksisterende nasjonal tjeneste.")
    assert_accessible(hdir, f"recommendation refused at {width}px")
    hdir.get_by_label("Dato for møtet i Rådgivingsgruppen").fill(today.isoformat())
    hdir.get_by_role("button", name="Registrer anbefalingen").click()
    expect(flash(hdir, "Anbefalingen er registrert: Rådgivingsgruppen anbefalte avslag (møte "
                       )).to_be_visible()
    expect(advice).to_contain_text("Anbefaler avslag")
    expect(advice).to_contain_text("Registrert av Hanne Dahl")
    assert_accessible(hdir, f"recommendation recorded at {width}px")
    assert_no_horizontal_scroll(hdir, f"recommendation recorded at {width}px")

    # The decision follows it; the decision step names it.
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Avslått").check()
    hdir.get_by_label("Begrunnelse (må fylles ut ved avslag og utsettelse)").fill(
        "Dekkes av en eksisterende nasjonal tjeneste.")
    sign(hdir)
    hdir.get_by_role("button", name="Se over vedtaket").click()
    expect(h1(hdir)).to_have_text("Bekreft vedtaket: avslått")
    named = hdir.locator("dl.facts dt", has_text="Rådgivingsgruppen").locator(
        "xpath=following-sibling::dd[1]")
    expect(named).to_have_text(re.compile(r"^Rådgivingsgruppen anbefalte avslag \(møte \d+\. "))
    assert_accessible(hdir, f"confirm decision with the recommendation at {width}px")
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(hdir, "Vedtaket er registrert: avslått.")).to_be_visible()
    expect(hdir.get_by_role("button", name="Registrer anbefalingen")).to_have_count(0)

    # The round's overall feedback letter, from the round's page.
    hdir.get_by_role("navigation", name="Brødsmulesti").get_by_role(
        "link", name=re.compile("^Samlet søknad ")).click()
    section = hdir.get_by_role("region", name="Samlet tilbakemelding til de regionale "
                                              "helseforetakene")
    expect(section).to_contain_text("med kopi til Helse- og omsorgsdepartementet")
    assert_accessible(hdir, f"round page with the round letter at {width}px")
    assert_no_horizontal_scroll(hdir, f"round page at {width}px")
    with hdir.expect_download() as info:
        section.get_by_role("link", name=re.compile("^Last ned samlet tilbakemelding")).click()
    download = info.value
    assert re.fullmatch(r"samlet-tilbakemelding-\d{4}\.docx", download.suggested_filename)
    document = docx.Document(str(download.path()))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][1] == title
    assert rows[1][4] == "Avslått"
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Kopi: Helse- og omsorgsdepartementet" in words
    assert "Rådgivingsgruppen anbefalte avslag (møte " in words
