"""The pages around the application: the accessibility statement, an error page, and the start
page of the other roles, at full width and at 320 pixels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from soknad.services import applications
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import make_application, user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_public_pages(new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto("/tilgjengelighet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgjengelighetserklæring")
    assert_no_horizontal_scroll(page, "accessibility statement")
    assert_accessible(page, f"accessibility statement at {width} px")

    response = page.goto("/finnes-ikke")
    assert response is not None
    assert response.status == 404
    expect(page).to_have_title("Feil: Fant ikke siden – Søknadsportal for nasjonale tjenester")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fant ikke siden")
    assert_no_horizontal_scroll(page, "404 page")
    assert_accessible(page, f"404 page at {width} px")


def test_start_pages_of_the_other_roles(app, new_context):
    with app.app_context():
        application = make_application(complete=True)
        applications.submit(application, user("soker.ous@demo.no"))
        application_id = application.id
    title = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"

    page = new_context().new_page()
    log_in(page, "koordinator.sorost@demo.no")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Innkomne søknader – Helse Sør-Øst RHF")
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text(
        "Oslo universitetssykehus HF")
    assert_accessible(page, "coordinator inbox")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_url(f"{page.url.split('/rhf')[0]}/rhf/soknader/{application_id}")
    page.get_by_role("link", name="Vis den innsendte versjonen med vedlegg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} – innsendt versjon 1")
    expect(page).to_have_url(f"{page.url.split('/soknader')[0]}/soknader/{application_id}/innsendt/1")
    assert_accessible(page, "submitted version, as the coordinator")

    for email, heading in (("hdir@demo.no", "Søknader til Helsedirektoratet"),
                           ("admin@demo.no", "Brukere")):
        page = new_context().new_page()
        log_in(page, email)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, f"start page of {email}")
