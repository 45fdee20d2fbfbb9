"""Sending the joint submission, and Helsedirektoratet's side: the package, questions to the
RHFs, decisions with their dates, decision letters, and the registry entry of an approval."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
import time_machine
from flask import Flask

from soknad import clock
from soknad.domain.coordination import Decision as Answer
from soknad.domain.dates import long_date
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, JointSubmission, NationalService
from soknad.models.directorate import Decision
from soknad.services import applications, coordination, joint, mail
from tests.factories import CONTACT, client_for, make_application, page, recommend, user
from tests.mailserver import MailServer

COORDINATORS = ("koordinator.sorost@demo.no", "koordinator.vest@demo.no",
                "koordinator.midt@demo.no", "koordinator.nord@demo.no")
HDIR = "hdir@demo.no"


def submitted_and_accepted(owner: str, coordinator: str, service_type: ServiceType,
                           name: str) -> Application:
    application = make_application(owner, service_type, complete=True,
                                   answers={"navn_nb": name})
    applications.submit(application, user(owner))
    coordination.accept(db.session.get(Application, application.id), user(coordinator))
    return db.session.get(Application, application.id)


def locked_round() -> tuple[Application, Application]:
    """Two accepted applications (a treatment service from Sør-Øst, a competence service from
    Vest) in a national list all four RHFs have consented to."""
    treatment = submitted_and_accepted(
        "soker.ous@demo.no", COORDINATORS[0], ServiceType.NATIONAL_TREATMENT,
        "Nasjonal behandlingstjeneste for sjeldne beinsykdommer")
    competence = submitted_and_accepted(
        "soker.bergen@demo.no", COORDINATORS[1], ServiceType.NATIONAL_COMPETENCE,
        "Nasjonal kompetansetjeneste for sjeldne hudsykdommer")
    round_ = treatment.round
    found = coordination.propose(round_, user(COORDINATORS[0]))
    for email in COORDINATORS:
        coordination.answer(round_, user(email), Answer.CONSENT, "", found.version)
    joint.set_contact(round_, user(COORDINATORS[0]), CONTACT)
    return treatment, competence


def send(app: Flask) -> Any:
    return client_for(app, COORDINATORS[0]).post("/rhf/nasjonal-liste/send",
                                                   follow_redirects=True)


def advised(*listed: Application) -> None:
    """Rådgivingsgruppen has recommended approval of each (a decision needs it first)."""
    for application in listed:
        recommend(db.session.get(Application, application.id))


def state_of(application: Application) -> State:
    db.session.expire_all()
    return db.session.get(Application, application.id).state_enum


def test_nothing_is_visible_to_the_directorate_before_the_joint_submission_is_sent(
        app: Flask) -> None:
    treatment, _ = locked_round()
    hdir = client_for(app, HDIR)
    assert "Ingen samlet søknad er sendt til Helsedirektoratet ennå." in page(hdir.get("/hdir"))
    assert hdir.get("/hdir/runder/2027").status_code == 404
    assert hdir.get(f"/hdir/soknader/{treatment.id}").status_code == 404
    assert hdir.get(f"/soknader/{treatment.id}/innsendt/1").status_code == 404


def test_sending_records_time_checksum_and_copy_and_tells_the_directorate(
        app: Flask, mail_server: MailServer) -> None:
    treatment, competence = locked_round()
    lead = client_for(app, COORDINATORS[0])
    assert "Se over før sending" in page(lead.get("/rhf/nasjonal-liste"))
    confirm = page(lead.get("/rhf/nasjonal-liste/send"))
    assert '<button type="submit" class="button">Send til Helsedirektoratet</button>' in confirm
    response = send(app)
    sent = db.session.query(JointSubmission).one()
    assert ("Den samlede søknaden er sendt til Helsedirektoratet med kopi til Helse- og "
            "omsorgsdepartementet.") in page(response)
    assert sent.package_sha256 in page(response)
    path = joint.package_path(sent)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sent.package_sha256
    assert sent.package_size == path.stat().st_size
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE
    assert state_of(competence) is State.SENT_TO_DIRECTORATE
    again = send(app)
    assert "Den samlede søknaden er allerede sendt." in page(again)

    listing = page(client_for(app, COORDINATORS[1]).get("/rhf/nasjonal-liste"))
    assert "Sendt til Helsedirektoratet" in listing
    assert sent.package_sha256 in listing
    assert "/rhf/nasjonal-liste/pakke.zip" not in listing  # only the coordinating RHF downloads

    mail.send_pending()
    (notice,) = [message for message in mail_server.inbox.to(HDIR)
                 if str(message["Subject"]) == "Samlet søknad om nasjonale tjenester 2027"]
    assert f"Kontrollsum (SHA-256): {sent.package_sha256}" in notice.get_content()
    told = [message for message in mail_server.inbox.to("soker.bergen@demo.no")
            if str(message["Subject"]).startswith("Søknaden er sendt til Helsedirektoratet")]
    assert len(told) == 1
    assert "står som nummer 2 av 2" in told[0].get_content()

    hdir = client_for(app, HDIR)
    inbox = page(hdir.get("/hdir"))
    assert "Samlet søknad 2027" in inbox
    listing = page(hdir.get("/hdir/runder/2027"))
    assert listing.index("sjeldne beinsykdommer") < listing.index("sjeldne hudsykdommer")
    download = hdir.get("/hdir/runder/2027/pakke.zip")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == sent.package_sha256
    assert download.headers["Digest"] == f"sha-256={sent.package_sha256}"
    download.close()


def test_the_package_lists_every_file_with_its_checksum_and_is_the_same_twice(
        app: Flask, tmp_path: Path) -> None:
    treatment, competence = locked_round()
    applications_in_order = [treatment, competence]
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    sent_on = date(2027, 1, 14)
    joint.build(treatment.round, first, sent_on=sent_on)
    joint.build(treatment.round, second, sent_on=sent_on)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        ranked = [item["rank"] for item in manifest["applications"]]
        assert ranked == [1, 2]
        assert [item["snapshot_sha256"] for item in manifest["applications"]] == [
            item.latest_submission.sha256 for item in applications_in_order]
        cover = docx.Document(io.BytesIO(archive.read(names[0])))
    text = "\n".join(paragraph.text for paragraph in cover.paragraphs)
    cells = " ".join(cell.text for table in cover.tables for row in table.rows
                     for cell in row.cells)
    assert "Samlet søknad om nasjonale tjenester – søknadsrunden 2027" in text
    assert "Nasjonal behandlingstjeneste for sjeldne beinsykdommer" in cells
    assert "Samtykker" in cells


def test_only_the_coordinating_rhf_sends_and_downloads(app: Flask) -> None:
    locked_round()
    vest = client_for(app, COORDINATORS[1])
    refused = vest.post("/rhf/nasjonal-liste/send")
    assert refused.status_code == 422
    assert "Bare det koordinerende RHF kan sende den samlede søknaden." in page(refused)
    send(app)
    assert vest.get("/rhf/nasjonal-liste/pakke.zip").status_code == 404
    download = client_for(app, COORDINATORS[0]).get("/rhf/nasjonal-liste/pakke.zip")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    download.close()


def test_a_question_goes_to_the_rhf_and_the_answer_joins_the_history(
        app: Flask, mail_server: MailServer) -> None:
    treatment, _ = locked_round()
    send(app)
    hdir = client_for(app, HDIR)
    due = date(clock.today().year + 1, 10, 1)
    response = hdir.post(f"/hdir/soknader/{treatment.id}/sporsmal", data={
        "sporsmal": "Hvor mange pasienter fra Helse Nord?", "frist": due.isoformat()})
    assert response.status_code == 302
    assert state_of(treatment) is State.INFORMATION_REQUESTED
    mail.send_pending()
    asked = mail_server.inbox.to(COORDINATORS[0])
    assert any("Hvor mange pasienter fra Helse Nord?" in message.get_content()
               for message in asked)

    coordinator = client_for(app, COORDINATORS[0])
    review = page(coordinator.get(f"/rhf/soknader/{treatment.id}"))
    assert "Hvor mange pasienter fra Helse Nord?" in review
    empty = coordinator.post(f"/rhf/soknader/{treatment.id}/svar", data={"svar": " "})
    assert empty.status_code == 422
    assert "Skriv et svar før du sender det." in page(empty)
    coordinator.post(f"/rhf/soknader/{treatment.id}/svar",
                     data={"svar": "Om lag 12 i året, se vedlagt oversikt."})
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE
    html = page(hdir.get(f"/hdir/soknader/{treatment.id}"))
    assert "Om lag 12 i året, se vedlagt oversikt." in html
    assert "Anne Berg (Helse Sør-Øst RHF)" in html
    assert "Helsedirektoratet ba om mer informasjon" in html  # in the history


def test_the_health_trust_can_answer_too(app: Flask) -> None:
    treatment, _ = locked_round()
    send(app)
    due = date(clock.today().year + 1, 10, 1)
    client_for(app, HDIR).post(f"/hdir/soknader/{treatment.id}/sporsmal", data={
        "sporsmal": "Hvem leder tjenesten?", "frist": due.isoformat()})
    applicant = client_for(app, "soker.ous@demo.no")
    assert "Hvem leder tjenesten?" in page(applicant.get(f"/soknader/{treatment.id}"))
    applicant.post(f"/soknader/{treatment.id}/svar", data={"svar": "Professor Kari Lie."})
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE
    seen = page(client_for(app, HDIR).get(f"/hdir/soknader/{treatment.id}"))
    assert "Professor Kari Lie." in seen
    assert "Kari Nordmann (Oslo universitetssykehus HF)" in seen


@pytest.mark.parametrize(("posted", "message"), [
    ({"sporsmal": "  ", "frist": "2099-10-01"},
     "Skriv spørsmålet til det regionale helseforetaket."),
    ({"sporsmal": "Hvem leder tjenesten?", "frist": "snart"},
     "Skriv en gyldig svarfrist, for eksempel 2027-10-01."),
    ({"sporsmal": "Hvem leder tjenesten?", "frist": "2020-01-01"},
     "Svarfristen kan ikke være en dag som har vært."),
])
def test_an_incomplete_question_is_refused_and_keeps_the_text(
        app: Flask, posted: dict[str, str], message: str) -> None:
    treatment, _ = locked_round()
    send(app)
    response = client_for(app, HDIR).post(f"/hdir/soknader/{treatment.id}/sporsmal",
                                          data=posted)
    assert response.status_code == 422
    assert message in page(response)
    assert f'value="{posted["frist"]}"' in page(response)  # nothing typed is lost
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE


SIGNED = {"underskriver": "Ola Nordmann", "tittel": "Avdelingsdirektør"}


@pytest.mark.parametrize(("posted", "message"), [
    ({"vedtak": "", "begrunnelse": "Se notat fra fagrådet."},
     "Velg vedtaket: godkjent, avslått eller utsatt."),
    ({"vedtak": "rejected", "begrunnelse": " "}, "Et avslag må begrunnes."),
    ({"vedtak": "postponed", "begrunnelse": ""},
     "Skriv hva som skal utredes videre før endelig vedtak."),
    ({"vedtak": "approved", "funksjon": "opplaering", "begrunnelse": "Se notat fra fagrådet."},
     "Bare kompetansetjenester har funksjon og virketid."),
])
def test_an_incomplete_decision_is_refused_and_keeps_the_text(
        app: Flask, posted: dict[str, str], message: str) -> None:
    treatment, _ = locked_round()
    send(app)
    response = client_for(app, HDIR).post(f"/hdir/soknader/{treatment.id}/vedtak",
                                          data=posted | SIGNED)
    assert response.status_code == 422
    assert message in page(response)
    assert f">{posted['begrunnelse']}</textarea>" in page(response)  # nothing typed is lost
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE


def test_an_approval_carries_its_dates_enters_the_registry_and_has_a_letter(
        app: Flask, mail_server: MailServer) -> None:
    treatment, _ = locked_round()
    send(app)
    advised(treatment)
    hdir = client_for(app, HDIR)
    response = hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data={
        "vedtak": "approved", "begrunnelse": "Oppfyller kriteriene i § 4-3.", **SIGNED},
        follow_redirects=True)
    today = clock.today()
    html = page(response)
    assert "Vedtaket er registrert: godkjent." in html
    assert "1. januar 2028" in html  # takes effect 1 January after the round
    assert 'datetime="2028-12-31"' in html  # established within a year of 1 January 2028
    assert state_of(treatment) is State.APPROVED

    service = db.session.query(NationalService).filter_by(application_id=treatment.id).one()
    assert service.name_nb == "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"
    assert service.approved_from == today
    assert service.effective_from == date(2028, 1, 1)
    assert service.establish_by == date(2028, 12, 31)
    assert service.icd10_codes == ["Q78.0", "M88"]

    overview = page(client_for(app, "soker.ous@demo.no").get(f"/soknader/{treatment.id}"))
    link = re.search(r'href="(/soknader/\d+/vedtak/\d+\.docx)"', overview)
    assert link is not None
    letter = docx.Document(io.BytesIO(client_for(app, "soker.ous@demo.no").get(
        link.group(1)).data))
    text = "\n".join(paragraph.text for paragraph in letter.paragraphs)
    assert "1. januar 2028" in text
    mail.send_pending()
    assert any(str(message["Subject"]).startswith("Vedtak fra Helsedirektoratet")
               for message in mail_server.inbox.to("soker.ous@demo.no"))


def test_a_competence_service_gets_its_function_and_term(app: Flask) -> None:
    _, competence = locked_round()
    send(app)
    advised(competence)
    client_for(app, HDIR).post(f"/hdir/soknader/{competence.id}/vedtak/bekreft", data={
        "vedtak": "approved", "funksjon": "kompetanseoppbygging", **SIGNED})
    service = db.session.query(NationalService).filter_by(application_id=competence.id).one()
    assert service.function == "kompetanseoppbygging"
    assert service.term_ends == date(2037, 12, 31)  # ten years from 1 January 2028
    shown = page(client_for(app, "soker.bergen@demo.no").get(f"/soknader/{competence.id}"))
    assert (f"Kompetanseoppbygging, 10 år, til <time datetime=\"{service.term_ends.isoformat()}"
            in shown)
    registry_page = page(client_for(app, HDIR).get(f"/tjenester/{service.id}"))
    assert f"Virketid til</dt><dd>{long_date(service.term_ends)}" in registry_page


def test_a_rejection_says_it_cannot_be_appealed(app: Flask) -> None:
    treatment, _ = locked_round()
    send(app)
    advised(treatment)
    client_for(app, HDIR).post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data={
        "vedtak": "rejected", "begrunnelse": "Dekkes av en eksisterende tjeneste.", **SIGNED})
    assert state_of(treatment) is State.REJECTED
    overview = page(client_for(app, "soker.ous@demo.no").get(f"/soknader/{treatment.id}"))
    assert "Vedtaket kan ikke påklages." in overview
    assert "Dekkes av en eksisterende tjeneste." in overview
    assert db.session.query(NationalService).filter_by(application_id=treatment.id).count() == 0


def test_a_postponed_decision_is_due_30_may_and_an_approval_then_starts_1_june(
        app: Flask) -> None:
    treatment, _ = locked_round()
    send(app)
    advised(treatment)
    hdir = client_for(app, HDIR)
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data={
        "vedtak": "postponed", "begrunnelse": "Trenger tall fra Helse Nord.", **SIGNED})
    assert state_of(treatment) is State.POSTPONED
    assert "30. mai 2028" in page(hdir.get(f"/hdir/soknader/{treatment.id}"))
    advised(treatment)  # after the extended assessment
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft",
              data={"vedtak": "approved", **SIGNED})
    service = db.session.query(NationalService).filter_by(application_id=treatment.id).one()
    assert service.effective_from == date(2028, 6, 1)


# --------------------------------------------------------------------------- confirmation


def decisions_of(application: Application) -> int:
    db.session.expire_all()
    return db.session.query(Decision).filter_by(application_id=application.id).count()


def test_deciding_shows_the_letter_first_and_records_nothing_until_confirmed(
        app: Flask, mail_server: MailServer) -> None:
    treatment, competence = locked_round()
    send(app)
    advised(competence, treatment)
    hdir = client_for(app, HDIR)
    typed = {"vedtak": "approved", "funksjon": "opplaering", "begrunnelse": "Godt begrunnet.",
             "telefon": "810 20 050", **SIGNED}
    first = page(hdir.get(f"/hdir/soknader/{competence.id}"))
    assert 'name="underskriver" type="text" autocomplete="off" value="Hanne Dahl"' in first
    preview = page(hdir.post(f"/hdir/soknader/{competence.id}/vedtak", data=typed))
    assert "<h1>Bekreft vedtaket: godkjent</h1>" in preview
    assert "Vedtaket er ikke registrert ennå." in preview
    # The letter's text as it will be sent: outcome, dates from the round, function, people.
    for expected in ("Godkjenningen gjelder fra 1. januar 2028.",
                     "Tjenesten skal være etablert innen 31. desember 2028",
                     "virketid på 5 år, til og med 31. desember 2032.",
                     "Kontaktperson: Hanne Dahl, hdir@demo.no, "
                     "telefon 810 20 050",
                     "Ola Nordmann", "Avdelingsdirektør", "Godt begrunnet."):
        assert expected in preview, expected
    assert decisions_of(competence) == 0
    assert state_of(competence) is State.SENT_TO_DIRECTORATE

    # «Endre vedtaket» goes back to the form with everything typed.
    back = page(hdir.post(f"/hdir/soknader/{competence.id}/vedtak", data=typed | {"endre": "1"}))
    assert 'value="810 20 050"' in back
    assert ">Godt begrunnet.</textarea>" in back
    assert decisions_of(competence) == 0

    done = page(hdir.post(f"/hdir/soknader/{competence.id}/vedtak/bekreft", data=typed,
                          follow_redirects=True))
    assert "Vedtaket er registrert: godkjent." in done
    assert "<dt>Undertegnet av</dt><dd>Ola Nordmann, Avdelingsdirektør</dd>" in done
    assert ">hdir@demo.no</a>, telefon 810 20 050</dd>" in done
    assert decisions_of(competence) == 1
    assert state_of(competence) is State.APPROVED
    mail.send_pending()
    (told,) = mail_server.inbox.to("koordinator.vest@demo.no")[-1:]
    body = told.get_content()
    assert "skal være etablert innen 31. desember 2028" in body
    assert "Kontaktperson i Helsedirektoratet: Hanne Dahl, hdir@demo.no, telefon 810 20 050." \
        in body
    assert "«Registrer at tjenesten er etablert»" in body
    # The next decision starts with the same signatory.
    assert 'value="Ola Nordmann"' in page(hdir.get(f"/hdir/soknader/{treatment.id}"))


@pytest.mark.parametrize(("posted", "field", "message"), [
    ({"underskriver": "", "tittel": "Direktør"}, "vedtak-underskriver",
     "Skriv navnet på den som undertegner vedtaksbrevet."),
    ({"underskriver": "Ola Nordmann", "tittel": " "}, "vedtak-tittel",
     "Skriv tittelen til den som undertegner vedtaksbrevet"),
    ({**SIGNED, "telefon": "ring meg"}, "vedtak-telefon", "«ring meg» er ikke et telefonnummer."),
])
@pytest.mark.parametrize("step", ["vedtak", "vedtak/bekreft"])
def test_a_letter_without_its_signatory_is_refused_at_both_steps(
        app: Flask, posted: dict[str, str], field: str, message: str, step: str) -> None:
    treatment, _ = locked_round()
    send(app)
    response = client_for(app, HDIR).post(f"/hdir/soknader/{treatment.id}/{step}", data={
        "vedtak": "rejected", "begrunnelse": "Dekkes allerede.", **posted})
    assert response.status_code == 422
    assert f'<a href="#{field}">{message}' in page(response)
    assert ">Dekkes allerede.</textarea>" in page(response)
    assert decisions_of(treatment) == 0


def test_the_decision_letter_reads_the_same_dates_and_people_in_word_and_libreoffice(
        app: Flask, tmp_path: Path) -> None:
    """The letter read back by python-docx and, independently, by LibreOffice."""
    _, competence = locked_round()
    send(app)
    advised(competence)
    with time_machine.travel(datetime(2027, 11, 3, 10, tzinfo=UTC)):  # any day of the round
        client_for(app, HDIR).post(f"/hdir/soknader/{competence.id}/vedtak/bekreft", data={
            "vedtak": "approved", "funksjon": "kompetanseoppbygging", "telefon": "810 20 050",
            **SIGNED})
    decision = db.session.query(Decision).filter_by(application_id=competence.id).one()
    data = client_for(app, "soker.bergen@demo.no").get(
        f"/soknader/{competence.id}/vedtak/{decision.id}.docx").data
    words = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs)
    readers = [words]
    soffice = shutil.which("soffice")
    if soffice:
        (tmp_path / "vedtak.docx").write_bytes(data)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                        str(tmp_path / "vedtak.docx")], check=True, capture_output=True,
                       timeout=120)
        readers.append((tmp_path / "vedtak.txt").read_text(encoding="utf-8-sig"))
    for text in readers:
        assert "Dato: 3. november 2027" in text
        assert "Godkjenningen gjelder fra 1. januar 2028." in text
        assert "Tjenesten skal være etablert innen 31. desember 2028" in text
        assert ("Tjenesten har funksjonen «Kompetanseoppbygging» med en virketid på 10 år, "
                "til og med 31. desember 2037.") in text
        assert ("Kontaktperson: Hanne Dahl, hdir@demo.no, "
                "telefon 810 20 050") in text
        assert "Med hilsen\nOla Nordmann\nAvdelingsdirektør\nHelsedirektoratet" in text
    assert soffice, "LibreOffice (soffice) is needed to read the letter independently"
