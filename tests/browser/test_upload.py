"""Uploading documentation on a point: a real PDF is attached, a disguised program is refused,
and nothing typed on the page is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, log_in
from tests.factories import make_application

pytestmark = pytest.mark.browser

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
       b"%%EOF\n")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def test_upload_a_pdf_and_refuse_a_disguised_program(app, page, tmp_path):
    with app.app_context():
        application_id = make_application().id
    pdf = tmp_path / "Referat æøå.pdf"
    pdf.write_bytes(PDF)
    exe = tmp_path / "Kalkulator.pdf"
    exe.write_bytes(EXE)

    log_in(page, "soker.ous@demo.no")
    page.goto(f"/soknader/{application_id}/punkt/p2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Punkt 2:")
    evidence = page.get_by_role("group", name="Dokumentasjon av pasientvolum og insidens")
    expect(evidence).to_contain_text("Ingen vedlegg ennå.")

    # Something typed, not yet saved, before the upload.
    basis = page.get_by_role("textbox", name="Pasientvolum og insidens: grunnlag og beregning")
    basis.fill("Tall fra Norsk pasientregister 2021–2025.")
    references = evidence.get_by_label("Henvisninger til dokumentasjon (én per linje)")
    references.fill("NPR-rapport 2025")

    upload_status = evidence.get_by_role("status")
    file_input = evidence.get_by_label("Legg ved filer")
    file_input.set_input_files(str(pdf))
    expect(upload_status).to_have_text("Vedlegget «Referat æøå.pdf» er lagt ved.")
    expect(evidence.get_by_role("listitem").filter(has_text="Referat æøå.pdf")).to_be_visible()
    expect(evidence).not_to_contain_text("Ingen vedlegg ennå.")
    assert_accessible(page, "point 2 after an upload")

    file_input.set_input_files(str(exe))
    # Refused, in Norwegian, saying what the file really is.
    expect(upload_status).to_have_text(
        re.compile(r"^«Kalkulator\.pdf» ble ikke lagt ved: .*\bEXE\b.*\bBare PDF\b"))
    expect(upload_status).to_have_class(re.compile(r"\berror-message\b"))
    expect(evidence.get_by_role("listitem")).to_have_count(1)
    assert_accessible(page, "point 2 after a refused upload")

    # Nothing typed is lost, and after «Lagre» the file is listed with its Norwegian name.
    expect(basis).to_have_value("Tall fra Norsk pasientregister 2021–2025.")
    expect(references).to_have_value("NPR-rapport 2025")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Lagret kl.")).to_be_visible()
    expect(basis).to_have_value("Tall fra Norsk pasientregister 2021–2025.")
    expect(references).to_have_value("NPR-rapport 2025")
    link = evidence.get_by_role("link", name="Referat æøå.pdf")
    expect(link).to_be_visible()
    expect(evidence.get_by_role("listitem")).to_have_count(1)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Referat æøå.pdf"
    assert download.value.path().read_bytes() == PDF
    assert_accessible(page, "point 2 with an attachment")
