"""The Content-Security-Policy holds in a real browser: the pages with JavaScript (autosave, the
word counter, adding table rows) run with nothing refused, and an injected inline script is."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import h1, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

# Set before any page script runs, so that a violation during loading is caught too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch(page: Any) -> list[str]:
    """Everything the browser refused under the policy: console messages and violation
    events."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return refused


def violations(page: Any) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_the_point_page_scripts_run_with_nothing_refused(app, page):  # type: ignore[no-untyped-def]
    refused = watch(page)
    with app.app_context():
        application_id = make_application().id
    log_in(page, "soker.ous@demo.no")
    expect(h1(page)).to_have_text("Mine søknader")

    page.goto(f"/soknader/{application_id}/punkt/p1")
    description = page.get_by_role("textbox", name="Beskrivelse av innhold, formål og avgrensning")
    description.press_sequentially("Utredning av sjeldne beinsykdommer.")
    expect(page.locator("#lagrestatus")).to_have_text(re.compile(r"^Lagret kl\. \d\d:\d\d$"),
                                                      timeout=10_000)
    expect(page.get_by_text(re.compile(r"^4 av høyst \d+ ord$")).first).to_be_visible()

    page.goto(f"/soknader/{application_id}/punkt/p7")
    rows = page.locator("table[data-table] tbody tr")
    before = rows.count()
    page.locator("[data-add-row]").first.click()
    expect(rows).to_have_count(before + 1)

    for path in ("/soknader/", f"/soknader/{application_id}", "/finnes-ikke", "/kalender"):
        page.goto(path)
        assert violations(page) == [], path
    assert refused == []


def test_the_login_page_runs_with_nothing_refused(page):  # type: ignore[no-untyped-def]
    refused = watch(page)
    page.goto("/logg-inn")
    page.get_by_label("E-postadresse").fill("soker.ous@demo.no")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Feil e-postadresse eller passord.").first).to_be_visible()
    assert violations(page) == []
    assert refused == []


def test_an_injected_inline_script_is_refused(page):  # type: ignore[no-untyped-def]
    """The check above can see a violation: the policy is enforced, not only sent."""
    refused = watch(page)
    page.goto("/logg-inn")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.appendChild(script);
      document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
    }""")
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__ran === undefined")
    assert {item.split()[0] for item in violations(page)} >= {"script-src-elem",
                                                             "style-src-attr"}
    # Chromium words it "Refused to …" or "… violates the following Content Security Policy
    # directive …" depending on the version; watch() collects both (they may come a moment
    # after the violation event).
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in text for text in refused), refused
