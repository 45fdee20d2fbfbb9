"""Helpers for the browser tests: the axe check, logging in, small page utilities."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from soknad.domain.formspec import Choice, Column, ColumnKind, Field, FieldKind, Section
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.services import forms
from soknad.services.demo import PASSWORD
from tests.factories import TARGET_SERVICES

# axe-core: WCAG 2.1 A and AA, plus two experimental rules that the tags do not switch on.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {
        "css-orientation-lock": {"enabled": True},
        "label-content-name-mismatch": {"enabled": True},
    },
    "resultTypes": ["violations"],
}

_AXE = Axe()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    return _AXE.run(page, options=AXE_OPTIONS).response["violations"]


def assert_accessible(page: Any, where: str = "") -> None:
    """Run axe-core on the page as it is now; fail listing every violated rule and its targets.

    Needs JavaScript on in the page: axe-core works on timers, and with JavaScript off its promise
    never settles (and Playwright's evaluate has no time limit)."""
    violations = axe_violations(page)
    if not violations:
        return
    lines = [f"axe: {len(violations)} WCAG 2.1 A/AA violation(s) on {where or page.url}"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.extend(f"    - {target}" for target in targets[:10])
        if len(targets) > 10:
            lines.append(f"    … and {len(targets) - 10} more")
    pytest.fail("\n".join(lines), pytrace=False)


def h1(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def flash(page: Any, text: str) -> Any:
    """A success or information message at the top of the page."""
    return page.locator(".flash-list").get_by_role("status").filter(has_text=text)


def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Log in through the login page and wait until the start page has loaded."""
    page.goto("/logg-inn")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn" not in url)


def facts(page: Any, term: str) -> Any:
    """The value of ``term`` in the page's list of facts (``dl.facts``)."""
    return page.locator("dl.facts dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def approve(page: Any, application_id: int, *, terminated_from: str = "") -> None:
    """As Helsedirektoratet: «Godkjent» on the decision page (for a termination, from the day
    ``terminated_from``, ISO, if given), signed, to the confirmation with the letter, which is not
    an establishment's (no «etablert innen»). The decision is not confirmed yet."""
    page.goto(f"/hdir/soknader/{application_id}")
    expect(page.get_by_role("group", name="Funksjon (ved godkjenning av kompetansetjeneste)")
           ).to_have_count(0)
    page.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Godkjent").check()
    if terminated_from:
        page.get_by_label("Tjenesten avvikles fra og med (ved godkjenning)").fill(terminated_from)
    signatory = page.get_by_role("group", name="Den som undertegner vedtaksbrevet")
    signatory.get_by_label("Navn").fill("Ola Nordmann")
    signatory.get_by_label("Tittel").fill("Avdelingsdirektør")
    assert_accessible(page, "decision form")
    page.get_by_role("button", name="Se over vedtaket").click()
    expect(h1(page)).to_have_text("Bekreft vedtaket: godkjent")
    expect(page.get_by_text("etablert innen")).to_have_count(0)
    assert_accessible(page, "decision confirmation")


# --------------------------------------------------------------------------- filling in a point
#
# The form definition (forms/*.toml) says which inputs a point has; the inputs are found the way
# a screen-reader user finds them, by their labels, so a missing or wrong label fails the test.


def field_name(spec_field: Field) -> re.Pattern[str]:
    """The accessible name of a point's input or group: the label, maybe with «(valgfritt)»."""
    return re.compile("^" + re.escape(spec_field.label) + r"( \(valgfritt\))?$")


def _row_label(spec_field: Field, index: int, row: dict[str, Any]) -> str:
    return Region(row["region"]).label if spec_field.row_per_region else f"rad {index + 1}"


def _cell(page: Any, spec_field: Field, column: Column, index: int, row: dict[str, Any]) -> Any:
    return page.get_by_label(f"{column.label}, {_row_label(spec_field, index, row)}", exact=True)


def _choice_label(choices: tuple[Choice, ...], value: str) -> str:
    return next(choice.label for choice in choices if choice.value == value)


def fill_point(page: Any, section: Section, answers: dict[str, Any]) -> None:
    """Type, choose and add rows until the point holds ``answers`` for its fields."""
    for spec_field in section.fields:
        value = answers.get(spec_field.id)
        if value in (None, "", []):
            continue
        kind = spec_field.kind
        if kind in (FieldKind.LINE, FieldKind.TEXT, FieldKind.NUMBER, FieldKind.DATE):
            page.locator(f"#{spec_field.id}").fill(str(value))
        elif kind is FieldKind.ICD10_LIST:
            page.get_by_role("textbox", name=field_name(spec_field)).fill(", ".join(value))
        elif kind is FieldKind.CHOICE:
            group = page.get_by_role("group", name=field_name(spec_field))
            group.get_by_role("radio", name=_choice_label(spec_field.choices, value),
                              exact=True).check()
        elif kind is FieldKind.ORGANISATION:
            page.get_by_role("combobox", name=field_name(spec_field)).select_option(label=value)
        elif kind is FieldKind.REGISTRY_SERVICE:  # the answer is the registry key
            page.get_by_role("combobox", name=field_name(spec_field)).select_option(value=value)
        elif kind is FieldKind.EVIDENCE:
            group = page.get_by_role("group", name=field_name(spec_field))
            group.get_by_label("Henvisninger til dokumentasjon (én per linje)").fill(
                "\n".join(value))
        elif kind is FieldKind.TABLE:
            _fill_table(page, spec_field, value)


def _fill_table(page: Any, spec_field: Field, rows: list[dict[str, Any]]) -> None:
    table = page.locator(f"table[data-table='{spec_field.id}']")
    for index, row in enumerate(rows):
        if not spec_field.row_per_region and table.locator("tbody tr").count() <= index:
            page.get_by_role("button", name=f"Legg til rad i {spec_field.label}").click()
            first = _cell(page, spec_field, spec_field.columns[0], index, row)
            expect(first).to_be_focused()  # the new row's first input takes the focus
        for column in spec_field.columns:
            cell = _cell(page, spec_field, column, index, row)
            value = row.get(column.id, "")
            if column.kind is ColumnKind.CHOICE:
                cell.select_option(label=_choice_label(column.choices, value) if value else "Velg")
            else:
                cell.fill(value)


def expect_point(page: Any, section: Section, answers: dict[str, Any]) -> None:
    """The point's inputs show ``answers`` (after a save and a new page load)."""
    for spec_field in section.fields:
        value = answers.get(spec_field.id)
        kind = spec_field.kind
        if kind in (FieldKind.LINE, FieldKind.TEXT, FieldKind.NUMBER, FieldKind.DATE):
            textbox = page.locator(f"#{spec_field.id}")
            expect(textbox).to_have_accessible_name(field_name(spec_field))
            expect(textbox).to_have_value(str(value or ""))
        elif kind is FieldKind.ICD10_LIST:
            textbox = page.get_by_role("textbox", name=field_name(spec_field))
            expect(textbox).to_have_value(", ".join(value or []))
            codes = page.get_by_role("list", name="Kodene slik de er lest")
            for code in value or []:
                expect(codes).to_contain_text(code)
        elif kind is FieldKind.CHOICE and value:
            group = page.get_by_role("group", name=field_name(spec_field))
            expect(group.get_by_role("radio", name=_choice_label(spec_field.choices, value),
                                     exact=True)).to_be_checked()
        elif kind is FieldKind.EVIDENCE:
            group = page.get_by_role("group", name=field_name(spec_field))
            expect(group.get_by_label("Henvisninger til dokumentasjon (én per linje)")
                   ).to_have_value("\n".join(value or []))
        elif kind is FieldKind.TABLE:
            for index, row in enumerate(value or []):
                for column in spec_field.columns:
                    cell = _cell(page, spec_field, column, index, row)
                    expected = row.get(column.id, "")
                    expect(cell).to_have_value(expected)


# --------------------------------------------------------------------------- keyboard

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const labels = el.labels && el.labels.length ? Array.from(el.labels).map(l => l.innerText) : [];
  const name = (el.getAttribute("aria-label") || labels.join(" ") || el.innerText || el.value
                || "").replace(/\\s+/g, " ").trim();
  return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "", name: name,
          outline: style.outlineStyle, outlineWidth: style.outlineWidth,
          boxShadow: style.boxShadow};
}"""


def focused(page: Any) -> dict[str, str] | None:
    """The element that has the keyboard focus: tag, id, type, accessible name, focus style."""
    return page.evaluate(_FOCUSED)


def assert_focus_visible(info: dict[str, str] | None) -> None:
    assert info is not None, "nothing has the focus"
    ring = (info["outline"] != "none" and info["outlineWidth"] != "0px") or (
        info["boxShadow"] not in ("", "none"))
    assert ring, f"no visible focus indicator on {info}"


def tab_to(page: Any, name: str | re.Pattern[str], *, kind: str = "", max_steps: int = 80,
           backwards: bool = False) -> dict[str, str]:
    """Press Tab (or Shift+Tab) until the focused element's name matches (and its tag or input
    type is ``kind``, if given); every stop on the way must show a visible focus indicator."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(max_steps):
        page.keyboard.press(key)
        info = focused(page)
        assert_focus_visible(info)
        assert info is not None
        seen.append(info["name"][:40])
        matches = (name.search(info["name"]) if isinstance(name, re.Pattern)
                   else info["name"] == name) and kind in ("", info["tag"], info["type"])
        if matches:
            return info
    raise AssertionError(f"{name!r} not reached with {key} in {max_steps} steps: {seen}")


# --------------------------------------------------------------------------- reflow

# The document's width, and any element (outside a .table-scroll box) that reaches past the
# right edge of the window.
_OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-scroll, .skip-link, .default-submit")) { continue; }
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      const classes = typeof el.className === "string" ? el.className.trim() : "";
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                (classes ? "." + classes.split(/\\s+/).join(".") : "") +
                " right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          wide: wide.slice(0, 15)};
}"""


def assert_no_horizontal_scroll(page: Any, where: str) -> None:
    """WCAG 1.4.10: the document does not scroll sideways; only .table-scroll boxes may."""
    result = page.evaluate(_OVERFLOW)
    assert result["scrollWidth"] <= result["innerWidth"], (where, result)
    assert not result["wide"], (where, result)


# --------------------------------------------------------------------------- a kind, end to end


def create_and_submit_kind(page: Any, app: Any, service_type: ServiceType, kind: ApplicationKind,
                           answers: dict[str, Any], *, email: str = "soker.ous@demo.no",
                           short_notice: bool = False) -> int:
    """As the health trust ``email`` (in Helse Sør-Øst): a new application of ``kind`` on «Ny
    søknad» about ``TARGET_SERVICES[service_type]``, every point filled in with ``answers``, the
    findings read and the application submitted to the RHF, axe-core on the pages on the way.
    ``short_notice``: a termination sooner than the guide advises, so the check page warns.
    Returns the application's id."""
    with app.app_context():
        spec = forms.library().latest(service_type).for_kind(kind)
    key, name = TARGET_SERVICES[service_type]
    heading = page.get_by_role("heading", level=1)

    # ------------------------------------------------------------------ new, with the service
    log_in(page, email)
    page.goto("/soknader/ny")
    page.get_by_role("radio", name=service_type.label, exact=True).check()
    page.get_by_role("radio", name=kind.label, exact=True).check()
    pick = page.get_by_role("combobox", name=re.compile("^Den godkjente tjenesten"))
    pick.select_option(value=key)
    assert_accessible(page, f"new application, {kind.label}")
    page.get_by_role("button", name="Opprett søknaden").click()
    expect(page.get_by_role("status").filter(has_text="Søknaden er opprettet")).to_be_visible()
    title = answers.get("navn_nb") if kind is ApplicationKind.CHANGE_OF_NAME else name
    if kind is ApplicationKind.CHANGE_OF_NAME:
        expect(heading).to_have_text(f"{service_type.label} (uten navn ennå)")
    else:
        expect(heading).to_have_text(name)
    overview_url = page.url
    points = page.get_by_role("table").get_by_role("rowheader")
    expect(points).to_have_count(len(spec.sections))
    assert_accessible(page, f"overview, {kind.label}")

    # ------------------------------------------------------------------ what is missing
    page.get_by_role("link", name="Kontroller søknaden").click()
    expect(heading).to_have_text("Kontroll av søknaden")
    expect(page.get_by_text("Hindrer innsending (opplysningen mangler):").first).to_be_visible()
    assert_accessible(page, f"check page, {kind.label}, incomplete")

    # ------------------------------------------------------------------ every point
    for section in spec.sections:
        page.goto(f"{overview_url}/punkt/{section.id}")
        expect(heading).to_have_text(section.heading)
        if section.id == "endring":
            expect(page.get_by_role("combobox", name="Godkjent nasjonal tjeneste")
                   ).to_have_value(key)
        fill_point(page, section, answers)
        page.get_by_role("button", name="Lagre", exact=True).click()
        expect(page.locator(".flash-list").get_by_role("status").filter(
            has_text="Lagret kl.")).to_be_visible()
        expect(page.locator(".section-findings .finding-blocking")).to_have_count(0)
        if not section.number or section.number == 1:
            assert_accessible(page, f"{section.heading}, {kind.label}, saved")

    # ------------------------------------------------------------------ the findings
    page.goto(f"{overview_url}/kontroll")
    expect(page.locator(".finding-blocking")).to_have_count(0)
    if short_notice:
        finding = page.locator(".finding-warning").filter(has_text="Planlagt avvikling")
        expect(finding).to_contain_text("Anbefales:")
        expect(finding).to_contain_text("minst 18 måneder")
    assert_accessible(page, f"check page, {kind.label}, complete")

    # ------------------------------------------------------------------ submit to the RHF
    page.goto(overview_url)
    expect(heading).to_have_text(title)
    page.get_by_role("link", name="Se over og send inn").click()
    expect(heading).to_have_text("Se over og send inn")
    expect(page.locator("dl.facts")).to_contain_text(kind.label)
    expect(page.get_by_text(name).first).to_be_visible()  # the service, from the registry
    assert_accessible(page, f"submit page, {kind.label}")
    page.get_by_role("button", name="Send inn til Helse Sør-Øst RHF").click()
    receipt = page.get_by_role("status").filter(has_text="Kvittering")
    expect(receipt.get_by_role("heading", level=1)).to_have_text(
        "Kvittering: søknaden er sendt inn")
    expect(receipt).to_contain_text(f"{title} er sendt til Helse Sør-Øst RHF.")
    assert_accessible(page, f"receipt, {kind.label}")
    found = re.search(r"/soknader/(\d+)", overview_url)
    assert found is not None, overview_url
    return int(found.group(1))


#: The three kinds that concern an approved service, each on a different service type.
EACH_KIND = [
    pytest.param(ServiceType.NATIONAL_COMPETENCE, ApplicationKind.CHANGE_OF_CONTENT,
                 id="change-of-content"),
    pytest.param(ServiceType.MULTIREGIONAL_TREATMENT, ApplicationKind.CHANGE_OF_NAME,
                 id="change-of-name"),
    pytest.param(ServiceType.NATIONAL_TREATMENT, ApplicationKind.TERMINATION, id="termination"),
]
