"""What the guides require beyond Appendix 6, in a real browser with axe-core: the health trust
fills in the professional reference group and is told that the chair should come from another
region; the RHF sees which regions answered «Nei» on agreement about the need."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.domain.service_types import ServiceType
from soknad.services import applications, forms
from tests.browser.helpers import assert_accessible, expect_point, fill_point, flash, h1, log_in
from tests.factories import REFERENCE_GROUP, REGION_ROWS, make_application, user

pytestmark = pytest.mark.browser

OUS = "soker.ous@demo.no"
SOR_OST = "koordinator.sorost@demo.no"
TITLE = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"


def test_the_reference_group_is_filled_in_and_checked(app: Any, page: Any) -> None:
    with app.app_context():
        draft = make_application(OUS, complete=True,
                                 answers={"referansegruppe_medlemmer": []}).id
        section = forms.library().latest(ServiceType.NATIONAL_TREATMENT).section(
            "referansegruppe")
    # The chair from the applicant's own region: a warning.
    rows = [{**row, "verv": "leder" if row["representerer"] == "helse-sor-ost" else "medlem"}
            for row in REFERENCE_GROUP]
    log_in(page, OUS)
    page.goto(f"/soknader/{draft}/punkt/referansegruppe")
    expect(h1(page)).to_have_text("Faglig referansegruppe")
    assert_accessible(page, "the reference group, empty")
    fill_point(page, section, {"referansegruppe_medlemmer": rows})
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(flash(page, "Lagret kl.")).to_be_visible()
    findings = page.locator(".section-findings")
    expect(findings).to_contain_text(
        "Lederen (rad 1) kommer fra Helse Sør-Øst. Lederen bør være en av de regionale "
        "representantene fra en annen helseregion enn Helse Sør-Øst.")
    expect_point(page, section, {"referansegruppe_medlemmer": rows})
    assert_accessible(page, "the reference group with a warning")


def test_the_rhf_sees_which_regions_said_no(app: Any, page: Any) -> None:
    with app.app_context():
        anchoring = [{**row, "enighet": "nei" if row["region"] == "helse-nord" else "ja"}
                     for row in REGION_ROWS]
        application = make_application(OUS, complete=True, answers={"forankring": anchoring})
        applications.submit(application, user(OUS))
        application_id = application.id
    log_in(page, SOR_OST)
    page.goto(f"/rhf/soknader/{application_id}")
    expect(h1(page)).to_have_text(TITLE)
    notice = page.get_by_role("region", name="Ikke enighet om behovet i alle helseregioner")
    expect(notice).to_contain_text(
        "Helse Nord har svart «Nei» på om det er enighet om behovet for tjenesten.")
    assert_accessible(page, "the RHF's review with the notice")
    notice.get_by_role("link", name="Se svarene under Punkt 4: Forankring i fagmiljøene i alle "
                                    "helseregioner").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#del-p4")
    expect(page.locator("#del-p4")).to_be_in_viewport()
