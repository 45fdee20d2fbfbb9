"""The RHF's steps that cannot be undone ask first: accepting or declining an application, and
sending the joint submission. The confirmation pages say what will happen; «Tilbake» loses
nothing; the cover letter shown there and sent carries the contact person, the signatories'
titles and each region's reason for its order."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad.domain.coordination import Decision
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, JointSubmission
from soknad.services import applications, attachments, coordination, joint
from tests.factories import COORDINATORS, client_for, make_application, user

SOR_OST, VEST = COORDINATORS[0], COORDINATORS[1]
PDF = b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n"  # 3 kB
CONTACT_FORM = {"navn": "Anne Berg", "tittel": "Fagdirektør",
                "epost": "anne.berg@helse-sorost.no", "telefon": "+47 22 33 44 55"}


def text_of(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def submitted(owner: str, name: str,
              service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
              attachment: bytes = b"") -> Application:
    application = make_application(owner, service_type, complete=True,
                                   answers={"navn_nb": name})
    if attachment:
        attachments.store(application, "p2_dokumentasjon", io.BytesIO(attachment),
                          "Pasientvolum 2025.pdf", user(owner))
    applications.submit(application, user(owner))
    return db.session.get(Application, application.id)


def state_of(application: Application) -> State:
    db.session.expire_all()
    return db.session.get(Application, application.id).state_enum


def decide(client: FlaskClient, application: Application, **data: str) -> Any:
    return client.post(f"/rhf/soknader/{application.id}/behandling", data=data)


# --------------------------------------------------------------------------- accept, decline


@pytest.mark.parametrize(("action", "reason", "heading", "says"), [
    ("godta", "", "Godta søknaden for prioritering?",
     "Søknaden legges som nummer 1 i Helse Sør-Østs prioritering."),
    ("avsla", "Dekkes av en eksisterende tjeneste.", "Avslå søknaden?",
     "Avslaget kan ikke angres."),
])
def test_accepting_or_declining_asks_first_and_says_what_will_happen(
        app: Flask, action: str, reason: str, heading: str, says: str) -> None:
    application = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sak A")
    coordinator = client_for(app, SOR_OST)
    asked = decide(coordinator, application, handling=action, begrunnelse=reason)
    assert asked.status_code == 200
    page = text_of(asked)
    assert f"{heading} – Nasjonal behandlingstjeneste for sak A" in page  # the title
    assert says in page
    assert reason in page
    assert state_of(application) is State.SUBMITTED  # nothing has happened yet
    done = decide(coordinator, application, handling=action, begrunnelse=reason, bekreftet="ja")
    assert done.status_code == 302
    assert state_of(application) is {"godta": State.ACCEPTED, "avsla": State.DECLINED}[action]


def test_back_from_the_confirmation_keeps_the_reason_and_changes_nothing(app: Flask) -> None:
    application = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sak B")
    coordinator = client_for(app, SOR_OST)
    typed = "Dekkes av en eksisterende tjeneste.\nSe registeret."
    asked = decide(coordinator, application, handling="avsla", begrunnelse=typed)
    assert 'name="handling" value="tilbake"' in asked.get_data(as_text=True)
    back = decide(coordinator, application, handling="tilbake", begrunnelse=typed)
    assert back.status_code == 200
    html = back.get_data(as_text=True)
    assert "<h2 id=\"behandle\">Behandle søknaden</h2>" in html
    assert ">Dekkes av en eksisterende tjeneste.\nSe registeret.</textarea>" in html
    assert state_of(application) is State.SUBMITTED


def test_a_decline_without_a_reason_is_refused_before_the_confirmation(app: Flask) -> None:
    application = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sak C")
    refused = decide(client_for(app, SOR_OST), application, handling="avsla", begrunnelse=" ")
    assert refused.status_code == 422
    assert "Oppgi en begrunnelse." in text_of(refused)
    assert "Avslå søknaden?" not in text_of(refused)


# --------------------------------------------------------------------------- ranking reason


def test_the_region_writes_its_reason_and_a_too_long_one_is_kept_and_refused(
        app: Flask) -> None:
    application = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sak D")
    coordination.accept(application, user(SOR_OST))
    coordinator = client_for(app, SOR_OST)
    too_long = "x" * (coordination.REASON_LIMIT + 1)
    refused = coordinator.post("/rhf/prioritering/begrunnelse", data={"begrunnelse": too_long})
    assert refused.status_code == 422
    assert (f"Begrunnelsen kan ikke være lengre enn {coordination.REASON_LIMIT} tegn"
            in text_of(refused))
    assert f">{too_long}</textarea>" in refused.get_data(as_text=True)
    saved = coordinator.post("/rhf/prioritering/begrunnelse",
                             data={"begrunnelse": "Størst pasientgrunnlag."},
                             follow_redirects=True)
    assert "Begrunnelsen er lagret. Den står i følgebrevet til Helsedirektoratet." in text_of(saved)
    assert ">Størst pasientgrunnlag.</textarea>" in saved.get_data(as_text=True)
    # The other RHFs read it beside the region's ranking when they consent.
    listing = text_of(client_for(app, VEST).get("/rhf/nasjonal-liste"))
    assert "Begrunnelse for rekkefølgen: Størst pasientgrunnlag." in listing


# --------------------------------------------------------------------------- sending


def locked_list(app: Flask) -> tuple[Application, Application]:
    """Two accepted applications, each region's reason written, and all four consenting (Vest
    gives its coordinator's title on the consent form)."""
    east = submitted("soker.ous@demo.no", "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                     attachment=PDF)
    west = submitted("soker.bergen@demo.no", "Nasjonal kompetansetjeneste for sjeldne hudsykdommer",
                     ServiceType.NATIONAL_COMPETENCE)
    coordination.accept(east, user(SOR_OST))
    coordination.accept(west, user(VEST))
    round_ = east.round
    coordination.set_ranking_reason(round_, east.organisation.region_enum,
                                    "Størst pasientgrunnlag.", user(SOR_OST))
    found = coordination.propose(round_, user(SOR_OST))
    for email in COORDINATORS:
        if email == VEST:
            client_for(app, VEST).post("/rhf/nasjonal-liste/svar", data={
                "svar": "consent", "versjon": str(found.version), "tittel": "Direktør for fag"})
        else:
            coordination.answer(round_, user(email), Decision.CONSENT, "", found.version)
    return east, west


@pytest.mark.parametrize(("field", "value", "message"), [
    ("navn", "", "Skriv navnet på kontaktpersonen."),
    ("tittel", " ", "Skriv tittelen til kontaktpersonen, for eksempel «Seniorrådgiver»."),
    ("epost", "anne.berg", "«anne.berg» er ikke en gyldig e-postadresse."),
    ("telefon", "22 33", "«22 33» er ikke et telefonnummer. Skriv 8 sifre"),
    ("telefon", "ring meg", "«ring meg» er ikke et telefonnummer."),
])
def test_a_wrong_contact_is_refused_with_a_message_and_nothing_typed_is_lost(
        app: Flask, field: str, value: str, message: str) -> None:
    locked_list(app)
    typed = {**CONTACT_FORM, field: value}
    refused = client_for(app, SOR_OST).post("/rhf/nasjonal-liste/kontaktperson", data=typed)
    assert refused.status_code == 422
    assert message in text_of(refused)
    html = refused.get_data(as_text=True)
    for key, text in typed.items():
        assert f'name="{key}" value="{" ".join(text.split())}"' in html


def test_sending_shows_the_letter_and_the_files_first_and_then_sends_them(app: Flask) -> None:
    east, west = locked_list(app)
    lead = client_for(app, SOR_OST)
    # Without a contact person the confirmation page sends the user back to give one.
    unsaved = lead.get("/rhf/nasjonal-liste/send", follow_redirects=True)
    assert "Fyll ut kontaktpersonen for den samlede søknaden før dere sender." in text_of(unsaved)
    # The form suggests the signed-in coordinator.
    assert 'name="navn" value="Anne Berg"' in unsaved.get_data(as_text=True)

    folder = joint.package_dir()
    folder.mkdir(parents=True, exist_ok=True)
    before = {(path.name, path.stat().st_mtime_ns) for path in folder.iterdir()}
    saved = lead.post("/rhf/nasjonal-liste/kontaktperson", data=CONTACT_FORM)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/rhf/nasjonal-liste/send")
    confirm = lead.get("/rhf/nasjonal-liste/send")
    page = text_of(confirm)
    assert ("Når dere sender, kan dere ikke endre rekkefølgen, følgebrevet eller søknadene i "
            "den samlede søknaden.") in page
    assert page.index("1 Nasjonal behandlingstjeneste for sjeldne beinsykdommer") < page.index(
        "2 Nasjonal kompetansetjeneste for sjeldne hudsykdommer")
    assert "Helse Sør-Øst RHF Nasjonal behandlingstjeneste for sjeldne beinsykdommer " \
           "Begrunnelse for rekkefølgen: Størst pasientgrunnlag." in page
    assert "Lars Dale, Direktør for fag, Helse Vest RHF (samtykker" in page
    assert "Anne Berg, Fagdirektør, Helse Sør-Øst RHF E-post: anne.berg@helse-sorost.no " \
           "Telefon: +47 22 33 44 55" in page
    for name, role in (("00 - Samlet søknad om nasjonale tjenester 2027.docx", "Følgebrev"),
                       ("01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/søknad.docx",
                        "Søknad (Word)"),
                       ("01 - Nasjonal behandlingstjeneste for sjeldne beinsykdommer/vedlegg/"
                        "Pasientvolum 2025.pdf", "Vedlegg"),
                       ("manifest.json", "Innholdsliste med kontrollsummer")):
        assert re.search(re.escape(f"{name} {role} ") + r"\d+ kB", page), name
    assert "Tilbake" in page
    # Looking changed nothing: not sent, no package left behind, the applications wait.
    assert db.session.query(JointSubmission).count() == 0
    assert {(path.name, path.stat().st_mtime_ns) for path in folder.iterdir()} == before
    assert state_of(east) is State.IN_JOINT_SUBMISSION
    # «Tilbake» shows the list with the contact person as saved.
    back = lead.get("/rhf/nasjonal-liste")
    assert 'name="telefon" value="+47 22 33 44 55"' in back.get_data(as_text=True)

    sent = lead.post("/rhf/nasjonal-liste/send", follow_redirects=True)
    assert "Den samlede søknaden er sendt til Helsedirektoratet" in text_of(sent)
    assert state_of(west) is State.SENT_TO_DIRECTORATE
    record = db.session.query(JointSubmission).one()
    with zipfile.ZipFile(joint.package_path(record)) as archive:
        letter = docx.Document(io.BytesIO(archive.read(
            "00 - Samlet søknad om nasjonale tjenester 2027.docx")))
    lines = [paragraph.text for paragraph in letter.paragraphs]
    assert "Anne Berg, Fagdirektør, Helse Sør-Øst RHF" in lines
    assert "E-post: anne.berg@helse-sorost.no" in lines
    assert "Telefon: +47 22 33 44 55" in lines
    assert "Direktør for fag, Helse Vest RHF" in lines
    assert "Begrunnelse for rekkefølgen: Størst pasientgrunnlag." in lines
    consents = [[cell.text for cell in row.cells] for row in letter.tables[1].rows]
    assert consents[2][:3] == ["Helse Vest", "Samtykker", "Lars Dale\nDirektør for fag"]
    # Once sent, there is no confirmation page to reach any more.
    again = lead.get("/rhf/nasjonal-liste/send", follow_redirects=True)
    assert "Den samlede søknaden er allerede sendt." in text_of(again)
