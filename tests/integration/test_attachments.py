"""Attachments: accepted by content, stored under their SHA-256, shown by their Norwegian name."""

from __future__ import annotations

import gc
import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad.extensions import db
from soknad.models import Attachment
from soknad.services import applications
from soknad.services import attachments as attachment_service
from tests.factories import login, make_application, page, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


def post_point(client: FlaskClient, application_id: int, section: str, files: dict[str, Any],
               **fields: str) -> Any:
    data: dict[str, Any] = {"version": "1", **fields}
    for name, (content, filename) in files.items():
        data[name] = (io.BytesIO(content), filename)
    return client.post(f"/soknader/{application_id}/punkt/{section}", data=data,
                       content_type="multipart/form-data")


def test_a_pdf_is_stored_under_its_sha256_with_the_norwegian_name(
        applicant: FlaskClient, upload_dir: Path) -> None:
    application = make_application()
    response = post_point(applicant, application.id, "p2",
                          {"p2_dokumentasjon__filer": (PDF, "Referat fra møtet æøå.pdf")},
                          volum_beskrivelse="Tekst skrevet samtidig")
    html = page(applicant.get(response.headers["Location"]))
    assert "Vedlegget «Referat fra møtet æøå.pdf» er lagt ved." in html
    attachment = db.session.query(Attachment).one()
    digest = hashlib.sha256(PDF).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.display_name == "Referat fra møtet æøå.pdf"
    stored = upload_dir / digest[:2] / digest
    assert stored.read_bytes() == PDF
    assert ">Referat fra møtet æøå.pdf</a>" in html
    assert applications.section_row(application, "p2").data["volum_beskrivelse"] == (
        "Tekst skrevet samtidig")
    # The evidence requirement of point 2 is now met.
    assert "Dokumentasjon mangler" not in html


def test_a_renamed_exe_is_refused_and_the_text_is_still_saved(applicant: FlaskClient,
                                                              upload_dir: Path) -> None:
    application = make_application()
    response = post_point(applicant, application.id, "p2",
                          {"p2_dokumentasjon__filer": (EXE, "rapport.pdf")},
                          volum_beskrivelse="Viktig tekst")
    html = page(applicant.get(response.headers["Location"]))
    assert "Vedlegget «rapport.pdf» ble ikke lagret: Filen er en EXE-fil." in html
    assert "Bare PDF, Word (.docx), Excel (.xlsx)" in html
    assert db.session.query(Attachment).count() == 0
    assert applications.section_row(application, "p2").data["volum_beskrivelse"] == (
        "Viktig tekst")
    assert not any(path.is_file() for path in upload_dir.rglob("*"))


def test_a_png_named_pdf_is_refused_for_its_name(applicant: FlaskClient) -> None:
    application = make_application()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    response = post_point(applicant, application.id, "p2",
                          {"p2_dokumentasjon__filer": (png, "bilde.pdf")})
    html = page(applicant.get(response.headers["Location"]))
    assert "Filnavnet slutter på .pdf, men innholdet er PNG-bilde." in html


# Werkzeug's test client spools a body this large to a temporary file it never closes; collect
# it inside this test so that its ResourceWarning does not surface in a later one.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_60_mb_file_is_refused_with_a_message_and_nothing_typed_is_lost(
        applicant: FlaskClient, upload_dir: Path) -> None:
    application = make_application()
    big = PDF + b"0" * (60 * 1024 * 1024)
    response = post_point(applicant, application.id, "p2",
                          {"p2_dokumentasjon__filer": (big, "stor.pdf")},
                          volum_beskrivelse="Skrevet før opplastingen")
    html = page(applicant.get(response.headers["Location"]))
    assert "Vedlegget «stor.pdf» ble ikke lagret: Filen er større enn 25 MB" in html
    assert "Det du har skrevet, er ikke borte." in html
    assert applications.section_row(application, "p2").data["volum_beskrivelse"] == (
        "Skrevet før opplastingen")
    assert not any(path.is_file() for path in upload_dir.rglob("*"))
    del response
    gc.collect()


def test_a_request_over_the_hard_limit_gets_a_norwegian_page(app: Flask,
                                                             applicant: FlaskClient) -> None:
    application = make_application()
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = post_point(applicant, application.id, "p2",
                              {"p2_dokumentasjon__filer": (PDF * 100, "x.pdf")})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_MB"] * 1024 * 1024
    assert response.status_code == 413
    html = page(response)
    assert "Filen eller skjemaet er for stort" in html
    assert "teksten du skrev, står der fortsatt" in html


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../x.pdf", "x.pdf"),
        ("C:\\Users\\kari\\Søknad.pdf", "Søknad.pdf"),
        ("linje\r\nskift.pdf", "linje skift.pdf"),
        ('an"førsel\t.pdf', 'an"førsel.pdf'),
        ("faktura\u202efdp.pdf", "fakturafdp.pdf"),
        ("uten-endelse", "uten-endelse.pdf"),
        ("..", "vedlegg.pdf"),
    ],
)
def test_file_names_are_cleaned_for_display_and_download(applicant: FlaskClient, filename: str,
                                                         shown: str) -> None:
    # Browsers encode line breaks in file names themselves, so the name is given to the service
    # here, as a JSON import would give it.
    application = make_application()
    attachment = attachment_service.store(application, "p2_dokumentasjon", io.BytesIO(PDF),
                                          filename, user("soker.ous@demo.no"))
    assert attachment.display_name == shown
    with applicant.get(f"/soknader/{application.id}/vedlegg/{attachment.id}") as download:
        assert download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_download_keeps_the_norwegian_name(applicant: FlaskClient) -> None:
    application = make_application()
    post_point(applicant, application.id, "p2", {"p2_dokumentasjon__filer": (PDF, "Søknad.pdf")})
    attachment = db.session.query(Attachment).one()
    with applicant.get(f"/soknader/{application.id}/vedlegg/{attachment.id}") as response:
        assert response.data == PDF
    assert "filename*=UTF-8''S%C3%B8knad.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"


def test_removing_an_attachment_keeps_it_for_submitted_versions(applicant: FlaskClient) -> None:
    application = make_application()
    post_point(applicant, application.id, "p2", {"p2_dokumentasjon__filer": (PDF, "a.pdf")})
    attachment = db.session.query(Attachment).one()
    version = int(re.search(r'name="version" value="(\d+)"', page(
        applicant.get(f"/soknader/{application.id}/punkt/p2"))).group(1))
    response = applicant.post(f"/soknader/{application.id}/punkt/p2", data={
        "version": str(version), "fjern_vedlegg": str(attachment.id)}, follow_redirects=True)
    assert "Vedlegget er fjernet fra søknaden." in page(response)
    assert "Ingen vedlegg ennå." in page(response)
    db.session.expire_all()
    assert db.session.get(Attachment, attachment.id).removed_at is not None


def test_the_script_upload_answers_in_json(applicant: FlaskClient) -> None:
    application = make_application()
    response = applicant.post(
        f"/soknader/{application.id}/punkt/p2/vedlegg",
        data={"field": "p2_dokumentasjon", "fil": (io.BytesIO(PDF), "Notat.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.json["message"] == "Vedlegget «Notat.pdf» er lagt ved."
    refused = applicant.post(
        f"/soknader/{application.id}/punkt/p2/vedlegg",
        data={"field": "p2_dokumentasjon", "fil": (io.BytesIO(EXE), "x.pdf")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert refused.json["message"].startswith("«x.pdf» ble ikke lagt ved: Filen er en EXE-fil.")


def test_an_upload_to_a_field_without_files_is_refused(applicant: FlaskClient) -> None:
    application = make_application()
    response = applicant.post(
        f"/soknader/{application.id}/punkt/p3/vedlegg",
        data={"field": "sentralisering", "fil": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "tar ikke imot vedlegg" in response.json["message"]


def test_new_method_needs_the_beslutningsforum_decision(applicant: FlaskClient) -> None:
    application = make_application(answers={"ny_metode": "ja"})
    html = page(applicant.get(f"/soknader/{application.id}/punkt/p1"))
    assert "Legg ved «Beslutning fra Beslutningsforum for nye metoder»." in html
    version = int(re.search(r'name="version" value="(\d+)"', html).group(1))
    response = post_point(applicant, application.id, "p1",
                          {"beslutningsforum__filer": (PDF, "Beslutning.pdf")},
                          ny_metode="ja", version=str(version))
    html = page(applicant.get(response.headers["Location"]))
    assert "Legg ved «Beslutning fra Beslutningsforum" not in html
    assert ">Beslutning.pdf</a>" in html
