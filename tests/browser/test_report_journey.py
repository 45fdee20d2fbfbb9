"""One annual report's whole way through the pages, as its three readers take it: the health
trust starts it from «Årsrapporter» in the menu, writes a part, records the reference group's
approval and sends it to its RHF; the RHF forwards it to Helsedirektoratet; Helsedirektoratet
reads it, proposes a change and downloads the 1 June letter to the RHF, which names the service
and the assessment; the health trust reads the assessment on its report and starts the
application for the change from there. axe-core finds no WCAG 2.1 A/AA violation on any page
on the way. CI runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import io

import docx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from soknad import clock
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport
from soknad.services import reports
from tests.browser.helpers import assert_accessible, flash, h1, log_in
from tests.factories import REPORT_YEAR, owed_report, report_answers

pytestmark = pytest.mark.browser

OWNER, COORDINATOR, HDIR = "soker.ous@demo.no", "koordinator.sorost@demo.no", "hdir@demo.no"


def _menu(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name).click()


def test_a_report_from_draft_to_the_assessment_letter(app, page, new_context):  # type: ignore[no-untyped-def]
    with app.app_context():
        item = owed_report(OWNER, ServiceType.NATIONAL_TREATMENT)
        name, service_id, service_key = item.service.name_nb, item.service.id, item.service.key

    # The health trust: start, write a part, the rest filled in as over some days, approve, send.
    log_in(page, OWNER)
    _menu(page, "Årsrapporter")
    expect(h1(page)).to_have_text(f"Årsrapporter {REPORT_YEAR}")
    page.get_by_role("button", name=f"Start rapporten for {name}").click()
    expect(h1(page)).to_have_text(f"Årsrapport {REPORT_YEAR}: {name}")
    page.get_by_role("link", name="Punkt 1: Tjenestens innhold og oppgaver").first.click()
    page.get_by_label("Status for tjenestens aktivitet og resultater").fill(
        "Tjenesten har behandlet pasienter fra alle fire regioner.")
    page.get_by_label("Endringer i tjenestens innhold").fill("Ingen")
    page.get_by_role("button", name="Lagre", exact=True).last.click()
    expect(flash(page, "Lagret kl.")).to_be_visible()
    with app.app_context():
        report = db.session.scalar(select(AnnualReport).where(
            AnnualReport.service_id == service_id, AnnualReport.year == REPORT_YEAR))
        assert report is not None
        report.answers = {**report_answers(reports.spec_of(report)), **report.answers}
        report.version += 1
        db.session.commit()
        report_id = report.id
    page.goto(f"/rapporter/{report_id}")
    page.get_by_label("Dato referansegruppen godkjente rapporten").fill(
        clock.today().isoformat())
    page.get_by_label("Hvem godkjente").fill("Kari Nordmann, leder av referansegruppen")
    page.get_by_role("button", name="Registrer godkjenningen").click()
    expect(flash(page, "Referansegruppens godkjenning er registrert.")).to_be_visible()
    page.get_by_role("button", name="Send rapporten til Helse Sør-Øst RHF").click()
    expect(flash(page, "Rapporten er sendt til Helse Sør-Øst RHF.")).to_be_visible()
    assert_accessible(page, "helseforetakets sendte rapport")

    # The RHF: its inbox from the menu, forward after seeing what goes.
    rhf = new_context().new_page()
    log_in(rhf, COORDINATOR)
    _menu(rhf, "Årsrapporter")
    expect(h1(rhf)).to_have_text(f"Årsrapporter {REPORT_YEAR} – Helse Sør-Øst RHF")
    expect(rhf.get_by_role("table").get_by_role("row", name=name)).to_contain_text("I tide")
    assert_accessible(rhf, "RHF-ets årsrapporter")
    rhf.get_by_role("button", name="Se over og send til Helsedirektoratet").click()
    expect(rhf.get_by_role("region", name="Dette sendes (1)")).to_contain_text(name)
    rhf.get_by_role("button", name="Ja, send 1 rapport til Helsedirektoratet").click()
    expect(flash(rhf, "1 årsrapport er sendt til Helsedirektoratet.")).to_be_visible()

    # Helsedirektoratet: read it, propose a change, download the 1 June letter to the RHF.
    hdir = new_context(accept_downloads=True).new_page()
    log_in(hdir, HDIR)
    _menu(hdir, "Årsrapporter")
    expect(h1(hdir)).to_have_text(f"Årsrapporter {REPORT_YEAR}")
    hdir.get_by_role("table", name="Mottatte årsrapporter fra Helse Sør-Øst").get_by_role(
        "link", name=name).click()
    expect(hdir.get_by_text("Tjenesten har behandlet pasienter fra alle fire regioner.")
           ).to_be_visible()
    assert_accessible(hdir, "rapporten hos Helsedirektoratet")
    hdir.get_by_label("Forslag om endring av tjenesten").check()
    hdir.get_by_role("textbox", name="Punkter til oppfølging", exact=False).fill(
        "Tjenesten bør samles med den regionale funksjonen i Bergen.")
    hdir.get_by_role("button", name="Registrer vurderingen").click()
    expect(hdir.locator("#historikk").locator("xpath=..")).to_contain_text(
        "Forslag om endring av tjenesten (gjeldende)")
    _menu(hdir, "Årsrapporter")
    with hdir.expect_download() as download:
        hdir.get_by_role("link", name="Last ned vurderingsbrevet til Helse Sør-Øst RHF (Word)"
                         ).click()
    letter = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(paragraph.text for paragraph in letter.paragraphs) + "\n".join(
        cell.text for table in letter.tables for row in table.rows for cell in row.cells)
    assert name in text
    assert "Forslag om endring av tjenesten" in text
    assert "Tjenesten bør samles med den regionale funksjonen i Bergen." in text

    # The health trust reads the assessment on its report and starts the change it proposes.
    page.goto(f"/rapporter/{report_id}")
    expect(page.locator("dl.facts")).to_contain_text("Vurdert av Helsedirektoratet")
    assessment = page.get_by_role("region", name="Helsedirektoratets vurdering")
    expect(assessment).to_contain_text("Forslag om endring av tjenesten")
    expect(assessment).to_contain_text("Tjenesten bør samles med den regionale funksjonen")
    assert_accessible(page, "rapporten med Helsedirektoratets vurdering")
    assessment.get_by_role("link", name=f"Start en søknad om endring av innholdet i {name}"
                           ).click()
    expect(page.get_by_role("radio", name="Endring av innhold")).to_be_checked()
    expect(page.get_by_label("Den godkjente tjenesten søknaden gjelder")).to_have_value(
        service_key)
