"""A change of content, a change of name and a termination, each created through the pages:
the service picked from the registry, every point of the kind filled in, the findings read,
and the application submitted to the RHF, with axe-core on the pages on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.services import forms
from tests.browser.helpers import assert_accessible, fill_point, log_in
from tests.factories import KIND_ANSWERS, TARGET_SERVICES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("service_type", "kind"),
    [
        pytest.param(ServiceType.NATIONAL_COMPETENCE, ApplicationKind.CHANGE_OF_CONTENT,
                     id="change-of-content"),
        pytest.param(ServiceType.MULTIREGIONAL_TREATMENT, ApplicationKind.CHANGE_OF_NAME,
                     id="change-of-name"),
        pytest.param(ServiceType.NATIONAL_TREATMENT, ApplicationKind.TERMINATION,
                     id="termination"),
    ],
)
def test_each_kind_through_the_pages(page, app, service_type, kind):  # type: ignore[no-untyped-def]
    with app.app_context():
        spec = forms.library().latest(service_type).for_kind(kind)
    key, name = TARGET_SERVICES[service_type]
    answers = dict(KIND_ANSWERS[service_type, kind])
    if kind is ApplicationKind.TERMINATION:
        answers["sluttdato"] = "2027-12-31"  # under the 18 months the guide advises
    heading = page.get_by_role("heading", level=1)

    # ------------------------------------------------------------------ new, with the service
    log_in(page, "soker.ous@demo.no")
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
    if kind is ApplicationKind.TERMINATION:
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
