"""Autosave without pressing «Lagre», the live word and character counters (same rules as the
server), and the limits of a field or table shown before they are reached."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from soknad.domain.text import clean, count_words
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser


@pytest.fixture
def point_1(app, page):  # type: ignore[no-untyped-def]
    with app.app_context():
        application_id = make_application().id
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/punkt/p1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Punkt 1:")
    return application_id


def test_autosave_keeps_typed_text_without_pressing_save(page, point_1):
    description = page.get_by_role("textbox", name="Beskrivelse av innhold, formål og avgrensning")
    status = page.get_by_role("status").and_(page.locator("#lagrestatus"))
    expect(status).to_be_empty()

    description.press_sequentially("Utredning av sjeldne beinsykdommer hos barn.")
    expect(status).to_have_text("Endringer ikke lagret ennå …")
    # Saved about 1.5 s after the last key, without the button.
    expect(status).to_have_text(re.compile(r"^Lagret kl\. \d\d:\d\d$"), timeout=10_000)
    assert_accessible(page, "point 1 after an autosave")

    page.reload()
    expect(description).to_have_value("Utredning av sjeldne beinsykdommer hos barn.")
    expect(page.get_by_role("status").filter(has_text="Lagret kl.")).to_have_count(0)
    expect(page.locator("#teller-beskrivelse")).to_have_text("6 av høyst 100 ord")


def test_word_counter_counts_like_the_server(page, point_1):
    description = page.get_by_role("textbox", name="Beskrivelse av innhold, formål og avgrensning")
    counter = page.locator("#teller-beskrivelse")
    expect(counter).to_have_text("0 av høyst 100 ord")
    # The counter is part of the field's description, so a screen reader reads it on focus.
    expect(description).to_have_accessible_description(re.compile("0 av høyst 100 ord"))

    # 101 words as pasted from Word: non-breaking spaces between some, soft hyphens inside some.
    words = [f"kompe\u00adtanse{n}" if n % 7 == 0 else f"ord{n}" for n in range(101)]
    text = "".join(
        word + ("\u00a0" if n % 5 == 0 else "\n" if n % 13 == 0 else " ")
        for n, word in enumerate(words)
    ).strip()
    assert count_words(text) == 101
    description.focus()
    page.keyboard.insert_text(text)
    expect(counter).to_have_text("101 av høyst 100 ord – fjern 1 ord")
    expect(counter).to_have_class(re.compile(r"\bover\b"))

    # Deleting one word brings it to the limit.
    description.fill(text.rsplit(" ", 1)[0])
    expect(counter).to_have_text(f"{count_words(text.rsplit(' ', 1)[0])} av høyst 100 ord")
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    assert_accessible(page, "point 1 with a word count")


TRICKY = [
    "",
    "   ",
    "a – b",
    "to\u00a0ord",
    "kompe\u00adtanse",
    "ICD-10 C40.1",
    "linje1\u000blinje2",
    "—",
    "- & –",
    "2027",
    "C40.1,C41.2",
    "og/eller",
    "smal\u202fmellomrom og\u2009tynt",
    "null\u200bbredde",
    "\ufeffBOM først",
    "tab\tog\r\nlinjeskift",
    "x\u2028y\u2029z",
    "e\u0301n kafe\u0301",
    "naïve café",
    "emoji 😀 ord",
    "😀",
    "１２３ ＡＢＣ",
    "Ⅻ kapittel",
    "汉字 和 かな",
    "\u00ad",
    "a\u00a0\u00a0\u00a0b",
    "ord\u0085neste",
    "ende.\u3000start",
    "« sitat »",
    "(1) (a) (–)",
    "fem\ufeffseks sju\ufeffåtte ni",
    "høyre\u200fvenstre\u200etekst",
    "ord\u2060skjøt",
    "null\u200dbredde\u200csammenføyning",
    "  innrykk og\r\nlinjeskift  ",
    "styre\x01tegn\x1fer\ufffe borte",
]


def test_javascript_and_python_count_the_same(page, point_1):
    counts = page.evaluate("texts => texts.map(window.soknadCountWords)", TRICKY)
    expected = [count_words(text) for text in TRICKY]
    differences = [(text, js, py) for text, js, py in zip(TRICKY, counts, expected, strict=True)
                   if js != py]
    assert not differences, f"(text, JavaScript, Python): {differences}"
    assert dict(zip(TRICKY, counts, strict=True))["a – b"] == 2
    assert dict(zip(TRICKY, counts, strict=True))["kompe\u00adtanse"] == 1


def test_javascript_counts_characters_as_the_server_stores_them(page, point_1):
    counts = page.evaluate("texts => texts.map(window.soknadCountChars)", TRICKY)
    expected = [len(clean(text)) for text in TRICKY]
    differences = [(text, js, py) for text, js, py in zip(TRICKY, counts, expected, strict=True)
                   if js != py]
    assert not differences, f"(text, JavaScript, Python): {differences}"


def test_a_text_over_the_limit_is_neither_sent_nor_lost(app, page):
    """Over 30 000 characters: the counter says so, autosave sends nothing, and «Lagre» is
    refused by the server with the message at the field and the text still there."""
    with app.app_context():
        application_id = make_application().id
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/punkt/p3")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "autolagre" in request.url
            else None)
    field = page.get_by_role("textbox", name="Hvorfor bør behandlingstilbudet sentraliseres?")
    counter = page.locator("#tegn-sentralisering")
    expect(counter).to_have_text("0 av høyst 30\u00a0000 tegn")
    expect(field).to_have_accessible_description(re.compile("0 av høyst 30.000 tegn"))

    field.focus()
    page.keyboard.insert_text("x" * 30_001)
    expect(counter).to_have_text("30\u00a0001 av høyst 30\u00a0000 tegn – fjern 1 tegn")
    status = page.locator("#lagrestatus")
    expect(status).to_have_text(
        "Ikke lagret: «Hvorfor bør behandlingstilbudet sentraliseres?» har 30\u00a0001 tegn; "
        "høyst 30\u00a0000 kan lagres. Kort ned teksten med 1 tegn. Teksten står fortsatt i "
        "feltet.", timeout=10_000)
    assert sent == []
    assert_accessible(page, "point 3 over the character limit")

    # The cursor is still in the field: the click must not be lost to the status line changing
    # as the field loses focus (it shifted the button under the pointer at the foot of the page).
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Punktet er ikke lagret, fordi noe er for "
                                                      "langt")
    expect(page.locator("#funn-sentralisering-1")).to_contain_text("Kort ned teksten med 1 tegn.")
    expect(field).to_have_value("x" * 30_001)
    assert_accessible(page, "point 3 refused for length")

    field.fill("x" * 30_000)  # at the limit: autosave saves it
    expect(status).to_have_text(re.compile(r"^Lagret kl\. \d\d:\d\d$"), timeout=10_000)
    expect(counter).to_have_text("30\u00a0000 av høyst 30\u00a0000 tegn")


def test_a_full_table_says_so_instead_of_adding_a_row(app, page):
    rows = [{"navn": f"Fagperson {n}", "yrke": "Lege", "kompetanse": "Ortopedi",
             "stillingsandel": "10"} for n in range(1, 201)]
    with app.app_context():
        application_id = make_application(answers={"fagpersoner": rows}).id
    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/punkt/p7")
    table = page.locator("table[data-table='fagpersoner'] tbody tr")
    expect(table).to_have_count(200)
    add = page.get_by_role("button", name="Legg til rad i Fagpersoner som avsettes til tjenesten")
    expect(add).to_have_accessible_description(re.compile("Høyst 200 rader"))
    add.click()
    expect(page.locator("#lagrestatus")).to_have_text(
        "Tabellen har allerede 200 rader, og høyst 200 kan lagres. Ingen rad er lagt til.")
    expect(table).to_have_count(200)


def test_save_button_waits_for_an_autosave_on_its_way(page, point_1):
    """Pressing «Lagre» while an autosave is on its way must not conflict with that autosave
    (the post would otherwise carry the version number from before it)."""
    held = []

    def hold(route) -> None:  # type: ignore[no-untyped-def]
        held.append(route)  # (a bound method is refused by Playwright's route())

    page.route("**/autolagre", hold)
    description = page.get_by_role("textbox", name="Beskrivelse av innhold, formål og avgrensning")
    status = page.locator("#lagrestatus")
    description.fill("Første utkast.")
    expect(status).to_have_text("Lagrer …", timeout=10_000)
    assert len(held) == 1
    answer = held[0].fetch()  # the server saves the autosave; its answer is held back
    assert answer.status == 200
    description.fill("Første utkast, rettet.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/punkt/p1$"))  # the post waits for the autosave
    held[0].fulfill(response=answer)

    expect(page.locator(".flash-list").get_by_role("status")).to_contain_text("Lagret kl.")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(description).to_have_value("Første utkast, rettet.")
    page.reload()
    expect(description).to_have_value("Første utkast, rettet.")
