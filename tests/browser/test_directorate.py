"""Helsedirektoratet's side in a real browser: the coordinating RHF sends the locked national
list, and Helsedirektoratet finds the joint submission, downloads the package, asks the RHF a
question (answered on the RHF's review page), is refused an unfounded rejection, approves and
rejects, and downloads the decision letter; the health trust sees the decisions. Also the
administrator's Word templates (a bad file is refused) and rounds. axe-core checks every page
on the way (0 WCAG 2.1 A/AA violations), and after a refused action the focus is on the error
summary, whose link leads to the field, and what the user chose or typed is still there."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright.sync_api import expect

from soknad import clock
from soknad.documents import TemplateKind
from soknad.domain.coordination import Decision as Answer
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, coordination
from soknad.web.filters import day
from tests.browser.helpers import assert_accessible, flash, focused, h1, log_in
from tests.factories import make_application, recommend, user

pytestmark = pytest.mark.browser

SOR_OST = "koordinator.sorost@demo.no"  # Helse Sør-Øst coordinates the demo round
COORDINATORS = (SOR_OST, "koordinator.vest@demo.no", "koordinator.midt@demo.no",
                "koordinator.nord@demo.no")
HDIR = "hdir@demo.no"
OUS = "soker.ous@demo.no"
BERGEN = "soker.bergen@demo.no"

BONES = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"  # OUS, approved
SKIN = "Nasjonal kompetansetjeneste for sjeldne hudsykdommer"  # Helse Bergen
HEARTS = "Nasjonal behandlingstjeneste for medfødte hjertefeil"  # OUS, rejected
IN_PRIORITY_ORDER = [BONES, SKIN, HEARTS]  # the merge takes each region's first, then second

QUESTION = "Hvor mange pasienter fra Helse Nord ble henvist i 2025?"
ANSWER = "Om lag 12 i året, se vedlagt oversikt fra pasientregisteret."
APPROVAL = "Oppfyller kriteriene i spesialisthelsetjenesteforskriften § 4-3."
REJECTION = "Dekkes av en eksisterende nasjonal tjeneste."
NO_APPEAL = "Vedtaket kan ikke påklages."
SIGNATORY, SIGNATORY_TITLE = "Ola Nordmann", "Avdelingsdirektør"


def facts(page: Any, term: str) -> Any:
    """The <dd> of a description list entry, found by its <dt>."""
    return page.locator("dl.facts dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def submitted_and_accepted(owner: str, coordinator: str, service_type: ServiceType,
                           name: str) -> int:
    application = make_application(owner, service_type, complete=True,
                                   answers={"navn_nb": name})
    applications.submit(application, user(owner))
    coordination.accept(db.session.get(Application, application.id), user(coordinator))
    return application.id


def locked_round() -> dict[str, int]:
    """Three accepted applications in a national list that all four RHFs have consented to."""
    ids = {
        BONES: submitted_and_accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, BONES),
        SKIN: submitted_and_accepted(BERGEN, COORDINATORS[1], ServiceType.NATIONAL_COMPETENCE,
                                     SKIN),
        HEARTS: submitted_and_accepted(OUS, SOR_OST, ServiceType.NATIONAL_TREATMENT, HEARTS),
    }
    round_ = db.session.get(Application, ids[BONES]).round
    found = coordination.propose(round_, user(SOR_OST))
    for email in COORDINATORS:
        coordination.answer(round_, user(email), Answer.CONSENT, "", found.version)
    return ids


def download(page: Any, link: Any) -> tuple[str, bytes]:
    """Click a download link; the file's suggested name and its bytes."""
    with page.expect_download() as info:
        link.click()
    found = info.value
    return found.suggested_filename, Path(found.path()).read_bytes()


def expect_summary(page: Any, message: str) -> Any:
    summary = page.locator("#feiloppsummering")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile("^Feil: "))
    return summary


def follow_summary_link(page: Any, field: Any) -> None:
    """From the focused summary, Tab to its link and press Enter: the field gets the focus."""
    page.keyboard.press("Tab")
    link = page.locator("#feiloppsummering a").first
    assert focused(page)["name"] == link.inner_text()  # type: ignore[index]
    page.keyboard.press("Enter")
    expect(field).to_be_focused()


def test_from_the_joint_submission_to_the_decisions(app, new_context):  # type: ignore[no-untyped-def]
    with app.app_context():
        ids = locked_round()
        today = clock.today()
    due = date(today.year + 1, 10, 1)

    # ------------------------------------------------------------------ Sør-Øst sends
    sorost = new_context().new_page()
    log_in(sorost, SOR_OST)
    sorost.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Nasjonal liste").click()
    sorost.get_by_label("Telefon").fill("+47 22 33 44 55")
    sorost.get_by_role("button", name="Se over før sending").click()
    expect(h1(sorost)).to_have_text("Se over og send den samlede søknaden")
    sorost.get_by_role("button", name="Send til Helsedirektoratet").click()
    expect(flash(sorost, "Den samlede søknaden er sendt til Helsedirektoratet med kopi til "
                         "Helse- og omsorgsdepartementet.")).to_be_visible()
    expect(sorost.get_by_role("button", name="Send til Helsedirektoratet")).to_have_count(0)
    expect(sorost.get_by_role("heading", name="Sendt til Helsedirektoratet")).to_be_visible()
    assert_accessible(sorost, "coordinator: the national list, sent")

    # ------------------------------------------------------------------ the inbox and the list
    hdir = new_context(accept_downloads=True).new_page()
    log_in(hdir, HDIR)
    hdir.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Søknader til Helsedirektoratet").click()
    expect(h1(hdir)).to_have_text("Søknader til Helsedirektoratet")
    received = hdir.get_by_role("table", name="Samlede søknader som er mottatt")
    expect(received.get_by_role("row").filter(has_text="Samlet søknad 2027")).to_contain_text(
        "Anne Berg (Helse Sør-Øst RHF)")
    assert_accessible(hdir, "directorate: inbox")

    received.get_by_role("link", name="Samlet søknad 2027").click()
    expect(h1(hdir)).to_have_text("Samlet søknad om nasjonale tjenester 2027")
    expect(facts(hdir, "Kopi til")).to_have_text("Helse- og omsorgsdepartementet")
    listed = hdir.get_by_role("table", name="Søknadene i prioritert rekkefølge")
    expect(listed.locator("tbody th")).to_have_text(IN_PRIORITY_ORDER)
    expect(listed.locator("tbody td:first-child")).to_have_text(["1", "2", "3"])
    expect(listed.get_by_role("row").filter(has_text=SKIN)).to_contain_text("Helse Bergen HF")
    assert_accessible(hdir, "directorate: the joint submission")

    name, package = download(hdir, hdir.get_by_role("link", name="samlet-soknad-2027.zip"))
    assert name == "samlet-soknad-2027.zip"
    assert package.startswith(b"PK")
    code = facts(hdir, "Kontrollsum (SHA-256)").inner_text().strip()
    assert hashlib.sha256(package).hexdigest() == code

    # ------------------------------------------------------------------ a question
    listed.get_by_role("link", name=BONES, exact=True).click()
    expect(h1(hdir)).to_have_text(BONES)
    expect(facts(hdir, "Status")).to_have_text("Sendt til Helsedirektoratet")
    expect(facts(hdir, "Prioritet i samlet søknad")).to_have_text("1")
    assert_accessible(hdir, "directorate: one application")

    question = hdir.get_by_label("Spørsmål", exact=True)
    due_date = hdir.get_by_label("Svarfrist")
    due_date.fill(due.isoformat())
    hdir.get_by_role("button", name="Send spørsmålet").click()
    expect_summary(hdir, "Skriv spørsmålet til det regionale helseforetaket.")
    expect(due_date).to_have_value(due.isoformat())
    expect(question).to_have_value("")
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(question).to_have_accessible_description(
        "Skriv spørsmålet til det regionale helseforetaket.")
    assert_accessible(hdir, "directorate: question refused without a text")
    follow_summary_link(hdir, question)

    question.fill(QUESTION)
    hdir.get_by_role("button", name="Send spørsmålet").click()
    expect(flash(hdir, "Spørsmålet er sendt til det regionale helseforetaket.")).to_be_visible()
    expect(facts(hdir, "Status")).to_have_text("Helsedirektoratet ber om mer informasjon")
    asked = hdir.get_by_role("region", name=re.compile("^Spørsmål 1, stilt "))
    expect(asked).to_contain_text(QUESTION)
    expect(asked).to_contain_text(f"Svarfrist: {day(due)}.")
    expect(asked).to_contain_text("Venter på svar fra det regionale helseforetaket.")
    expect(hdir.get_by_role("heading", name="Vedtak", exact=True)).to_have_count(0)
    assert_accessible(hdir, "directorate: the question asked")

    # ------------------------------------------------------------------ Sør-Øst answers
    sorost.goto(f"/rhf/soknader/{ids[BONES]}")
    expect(h1(sorost)).to_have_text(BONES)
    open_question = sorost.get_by_role("region", name=re.compile("^Spørsmål 1, stilt "))
    expect(open_question).to_contain_text(QUESTION)
    assert_accessible(sorost, "coordinator: the review page with the question")
    open_question.get_by_label("Svar til Helsedirektoratet").fill(ANSWER)
    open_question.get_by_role("button", name="Send svaret").click()
    expect(flash(sorost, "Svaret er sendt til Helsedirektoratet.")).to_be_visible()
    answered = sorost.get_by_role("region", name=re.compile("^Spørsmål 1, stilt "))
    expect(answered).to_contain_text(ANSWER)
    expect(answered).to_contain_text("Svar fra Anne Berg (Helse Sør-Øst RHF)")

    # ------------------------------------------------------------------ a rejection needs reasons
    with app.app_context():  # Rådgivingsgruppen has met (tests/browser/test_advisory.py)
        for key in (BONES, HEARTS):
            recommend(db.session.get(Application, ids[key]))
    hdir.reload()
    expect(facts(hdir, "Status")).to_have_text("Sendt til Helsedirektoratet")
    expect(hdir.get_by_role("region", name=re.compile("^Spørsmål 1, stilt "))).to_contain_text(
        ANSWER)
    history = hdir.locator("#historikk + .history")
    expect(history).to_contain_text(
        "Helsedirektoratet ba om mer informasjon av Hanne Dahl (Helsedirektoratet). "
        f"Spørsmål: «{QUESTION}»")
    expect(history).to_contain_text("Svar til Helsedirektoratet av Anne Berg (Helse Sør-Øst RHF)")
    expect(history.get_by_role("listitem").filter(has_text=re.compile(r": submit\b"))
           ).to_have_count(0)  # the state change of a submission is not shown raw
    decision = hdir.get_by_role("group", name="Vedtaket")
    reasons = hdir.get_by_label("Begrunnelse (må fylles ut ved avslag og utsettelse)")
    decision.get_by_role("radio", name="Avslått").check()
    reasons.fill("   ")
    signatory = hdir.get_by_role("group", name="Den som undertegner vedtaksbrevet")
    signatory.get_by_label("Navn").fill(SIGNATORY)
    signatory.get_by_label("Tittel").fill(SIGNATORY_TITLE)
    hdir.get_by_role("button", name="Se over vedtaket").click()
    expect_summary(hdir, "Et avslag må begrunnes.")
    expect(hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Avslått")
           ).to_be_checked()
    expect(reasons).to_have_value("   ")
    expect(reasons).to_have_attribute("aria-invalid", "true")
    expect(reasons).to_have_accessible_description(re.compile("Et avslag må begrunnes."))
    expect(facts(hdir, "Status")).to_have_text("Sendt til Helsedirektoratet")
    assert_accessible(hdir, "directorate: rejection refused without reasons")
    follow_summary_link(hdir, reasons)

    # ------------------------------------------------------------------ the approval
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Godkjent").check()
    reasons.fill(APPROVAL)
    hdir.get_by_role("button", name="Se over vedtaket").click()
    # The confirmation: the letter as it will be sent, nothing recorded yet.
    expect(h1(hdir)).to_have_text("Bekreft vedtaket: godkjent")
    letter_preview = hdir.get_by_role("region", name="Vedtaksbrevet slik det sendes")
    expect(letter_preview).to_contain_text("Godkjenningen gjelder fra 1. januar 2028.")
    expect(letter_preview).to_contain_text("Tjenesten skal være etablert innen 31. desember 2028")
    expect(letter_preview).to_contain_text("Kontaktperson: Hanne Dahl, hdir@demo.no")
    expect(letter_preview).to_contain_text(f"{SIGNATORY}")
    expect(facts(hdir, "Undertegnes av")).to_have_text(f"{SIGNATORY}, {SIGNATORY_TITLE}")
    assert_accessible(hdir, "directorate: confirm the approval")
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(hdir, "Vedtaket er registrert: godkjent.")).to_be_visible()
    expect(facts(hdir, "Status")).to_have_text("Godkjent")
    record = hdir.get_by_role("region", name=f"Godkjent – {day(today)}")
    expect(facts(record, "Får virkning fra")).to_have_text("1. januar 2028")
    expect(record.locator("time[datetime='2028-01-01']")).to_have_text("1. januar 2028")
    establish_by = date(2028, 12, 31)  # one year from 1 January 2028, whatever today is
    expect(record.locator(f"time[datetime='{establish_by.isoformat()}']")).to_have_text(
        day(establish_by))
    expect(record).to_contain_text(APPROVAL)
    expect(record).not_to_contain_text(NO_APPEAL)
    expect(facts(record, "Undertegnet av")).to_have_text(f"{SIGNATORY}, {SIGNATORY_TITLE}")
    expect(hdir.get_by_role("button", name="Se over vedtaket")).to_have_count(0)
    assert_accessible(hdir, "directorate: approved")
    name, letter = download(hdir, record.get_by_role("link",
                                                     name="Last ned vedtaksbrevet (Word)"))
    assert name.endswith(".docx")
    assert letter.startswith(b"PK")
    text = "\n".join(item.text for item in docx.Document(io.BytesIO(letter)).paragraphs)
    assert "1. januar 2028" in text

    # ------------------------------------------------------------------ the rejection
    hdir.get_by_role("navigation", name="Brødsmulesti").get_by_role(
        "link", name="Samlet søknad 2027").click()
    expect(listed.get_by_role("row").filter(has_text=BONES)).to_contain_text("Godkjent")
    listed.get_by_role("link", name=HEARTS, exact=True).click()
    expect(h1(hdir)).to_have_text(HEARTS)
    hdir.get_by_role("group", name="Vedtaket").get_by_role("radio", name="Avslått").check()
    reasons.fill(REJECTION)
    hdir.get_by_role("button", name="Se over vedtaket").click()  # the signatory is kept
    expect(h1(hdir)).to_have_text("Bekreft vedtaket: avslått")
    hdir.get_by_role("button", name="Bekreft og registrer vedtaket").click()
    expect(flash(hdir, "Vedtaket er registrert: avslått.")).to_be_visible()
    rejected = hdir.get_by_role("region", name=f"Avslått – {day(today)}")
    expect(rejected).to_contain_text(REJECTION)
    expect(rejected).to_contain_text(NO_APPEAL)
    expect(rejected).not_to_contain_text("Får virkning fra")
    assert_accessible(hdir, "directorate: rejected")

    # ------------------------------------------------------------------ the health trust
    ous = new_context().new_page()
    log_in(ous, OUS)
    ous.goto(f"/soknader/{ids[BONES]}")
    expect(h1(ous)).to_have_text(BONES)
    approved = ous.get_by_role("region", name=f"Godkjent – {day(today)}")
    expect(approved).to_contain_text("1. januar 2028")
    expect(approved).to_contain_text(day(establish_by))
    expect(approved.get_by_role("link", name="Last ned vedtaksbrevet (Word)")).to_be_visible()
    expect(ous.get_by_text(NO_APPEAL)).to_have_count(0)
    expect(ous.get_by_role("region", name=re.compile("^Spørsmål 1, stilt "))).to_contain_text(
        ANSWER)
    assert_accessible(ous, "applicant: the approval")

    ous.goto(f"/soknader/{ids[HEARTS]}")
    expect(h1(ous)).to_have_text(HEARTS)
    refused = ous.get_by_role("region", name=f"Avslått – {day(today)}")
    expect(refused).to_contain_text(REJECTION)
    expect(refused.get_by_text(NO_APPEAL)).to_be_visible()
    assert_accessible(ous, "applicant: the rejection")


def test_the_administrators_templates_and_rounds(page, tmp_path):  # type: ignore[no-untyped-def]
    log_in(page, "admin@demo.no")
    menu = page.get_by_role("navigation", name="Hovedmeny")
    menu.get_by_role("link", name="Dokumentmaler").click()
    expect(h1(page)).to_have_text("Dokumentmaler")
    expect(page.get_by_text("I bruk: standardmalen.")).to_have_count(len(TemplateKind))
    assert_accessible(page, "admin: Word templates")

    # Not a Word document: refused with the reason, and the standard template stays in use.
    bad = tmp_path / "vedtak.docx"
    bad.write_bytes(b"%PDF-1.4 this is a PDF")
    letters = page.get_by_role("region", name="Vedtaksbrev")
    file_input = letters.get_by_label(re.compile("^Ny versjon av «Vedtaksbrev»"))
    file_input.set_input_files(bad)
    letters.get_by_role("button", name="Last opp og ta i bruk").click()
    summary = expect_summary(page, "Malen ble ikke tatt i bruk. Den forrige malen gjelder "
                                   "fortsatt.")
    expect(summary).to_contain_text("Filen er ikke et gyldig Word-dokument (.docx).")
    file_input = page.get_by_role("region", name="Vedtaksbrev").get_by_label(
        re.compile("^Ny versjon av «Vedtaksbrev»"))
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(file_input).to_have_accessible_description(
        re.compile("Filen er ikke et gyldig Word-dokument"))
    expect(page.get_by_text("I bruk: standardmalen.")).to_have_count(len(TemplateKind))
    assert_accessible(page, "admin: a bad template refused")
    follow_summary_link(page, file_input)

    menu.get_by_role("link", name="Søknadsrunder").click()
    expect(h1(page)).to_have_text("Søknadsrunder")
    expect(page.get_by_role("combobox", name=re.compile("^Koordinerende RHF"))
           ).to_have_value("helse-sor-ost")
    assert_accessible(page, "admin: rounds")
