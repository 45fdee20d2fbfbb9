"""The RHF coordination in a real browser, from two health trusts' submissions to the locked
national list: comment, return with a reason, resubmit, see what changed, accept, rank with the
keyboard, propose the national list, dissent, consent and lock. axe-core checks every distinct
page on the way (0 WCAG 2.1 A/AA violations), and after a refused action the focus is on the
error summary and what the user chose or typed is still there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, coordination
from tests.browser.helpers import assert_accessible, flash, focused, h1, log_in, tab_to
from tests.factories import make_application, user

pytestmark = pytest.mark.browser

SOR_OST = "koordinator.sorost@demo.no"  # Helse Sør-Øst coordinates the demo round
VEST = "koordinator.vest@demo.no"
MIDT = "koordinator.midt@demo.no"
NORD = "koordinator.nord@demo.no"
OUS = "soker.ous@demo.no"
BERGEN = "soker.bergen@demo.no"

TITLE_A = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"  # OUS, through the pages
TITLE_B = "Nasjonal behandlingstjeneste for medfødte hjertefeil"  # OUS, accepted beforehand
TITLE_V = "Nasjonal behandlingstjeneste for arvelige øyesykdommer"  # Helse Bergen

COMMENT = "Oppgi stillingsandelene for hver fagperson."
REASON = "Pasientvolumet i punkt 2 må dokumenteres bedre."
RANKING = "Regionens prioriterte søknader"


def submit_through_the_pages(page: Any, application_id: int, title: str, rhf: str,
                             number: int) -> None:
    """From the overview: «Se over og send inn» → send → the receipt for version ``number``."""
    page.goto(f"/soknader/{application_id}")
    expect(h1(page)).to_have_text(title)
    page.get_by_role("link", name="Se over og send inn").click()
    expect(h1(page)).to_have_text("Se over og send inn")
    page.get_by_role("button", name=f"Send inn til {rhf}").click()
    expect(page).to_have_url(re.compile(
        rf"/soknader/{application_id}/innsendt/{number}\?kvittering=1$"))
    expect(page.get_by_role("status").filter(has_text="Kvittering")).to_contain_text(
        f"{title} er sendt til {rhf}.")


def open_review(page: Any, title: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Innkomne søknader").click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(h1(page)).to_have_text(title)


def ranking_titles(page: Any) -> list[str]:
    rows = page.get_by_role("table", name=RANKING).locator("tbody th")
    return [text.strip() for text in rows.all_inner_texts()]


def move_button(verb: str, title: str) -> re.Pattern[str]:
    """«Flytt opp»/«Flytt ned», plus (for screen readers) the application it moves."""
    return re.compile(rf"^{verb} ?: {re.escape(title)}$")


def answer_list(page: Any, choice: str, comment: str = "") -> None:
    form = page.get_by_role("group", name=re.compile(r"^Svar fra .* RHF på versjon \d+$"))
    form.get_by_role("radio", name=choice).check()
    page.get_by_label("Kommentar (må fylles ut ved dissens)").fill(comment)
    page.get_by_role("button", name="Send svaret").click()


def consent(page: Any) -> None:
    answer_list(page, "Vi samtykker til listen")


def test_two_regions_from_submission_to_the_locked_national_list(app, new_context):
    with app.app_context():
        first = make_application(OUS, complete=True).id
        vest = make_application(BERGEN, complete=True, answers={"navn_nb": TITLE_V}).id
        # A second application in Sør-Øst, already accepted, so there is something to rank.
        second = make_application(OUS, complete=True, answers={"navn_nb": TITLE_B})
        applications.submit(second, user(OUS))
        coordination.accept(db.session.get(Application, second.id), user(SOR_OST))

    # ------------------------------------------------------------------ the admin's rounds
    admin = new_context().new_page()
    log_in(admin, "admin@demo.no")
    admin.goto("/admin/runder")
    expect(h1(admin)).to_have_text("Søknadsrunder")
    expect(admin.get_by_role("combobox", name=re.compile("^Koordinerende RHF"))
           ).to_have_value("helse-sor-ost")
    assert_accessible(admin, "admin: rounds")

    # ------------------------------------------------------------------ two trusts submit
    ous = new_context().new_page()
    log_in(ous, OUS)
    submit_through_the_pages(ous, first, TITLE_A, "Helse Sør-Øst RHF", 1)
    bergen = new_context().new_page()
    log_in(bergen, BERGEN)
    submit_through_the_pages(bergen, vest, TITLE_V, "Helse Vest RHF", 1)

    # ------------------------------------------------------------------ Sør-Øst reviews
    sorost = new_context().new_page()
    log_in(sorost, SOR_OST)
    expect(h1(sorost)).to_have_text("Innkomne søknader – Helse Sør-Øst RHF")
    expect(sorost.get_by_role("row").filter(has_text=TITLE_A)).to_contain_text(
        "Oslo universitetssykehus HF")
    expect(sorost.get_by_role("link", name=TITLE_V)).to_have_count(0)  # another region's
    assert_accessible(sorost, "coordinator inbox")

    open_review(sorost, TITLE_A)
    assert_accessible(sorost, "review page with the comment forms")

    point7 = sorost.locator("#kommentarer-p7")
    point7.get_by_label("Ny kommentar til punkt 7").fill(COMMENT)
    point7.get_by_role("button", name="Lagre kommentaren til punkt 7").click()
    expect(flash(sorost, "Kommentaren er lagret.")).to_be_visible()
    expect(sorost.locator("#kommentarer-p7 .comment-text")).to_have_text(COMMENT)

    # Returning needs a reason: refused, the focus on the error summary, what was typed kept.
    reason = sorost.get_by_label("Begrunnelse (ved retur eller avslag)")
    reason.fill("  ")
    sorost.get_by_role("button", name="Returner for endring").click()
    summary = sorost.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Oppgi en begrunnelse.")
    expect(sorost).to_have_title(re.compile("^Feil: "))
    expect(reason).to_have_value("  ")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description("Oppgi en begrunnelse.")
    expect(sorost.locator("#kommentarer-p7 .comment-text")).to_have_text(COMMENT)
    assert_accessible(sorost, "review page, return refused without a reason")

    # The summary's link takes the keyboard to the reason, where the coordinator writes it.
    sorost.keyboard.press("Tab")
    assert focused(sorost)["name"] == "Oppgi en begrunnelse."  # type: ignore[index]
    sorost.keyboard.press("Enter")
    expect(reason).to_be_focused()
    reason.fill(REASON)
    sorost.get_by_role("button", name="Returner for endring").click()
    expect(flash(sorost, "Søknaden er returnert til helseforetaket for endring.")).to_be_visible()

    # ------------------------------------------------------------------ the applicant revises
    ous.get_by_role("link", name="Mine søknader").first.click()
    row = ous.get_by_role("row").filter(has_text=TITLE_A)
    expect(row).to_contain_text("Returnert")
    row.get_by_role("link", name="Les hvorfor RHF sendte den tilbake").click()
    expect(h1(ous)).to_have_text(TITLE_A)
    returned = ous.get_by_role("region", name="Søknaden er sendt tilbake til dere for endring")
    expect(returned).to_contain_text("Begrunnelse: «Pasientvolumet i punkt 2 må dokumenteres")
    comments = ous.locator("#kommentarer + .comments")
    expect(comments).to_contain_text(COMMENT)
    history = ous.locator("#historikk + .history")
    expect(history).to_contain_text("Returnert for endring av Anne Berg (Helse Sør-Øst RHF)")
    expect(history).to_contain_text(f"Begrunnelse: «{REASON}»")
    assert_accessible(ous, "applicant overview with comments and history")

    comments.get_by_role("link", name=re.compile("^Punkt 7:")).click()
    expect(h1(ous)).to_contain_text("Punkt 7:")
    at_point = ous.get_by_role("region", name="Kommentarer fra det regionale helseforetaket")
    expect(at_point).to_contain_text(COMMENT)
    expect(at_point).to_contain_text("Anne Berg, Helse Sør-Øst RHF")
    assert_accessible(ous, "applicant point 7 with the RHF's comment")

    ous.goto(f"/soknader/{first}/punkt/p2")
    ous.locator("#pasientvolum").fill("80")
    ous.locator("#volum_beskrivelse").fill("Om lag 80 nye pasienter i året, ifølge registeret.")
    ous.get_by_role("button", name="Lagre", exact=True).click()
    expect(flash(ous, "Lagret kl.")).to_be_visible()
    submit_through_the_pages(ous, first, TITLE_A, "Helse Sør-Øst RHF", 2)

    # ------------------------------------------------------------------ what changed; accept
    open_review(sorost, TITLE_A)
    sorost.get_by_role("link", name="Se hva som er endret siden versjon 1").click()
    expect(h1(sorost)).to_have_text("Hva er endret fra versjon 1 til versjon 2")
    expect(sorost.get_by_text("1 punkt er endret.")).to_be_visible()
    change = sorost.get_by_role("region", name=re.compile("^Punkt 2:"))
    expect(change.locator("del").first).to_contain_text("60")
    expect(change.locator("ins").first).to_contain_text("80")
    expect(sorost.locator(".comments")).to_contain_text(COMMENT)
    assert_accessible(sorost, "changes from version 1 to 2")

    sorost.get_by_role("navigation", name="Brødsmulesti").get_by_role(
        "link", name=TITLE_A).click()
    sorost.get_by_role("button", name="Godta for prioritering").click()
    expect(h1(sorost)).to_have_text("Godta søknaden for prioritering?")
    sorost.get_by_role("button", name="Ja, godta søknaden").click()
    expect(flash(sorost, "Søknaden er godtatt")).to_be_visible()

    # ------------------------------------------------------------------ Vest accepts its own
    vest_page = new_context().new_page()
    log_in(vest_page, VEST)
    open_review(vest_page, TITLE_V)
    vest_page.get_by_role("button", name="Godta for prioritering").click()
    vest_page.get_by_role("button", name="Ja, godta søknaden").click()
    expect(flash(vest_page, "Søknaden er godtatt")).to_be_visible()
    vest_page.get_by_role("link", name="Regional prioritering").click()
    expect(h1(vest_page)).to_have_text("Regional prioritering – Helse Vest")
    assert ranking_titles(vest_page) == [TITLE_V]
    for verb in ("Flytt opp", "Flytt ned"):  # one application: nothing to move
        expect(vest_page.get_by_role("button", name=move_button(verb, TITLE_V))
               ).to_be_disabled()

    # ------------------------------------------------------------------ Sør-Øst ranks, by keyboard
    sorost.get_by_role("link", name="Regional prioritering").click()
    expect(h1(sorost)).to_have_text("Regional prioritering – Helse Sør-Øst")
    assert ranking_titles(sorost) == [TITLE_B, TITLE_A]  # accepted last, ranked last
    assert_accessible(sorost, "regional ranking")
    first_row = sorost.get_by_role("table", name=RANKING).locator("tbody tr").first

    tab_to(sorost, move_button("Flytt opp", TITLE_A), kind="button")
    sorost.keyboard.press("Enter")
    expect(sorost).to_have_url(re.compile(rf"/rhf/prioritering#rad-{first}$"))
    expect(first_row).to_contain_text(TITLE_A)
    sorost.wait_for_load_state()
    assert ranking_titles(sorost) == [TITLE_A, TITLE_B]
    # The keyboard goes on from the moved row, not from the top of the page.
    sorost.keyboard.press("Tab")
    assert focused(sorost)["name"] == TITLE_A  # type: ignore[index]

    tab_to(sorost, move_button("Flytt ned", TITLE_A), kind="button")
    # Wait for the move's page to have loaded before tabbing on: a Tab pressed while the
    # old page is being replaced loses the focus.
    with sorost.expect_navigation():
        sorost.keyboard.press("Space")
    expect(first_row).to_contain_text(TITLE_B)
    tab_to(sorost, move_button("Flytt opp", TITLE_A), kind="button")
    with sorost.expect_navigation():
        sorost.keyboard.press("Enter")
    expect(first_row).to_contain_text(TITLE_A)
    assert ranking_titles(sorost) == [TITLE_A, TITLE_B]

    # ------------------------------------------------------------------ the national list
    sorost.get_by_role("link", name="Nasjonal liste").click()
    expect(h1(sorost)).to_have_text("Nasjonal prioritert liste – søknadsrunden 2027")
    expect(sorost.get_by_role("heading", name="Listen er ikke laget ennå")).to_be_visible()
    assert_accessible(sorost, "national list before the proposal")
    sorost.get_by_role("button", name="Lag forslag til nasjonal liste").click()
    expect(flash(sorost, "Forslaget til nasjonal liste er laget.")).to_be_visible()
    listed = sorost.get_by_role("table", name="Nasjonal prioritert liste, versjon 1")
    expect(listed.locator("tbody th")).to_have_text([TITLE_A, TITLE_V, TITLE_B])  # the merge
    assert_accessible(sorost, "national list, proposed")
    consent(sorost)
    expect(flash(sorost, "Svaret er registrert.")).to_be_visible()

    vest_page.get_by_role("link", name="Nasjonal liste").click()
    consent(vest_page)
    expect(flash(vest_page, "Svaret er registrert.")).to_be_visible()
    midt = new_context().new_page()
    log_in(midt, MIDT)
    midt.goto("/rhf/nasjonal-liste")
    consent(midt)
    expect(flash(midt, "Svaret er registrert.")).to_be_visible()

    # Helse Nord dissents without saying why: refused, focus on the summary, the choice kept.
    nord = new_context().new_page()
    log_in(nord, NORD)
    nord.goto("/rhf/nasjonal-liste")
    answer_list(nord, "Vi samtykker ikke (dissens)")
    summary = nord.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv en kommentar som forklarer dissensen.")
    expect(nord).to_have_title(re.compile("^Feil: "))
    expect(nord.get_by_role("radio", name="Vi samtykker ikke (dissens)")).to_be_checked()
    comment_box = nord.get_by_label("Kommentar (må fylles ut ved dissens)")
    expect(comment_box).to_have_attribute("aria-invalid", "true")
    expect(comment_box).to_have_accessible_description(
        "Skriv en kommentar som forklarer dissensen.")
    assert_accessible(nord, "national list, dissent refused without a comment")
    nord.keyboard.press("Tab")
    nord.keyboard.press("Enter")  # the summary's link
    expect(comment_box).to_be_focused()

    # Nord thinks again and consents: all four have consented to version 1, the list locks.
    consent(nord)
    expect(flash(nord, "Listen er låst.")).to_be_visible()
    expect(nord.get_by_role("status").filter(has_text="Listen ble låst")).to_be_visible()
    expect(nord.get_by_role("button", name="Send svaret")).to_have_count(0)
    for region in ("Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"):
        expect(nord.get_by_role("row", name=re.compile(f"^{region} RHF Samtykker "))
               ).to_be_visible()
    assert_accessible(nord, "national list, locked")

    # ------------------------------------------------------------------ the trusts see their place
    ous.get_by_role("link", name="Mine søknader").first.click()
    expect(ous.get_by_role("row").filter(has_text=TITLE_A)).to_contain_text(
        "Nummer 1 i den samlede søknaden")
    expect(ous.get_by_role("row").filter(has_text=TITLE_B)).to_contain_text(
        "Nummer 3 i den samlede søknaden")
    bergen.get_by_role("link", name="Mine søknader").first.click()
    expect(bergen.get_by_role("row").filter(has_text=TITLE_V)).to_contain_text(
        "Nummer 2 i den samlede søknaden")
