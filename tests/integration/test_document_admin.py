"""The administrator replaces a Word template, is refused with the reason, and restores it."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad.documents import TemplateKind
from soknad.extensions import db
from soknad.models import AuditEntry
from soknad.services import documents as service
from tests.factories import login


def template_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD = template_with("Vedtak om {{ tjenestenavn }}", "{%p if avslatt %}", "{{ klage }}",
                     "{%p endif %}")


@pytest.fixture
def admin(client: FlaskClient, app: Flask) -> Iterator[FlaskClient]:
    login(client, "admin@demo.no")
    yield client
    with app.app_context():
        for kind in TemplateKind:
            service.restore_default(kind)


def upload(client: FlaskClient, data: bytes, name: str = "vedtak.docx",
           kind: str = "vedtaksbrev") -> Any:
    return client.post(f"/admin/dokumentmaler/{kind}", data={"fil": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_page_lists_every_template(admin: FlaskClient) -> None:
    html = admin.get("/admin/dokumentmaler/").get_data(as_text=True)
    for kind in TemplateKind:
        assert f"<h2 id=\"mal-{kind.value}\">{kind.label}</h2>" in html
        assert f'<label for="fil-{kind.value}">Ny versjon av «{kind.label}»' in html
    assert html.count("I bruk: standardmalen.") == len(TemplateKind)
    assert "<code>punkter[].overskrift</code>" in html
    assert 'href="/admin/dokumentmaler/"' in html  # the menu link


def test_a_good_template_is_taken_into_use_and_audited(admin: FlaskClient) -> None:
    response = upload(admin, GOOD, "Vårt vedtak.docx")
    assert response.status_code == 302
    html = admin.get("/admin/dokumentmaler/").get_data(as_text=True)
    assert "Ny mal for «Vedtaksbrev» er tatt i bruk." in html
    assert "I bruk: opplastet versjon «Vårt vedtak.docx»" in html
    assert "av Admin" in html or "admin@demo.no" in html
    downloaded = admin.get("/admin/dokumentmaler/vedtaksbrev.docx")
    assert downloaded.get_data() == GOOD
    assert "attachment" in downloaded.headers["Content-Disposition"]
    downloaded.close()
    assert service.template_path(TemplateKind.DECISION_LETTER).read_bytes() == GOOD
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "docx_template_replaced"))
    assert entry is not None
    assert entry.data["kind"] == "vedtaksbrev"


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (template_with("Kjære {{ mottaker }}", "{{ tjenestenavn.forkortelse }}"),
         ["Malen bruker variabelen «mottaker», som ikke finnes i dataene for vedtaksbrev."]),
        (b"%PDF-1.4 this is a PDF",
         ["Filen er ikke et gyldig Word-dokument (.docx). Lagre malen som «Word-dokument "
          "(*.docx)» i Word eller LibreOffice og last den opp igjen."]),
    ],
)
def test_a_bad_template_is_refused_and_the_old_one_kept(admin: FlaskClient, content: bytes,
                                                        messages: list[str]) -> None:
    # (not "data": that name is the fixture that loads the demo data)
    assert upload(admin, GOOD).status_code == 302
    response = upload(admin, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary" role="alert" tabindex="-1" id="feiloppsummering" autofocus' in (
        html)
    assert "Malen ble ikke tatt i bruk. Den forrige malen gjelder fortsatt." in html
    for message in messages:
        assert message in html
        assert '<a href="#fil-vedtaksbrev">' in html
    assert 'aria-invalid="true"' in html
    assert service.template_path(TemplateKind.DECISION_LETTER).read_bytes() == GOOD


def test_no_file_chosen_says_so(admin: FlaskClient) -> None:
    response = admin.post("/admin/dokumentmaler/soknad", data={},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Velg en .docx-fil å laste opp." in response.get_data(as_text=True)


# Werkzeug's test client spools a body this large to a temporary file it never closes; collect
# it inside this test (as test_attachments does) so its ResourceWarning stays here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_file_over_the_size_limit_is_refused(admin: FlaskClient) -> None:
    response = upload(admin, b"x" * (service.MAX_TEMPLATE_BYTES + 10))
    assert response.status_code == 422
    assert "Filen er større enn 5 MB." in response.get_data(as_text=True)
    del response
    gc.collect()


def test_restore_goes_back_to_the_bundled_template(admin: FlaskClient) -> None:
    upload(admin, GOOD)
    response = admin.post("/admin/dokumentmaler/vedtaksbrev/standard")
    assert response.status_code == 302
    html = admin.get("/admin/dokumentmaler/").get_data(as_text=True)
    assert "Standardmalen for «Vedtaksbrev» er tatt i bruk igjen." in html
    assert html.count("I bruk: standardmalen.") == len(TemplateKind)
    assert service.template_path("vedtaksbrev") == service.bundled_path("vedtaksbrev")
    assert Path(service.template_path("vedtaksbrev")).read_bytes() != GOOD
