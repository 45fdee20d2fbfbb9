"""Helsedirektoratet's own steps: Rådgivingsgruppen's recommendation recorded before each
decision (refused without it, reasons asked when the decision differs), and the round's overall
feedback letter to the RHFs on 1 December, read back by python-docx and by LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad import clock
from soknad.domain.advisory import MISSING, MISSING_AFTER_POSTPONEMENT
from soknad.domain.decisions import DecisionKind
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, AuditEntry
from soknad.models.advisory import AdvisoryRecommendation
from soknad.models.directorate import Decision
from tests.factories import client_for, page, recommend
from tests.integration.test_directorate import HDIR, SIGNED, locked_round, send, state_of

TODAY = clock.today()
MEETING = f"{TODAY.day}. "  # the start of today's long date, e.g. «3. desember 2026»


def recommendation_form(**changes: str) -> dict[str, str]:
    return {"anbefaling": "approved", "motedato": TODAY.isoformat(),
            "anbefaling_begrunnelse": "Godt dokumentert nasjonalt behov."} | changes


@pytest.fixture
def listed(app: Flask) -> tuple[Application, Application]:
    treatment, competence = locked_round()
    send(app)
    return treatment, competence


@pytest.fixture
def hdir(app: Flask) -> FlaskClient:
    return client_for(app, HDIR)


def decisions_of(application: Application) -> list[Decision]:
    db.session.expire_all()
    return list(db.session.scalars(select(Decision).where(
        Decision.application_id == application.id)))


def test_a_recommendation_is_recorded_shown_and_audited(
        app: Flask, listed: tuple[Application, Application], hdir: FlaskClient) -> None:
    treatment, _ = listed
    before = page(hdir.get(f"/hdir/soknader/{treatment.id}"))
    assert "Rådgivingsgruppens anbefaling er ikke registrert." in before
    response = hdir.post(f"/hdir/soknader/{treatment.id}/anbefaling",
                         data=recommendation_form(), follow_redirects=True)
    html = page(response)
    assert "Anbefalingen er registrert: Rådgivingsgruppen anbefalte godkjenning (møte " in html
    assert "<strong>Anbefaler godkjenning</strong>" in html
    assert "Godt dokumentert nasjonalt behov." in html
    assert "Registrert av Hanne Dahl" in html
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "advisory_recommendation")).one()
    assert entry.object_id == treatment.id
    # The RHF and the health trust do not see Helsedirektoratet's form.
    assert "Rådgivingsgruppens anbefaling" not in page(
        client_for(app, "soker.ous@demo.no").get(f"/soknader/{treatment.id}"))


@pytest.mark.parametrize(("typed", "field", "message"), [
    ({"anbefaling": ""}, "anbefaling-approved", "Velg hva Rådgivingsgruppen anbefaler"),
    ({"motedato": "12.11"}, "anbefaling-motedato", "Skriv datoen for møtet i Rådgivingsgruppen"),
    ({"motedato": "2099-01-01"}, "anbefaling-motedato", "Møtedatoen kan ikke være en dag som"),
    ({"motedato": "2020-01-01"}, "anbefaling-motedato",
     "Møtedatoen kan ikke være før søknaden kom til Helsedirektoratet"),
    ({"anbefaling_begrunnelse": " "}, "anbefaling-begrunnelse",
     "Skriv kort hvorfor Rådgivingsgruppen anbefaler dette."),
])
def test_a_bad_recommendation_is_refused_and_keeps_what_was_typed(
        listed: tuple[Application, Application], hdir: FlaskClient, typed: dict[str, str],
        field: str, message: str) -> None:
    treatment, _ = listed
    form = recommendation_form(**typed)
    response = hdir.post(f"/hdir/soknader/{treatment.id}/anbefaling", data=form)
    html = page(response)
    assert response.status_code == 422
    assert f'<a href="#{field}">{message}' in html
    if form["anbefaling_begrunnelse"].strip():
        assert f">{form['anbefaling_begrunnelse']}</textarea>" in html
    assert db.session.query(AdvisoryRecommendation).count() == 0


@pytest.mark.parametrize("step", ["vedtak", "vedtak/bekreft"])
def test_a_decision_without_a_recommendation_is_refused_at_both_steps(
        listed: tuple[Application, Application], hdir: FlaskClient, step: str) -> None:
    treatment, _ = listed
    response = hdir.post(f"/hdir/soknader/{treatment.id}/{step}", data={
        "vedtak": "rejected", "begrunnelse": "Dekkes allerede.", **SIGNED})
    html = page(response)
    assert response.status_code == 422
    assert f'<a href="#anbefaling-approved">{MISSING}' in html
    assert ">Dekkes allerede.</textarea>" in html
    assert decisions_of(treatment) == []
    assert state_of(treatment) is State.SENT_TO_DIRECTORATE


def test_a_decision_that_differs_asks_for_reasons_and_shows_the_recommendation(
        listed: tuple[Application, Application], hdir: FlaskClient) -> None:
    treatment, _ = listed
    recommend(treatment, DecisionKind.REJECTED)
    refused = hdir.post(f"/hdir/soknader/{treatment.id}/vedtak",
                        data={"vedtak": "approved", "begrunnelse": "", **SIGNED})
    assert refused.status_code == 422
    assert ('<a href="#vedtak-begrunnelse">Vedtaket avviker fra anbefalingen: '
            "Rådgivingsgruppen anbefalte avslag (møte ") in page(refused)
    typed = {"vedtak": "approved", "begrunnelse": "Nye tall viser behovet.", **SIGNED}
    preview = page(hdir.post(f"/hdir/soknader/{treatment.id}/vedtak", data=typed))
    assert "<dt>Rådgivingsgruppen</dt><dd>Rådgivingsgruppen anbefalte avslag (møte " in preview
    assert "Vedtaket avviker fra anbefalingen; begrunnelsen står i brevet" in preview
    done = page(hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data=typed,
                          follow_redirects=True))
    assert "Vedtaket er registrert: godkjent." in done
    (decision,) = decisions_of(treatment)
    row = db.session.scalars(select(AdvisoryRecommendation)).one()
    assert row.decision_id == decision.id


def test_the_decision_step_names_the_recommendation_it_follows(
        listed: tuple[Application, Application], hdir: FlaskClient) -> None:
    treatment, _ = listed
    recommend(treatment, DecisionKind.REJECTED)
    form = page(hdir.get(f"/hdir/soknader/{treatment.id}"))
    assert "<p>Rådgivingsgruppen anbefalte avslag (møte " in form
    preview = page(hdir.post(f"/hdir/soknader/{treatment.id}/vedtak", data={
        "vedtak": "rejected", "begrunnelse": "Dekkes allerede.", **SIGNED}))
    assert "<dt>Rådgivingsgruppen</dt><dd>Rådgivingsgruppen anbefalte avslag (møte " in preview
    assert "avviker" not in preview


def test_after_a_postponement_the_final_decision_needs_a_new_recommendation(
        listed: tuple[Application, Application], hdir: FlaskClient) -> None:
    treatment, _ = listed
    recommend(treatment, DecisionKind.POSTPONED)
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data={
        "vedtak": "postponed", "begrunnelse": "Trenger tall fra Helse Nord.", **SIGNED})
    assert state_of(treatment) is State.POSTPONED
    refused = hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft",
                        data={"vedtak": "approved", **SIGNED})
    assert refused.status_code == 422
    assert MISSING_AFTER_POSTPONEMENT in page(refused)
    hdir.post(f"/hdir/soknader/{treatment.id}/anbefaling", data=recommendation_form())
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft",
              data={"vedtak": "approved", **SIGNED})
    assert state_of(treatment) is State.APPROVED
    assert len(decisions_of(treatment)) == 2


def test_no_recommendation_is_recorded_once_decided(
        listed: tuple[Application, Application], hdir: FlaskClient) -> None:
    treatment, _ = listed
    recommend(treatment, DecisionKind.REJECTED)
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft", data={
        "vedtak": "rejected", "begrunnelse": "Dekkes allerede.", **SIGNED})
    html = page(hdir.get(f"/hdir/soknader/{treatment.id}"))
    assert "Registrer anbefalingen" not in html
    assert "<strong>Anbefaler avslag</strong>" in html  # the history stays
    response = hdir.post(f"/hdir/soknader/{treatment.id}/anbefaling", data=recommendation_form())
    assert response.status_code == 422
    assert db.session.query(AdvisoryRecommendation).count() == 1


# --------------------------------------------------------------------------- the round letter


def read_with_libreoffice(data: bytes, tmp_path: Path) -> str:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to read the letter independently"
    (tmp_path / "brev.docx").write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(tmp_path / "brev.docx")], check=True, capture_output=True, timeout=120)
    return (tmp_path / "brev.txt").read_text(encoding="utf-8-sig")


def test_the_round_letter_lists_every_application_with_its_outcome(
        listed: tuple[Application, Application], hdir: FlaskClient, tmp_path: Path) -> None:
    treatment, competence = listed
    recommend(treatment)
    hdir.post(f"/hdir/soknader/{treatment.id}/vedtak/bekreft",
              data={"vedtak": "approved", **SIGNED})
    round_page = page(hdir.get("/hdir/runder/2027"))
    assert ('<a href="/hdir/runder/2027/samlet-tilbakemelding.docx">Last ned samlet '
            "tilbakemelding 2027 (Word)</a>") in round_page
    response = hdir.get("/hdir/runder/2027/samlet-tilbakemelding.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("samlet-tilbakemelding-2027.docx")
    document = docx.Document(io.BytesIO(response.data))
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1:] == [
        ["1", "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
         "Oslo universitetssykehus HF\nHelse Sør-Øst", "Etablering av ny tjeneste", "Godkjent"],
        ["2", "Nasjonal kompetansetjeneste for sjeldne hudsykdommer",
         "Helse Bergen HF\nHelse Vest", "Etablering av ny tjeneste", "Ikke avgjort ennå"],
    ]
    for text in (words, read_with_libreoffice(response.data, tmp_path)):
        assert "Til: Helse Sør-Øst RHF, Helse Vest RHF, Helse Midt-Norge RHF, Helse Nord RHF" \
            in text
        assert "Kopi: Helse- og omsorgsdepartementet" in text
        assert "Samlet tilbakemelding om nasjonale tjenester – søknadsrunden 2027" in text
        assert "omfattet 2 søknader: 1 er godkjent, 0 er avslått og 0 er utsatt" in text
        assert ("1. Nasjonal behandlingstjeneste for sjeldne beinsykdommer (Oslo "
                "universitetssykehus HF, etablering av ny tjeneste): Godkjent, vedtak ") in text
        assert f"Rådgivingsgruppen anbefalte godkjenning (møte {MEETING}" in text
        assert "Regionen hadde ingen søknader i den samlede søknaden." in text  # Midt-Norge
        assert "Ola Nordmann\nAvdelingsdirektør" in text  # the latest decision's signatory
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "round_letter")).one()
    assert entry.action == "download"
    assert competence.id  # listed, not decided
