"""«Se over og send inn»: the whole application as it will be sent, and the health trust's
own copy as Word and as PDF (LibreOffice headless, converted outside the request)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad.cli import main
from soknad.extensions import db
from soknad.models import Application, PdfConversion
from soknad.services import applications, pdfs
from soknad.services import attachments as attachment_service
from tests.factories import TREATMENT, login, make_application, user

PDF_EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEEDS_SOFFICE = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def text_of(response: Any) -> str:
    """The page as a reader reads it: tags gone, entities decoded, white space squeezed."""
    page = re.sub(r"<(script|style).*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


def complete_with_file() -> Application:
    application = make_application(complete=True)
    attachment_service.store(application, "p2_dokumentasjon", io.BytesIO(PDF_EVIDENCE),
                             "pasientregister-2025.pdf", user("soker.ous@demo.no"))
    return application


# --------------------------------------------------------------------------- the review page


def test_review_shows_the_whole_application_then_the_send_button(applicant: FlaskClient) -> None:
    application = complete_with_file()
    response = applicant.get(f"/soknader/{application.id}/send-inn")
    text = text_of(response)
    assert response.status_code == 200
    assert "Her er hele søknaden slik den blir sendt til Helse Sør-Øst RHF." in text
    spec = applications.spec_of(application)
    headings = [section.heading for section in spec.sections_for(application.kind_enum)]
    for heading in headings:
        assert heading in text
    for expected in (TREATMENT["beskrivelse"], "Kari Nordmann",  # answers
                     "Ola Lege", "Andel av full stilling (%)",  # a table with its column
                     "Q78.0", "M88",  # ICD-10 codes
                     "Norsk pasientregister 2025",  # a written reference
                     "pasientregister-2025.pdf"):  # an uploaded file
        assert expected in text, expected
    assert "Vedlegg som følger søknaden" in text
    assert text.index(headings[-1]) < text.index("Send inn til Helse Sør-Øst RHF")
    page = response.get_data(as_text=True)
    assert re.search(rf'href="/soknader/{application.id}/vedlegg/\d+">pasientregister-2025.pdf',
                     page)
    assert f'href="/soknader/{application.id}/punkt/p7">Endre' in page


def test_review_links_what_blocks_to_the_point_to_fix(applicant: FlaskClient) -> None:
    application = make_application(complete=True, answers={"fagpersoner": []})
    response = applicant.get(f"/soknader/{application.id}/send-inn")
    text, page = text_of(response), response.get_data(as_text=True)
    assert "Søknaden kan ikke sendes inn ennå" in text
    assert re.search(r'href="#punkt-p7">Punkt 7[^<]*</a>: 1 må rettes', page)
    section = page[page.index('id="punkt-p7"'):page.index('id="punkt-p8"')]
    assert "Må rettes i dette punktet" in section
    assert f'href="/soknader/{application.id}/punkt/p7?sjekk=1#felt-fagpersoner"' in section
    assert "Send inn til" not in text
    assert "Søknaden kan ikke sendes inn før 1 ting er rettet." in text


def test_the_overview_ends_with_the_review_as_the_last_step(applicant: FlaskClient) -> None:
    application = make_application()
    text = text_of(applicant.get(f"/soknader/{application.id}"))
    assert "Siste steg: se over og send inn" in text
    page = applicant.get(f"/soknader/{application.id}").get_data(as_text=True)
    assert f'href="/soknader/{application.id}/send-inn">Se over og send inn' in page


# --------------------------------------------------------------------------- Word


def test_the_draft_downloads_as_word_saying_it_is_not_sent(applicant: FlaskClient) -> None:
    application = complete_with_file()
    response = applicant.get(f"/soknader/{application.id}/utkast.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        f'filename="soknad-{application.id}-utkast-{application.revision}.docx"')
    document = docx.Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(cell.text for table in document.tables for row in table.rows
                     for cell in row.cells)
    assert TREATMENT["navn_nb"] in text
    assert "Ikke sendt inn ennå (utkast, sist lagret" in cells + text
    assert "pasientregister-2025.pdf" in cells


def test_another_health_trust_gets_no_word_nor_pdf(client: FlaskClient) -> None:
    application = make_application(complete=True)
    login(client, "soker.bergen@demo.no")
    assert client.get(f"/soknader/{application.id}/utkast.docx").status_code == 404
    assert client.post(f"/soknader/{application.id}/pdf",
                       data={"kilde": "utkast"}).status_code == 404


# --------------------------------------------------------------------------- PDF


def pdf_text(pdf: bytes, docx_bytes: bytes, folder: Path) -> str:
    """The PDF's text with pdftotext when installed; else the Word document it was made from,
    as LibreOffice reads it (``soffice --convert-to txt``)."""
    if shutil.which("pdftotext"):
        (folder / "a.pdf").write_bytes(pdf)
        return subprocess.run(["pdftotext", str(folder / "a.pdf"), "-"], capture_output=True,
                              check=True, text=True).stdout
    (folder / "a.docx").write_bytes(docx_bytes)
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'p').as_uri()}", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder),
                    str(folder / "a.docx")], capture_output=True, check=True, timeout=120)
    return (folder / "a.txt").read_text(encoding="utf-8-sig")


@NEEDS_SOFFICE
def test_a_pdf_is_queued_made_outside_the_request_and_downloaded(
        applicant: FlaskClient, tmp_path: Path) -> None:
    application = complete_with_file()
    review = f"/soknader/{application.id}/send-inn"
    assert "Lag PDF" in text_of(applicant.get(review))
    response = applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(review)
    assert "PDF-en lages …" in text_of(applicant.get(review))  # nothing converted in a request

    report = pdfs.convert_pending()
    assert len(report.done) == 1, report

    text = text_of(applicant.get(review))
    assert "PDF-en lages" not in text
    assert "Last ned som PDF" in text
    source = f"utkast-{application.revision}"
    download = applicant.get(f"/soknader/{application.id}/pdf/{source}.pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF-")
    download.close()
    word = applicant.get(f"/soknader/{application.id}/utkast.docx").data
    assert TREATMENT["navn_nb"] in pdf_text(download.data, word, tmp_path)

    # Unchanged: asking again converts nothing more.
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    assert pdfs.convert_pending().done == []
    assert db.session.query(PdfConversion).count() == 1


def test_a_draft_changed_before_its_turn_is_not_converted(applicant: FlaskClient) -> None:
    application = make_application(complete=True)
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    applications.count_change(application)
    db.session.commit()
    report = pdfs.convert_pending()
    assert report.done == []
    assert len(report.superseded) == 1
    text = text_of(applicant.get(f"/soknader/{application.id}/send-inn"))
    assert "Lag PDF" in text
    assert "PDF-en lages" not in text


def failing_soffice(tmp_path: Path) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\necho 'general error' >&2\nexit 1\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(("command", "message"), [
    (lambda tmp: str(tmp / "ikke-installert" / "soffice"), pdfs.MISSING),
    (failing_soffice, pdfs.FAILED_TEXT),
], ids=["missing", "failing"])
def test_libreoffice_missing_or_failing_is_said_in_norwegian(
        applicant: FlaskClient, app: Flask, tmp_path: Path, command: Any, message: str) -> None:
    application = make_application(complete=True)
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    previous = app.config["SOFFICE_COMMAND"]
    app.config["SOFFICE_COMMAND"] = command(tmp_path)
    try:
        report = pdfs.convert_pending()
    finally:
        app.config["SOFFICE_COMMAND"] = previous
    assert len(report.failed) == 1
    text = text_of(applicant.get(f"/soknader/{application.id}/send-inn"))
    assert message in text
    assert "Prøv å lage PDF igjen" in text
    # Trying again queues it again.
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    assert "PDF-en lages …" in text_of(applicant.get(f"/soknader/{application.id}/send-inn"))


@NEEDS_SOFFICE
def test_the_submitted_version_as_pdf_through_the_command(applicant: FlaskClient,
                                                          app: Flask) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    application = make_application(complete=True)
    applications.submit(application, user("soker.ous@demo.no"))
    receipt = f"/soknader/{application.id}/innsendt/1"
    text = text_of(applicant.get(receipt))
    assert "Last ned som Word" in text
    assert "Lag PDF" in text
    response = applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "1"})
    assert response.headers["Location"].endswith(receipt)
    result = CliRunner().invoke(main, ["pdf"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "1 PDF laget, 0 feilet." in result.output
    assert "Last ned som PDF" in text_of(applicant.get(receipt))
    download = applicant.get(f"/soknader/{application.id}/pdf/versjon-1.pdf")
    assert download.data.startswith(b"%PDF-")
    download.close()


def test_a_new_revision_replaces_the_draft_pdf_of_the_old_one(
        applicant: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfs, "to_pdf", lambda docx_bytes, stem: b"%PDF-1.4 " + docx_bytes[:4])
    application = make_application(complete=True)
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    pdfs.convert_pending()
    first = db.session.query(PdfConversion).one()
    first_file = pdfs.pdf_path(first)
    assert first_file.is_file()
    applications.count_change(application)
    db.session.commit()
    assert "Lag PDF" in text_of(applicant.get(f"/soknader/{application.id}/send-inn"))
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    pdfs.convert_pending()
    assert [row.source for row in db.session.query(PdfConversion)] == [
        f"utkast-{db.session.get(Application, application.id).revision}"]
    assert not first_file.exists()


def test_a_pdf_nobody_converts_says_to_use_word(applicant: FlaskClient) -> None:
    application = make_application(complete=True)
    applicant.post(f"/soknader/{application.id}/pdf", data={"kilde": "utkast"})
    review = f"/soknader/{application.id}/send-inn"
    assert "er ikke laget ennå" not in text_of(applicant.get(review))
    row = db.session.query(PdfConversion).one()
    row.requested_at -= timedelta(minutes=6)
    db.session.commit()
    text = text_of(applicant.get(review))
    assert "PDF-en ble bestilt for over fem minutter siden og er ikke laget ennå." in text
