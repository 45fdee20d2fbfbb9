"""What the RHF and the health trust read about a submitted application: the review page shows
each point's uploaded files as downloads; a returned application says so at the top."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import docx
from flask import Flask
from sqlalchemy import select

from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.models.outbox import OutboxMessage
from soknad.services import applications, coordination
from soknad.services import attachments as attachment_service
from tests.factories import login, make_application, sent_and_postponed, user
from tests.unit.documents.helpers import texts

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def point_html(html: str, section_id: str) -> str:
    """The review page's part for one point (from its heading to the next point's)."""
    start = html.index(f'id="del-{section_id}"')
    end = html.find('class="show-section"', start)
    return html[start:end if end > 0 else None]


def test_a_file_as_the_only_evidence_is_a_link_the_reviewer_can_download(
        app: Flask, upload_dir: Path) -> None:
    owner = user("soker.ous@demo.no")
    application = make_application(owner.email, ServiceType.NATIONAL_TREATMENT, complete=True,
                                   answers={"p2_dokumentasjon": []})
    attachment_service.store(application, "p2_dokumentasjon", io.BytesIO(PDF),
                             "Pasientvolum 2025.pdf", owner)
    applications.submit(application, owner)

    reviewer = app.test_client()
    login(reviewer, "koordinator.sorost@demo.no")
    html = reviewer.get(f"/rhf/soknader/{application.id}").get_data(as_text=True)
    point = point_html(html, "p2")
    link = re.search(r'<a href="([^"]+)">Pasientvolum 2025\.pdf</a>', point)
    assert link, text_of(point)
    assert "Ingen dokumentasjon" not in text_of(point)

    with reviewer.get(link.group(1)) as download:
        assert download.status_code == 200
        assert download.data == PDF
    assert "Pasientvolum 2025.pdf" in download.headers["Content-Disposition"] or (
        "Pasientvolum%202025.pdf" in download.headers["Content-Disposition"])


def test_a_returned_application_says_so_at_the_top_with_reason_who_and_when(
        app: Flask) -> None:
    owner = user("soker.ous@demo.no")
    application = make_application(owner.email, complete=True)
    applications.submit(application, owner)
    coordination.return_for_revision(application, "Fagmiljøet er for tynt beskrevet.",
                                     user("koordinator.sorost@demo.no"))

    applicant = app.test_client()
    login(applicant, owner.email)
    html = applicant.get(f"/soknader/{application.id}").get_data(as_text=True)
    top = text_of(html[html.index("<h1"):html.index("Punktene (")])
    assert "Søknaden er sendt tilbake til dere for endring" in top
    assert "Begrunnelse: «Fagmiljøet er for tynt beskrevet.»" in top
    assert re.search(r"Anne Berg i Helse Sør-Øst RHF sendte søknaden tilbake "
                     r"\d{1,2}\. [a-zæø]+ \d{4} kl\. \d\d:\d\d", top), top


# --------------------------------------------------------------------------- a whole round

#: What must never reach a user's eyes: developer words, and ISO dates in prose.
FORBIDDEN = [
    ("a seed number", re.compile(r"\bseed \d", re.IGNORECASE)),
    ("a rule id", re.compile(r"Regel: [a-z_]+")),
    ("a form id", re.compile(r"\b(nasjonal|flerregional)_(behandlings|kompetanse)tjeneste\b")),
    ("a seed-numbered guide", re.compile(r"[Vv]eilederen \(00\d\)")),
    ("a sender as e-mail address", re.compile(r"\bav [\w.]+@demo\.no")),
    ("an ISO date", re.compile(r"\b20\d\d-\d\d-\d\d\b")),
    ("a snake_case id", re.compile(r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")),
]


def visible_text(html: str) -> str:
    """What a reader sees: scripts, styles and tags (with their attributes) dropped."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return " ".join(texts(document))


def offences(where: str, text: str) -> list[str]:
    return [f"{where}: {name}: «{text[max(0, m.start() - 40):m.end() + 40]}»"
            for name, pattern in FORBIDDEN for m in pattern.finditer(text)]


def test_a_whole_round_shows_no_developer_words_or_iso_dates(app: Flask,
                                                             upload_dir: Path) -> None:
    owner = user("soker.ous@demo.no")
    application_id, decision_id, _ = sent_and_postponed(owner)
    draft = make_application(owner.email, answers={"volum_antall": "12"})
    attachment_service.store(draft, "p2_dokumentasjon", io.BytesIO(PDF), "Register.pdf", owner)
    year = db.session.get(Application, application_id).round.year

    pages = {
        "soker.ous@demo.no": [
            "/", "/soknader/", f"/soknader/{application_id}",
            f"/soknader/{application_id}/innsendt/1",
            f"/soknader/{draft.id}", f"/soknader/{draft.id}/kontroll",
            f"/soknader/{draft.id}/punkt/p1", f"/soknader/{draft.id}/punkt/p2",
            f"/soknader/{draft.id}/send-inn", "/tjenester/"],
        "koordinator.sorost@demo.no": [
            "/", "/rhf", f"/rhf/soknader/{application_id}", "/rhf/prioritering",
            "/rhf/nasjonal-liste"],
        "hdir@demo.no": [
            "/", "/hdir", f"/hdir/soknader/{application_id}", f"/hdir/runder/{year}"],
    }
    documents = {
        "soker.ous@demo.no": [f"/soknader/{application_id}/innsendt/1.docx",
                              f"/soknader/{application_id}/vedtak/{decision_id}.docx",
                              f"/soknader/{draft.id}/utkast.docx"],
    }
    found: list[str] = []
    for email, urls in pages.items():
        client = app.test_client()
        login(client, email)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, url
            found += offences(f"{email} {url}", visible_text(response.get_data(as_text=True)))
        for url in documents.get(email, []):
            response = client.get(url)
            assert response.status_code == 200, url
            found += offences(f"{email} {url}", docx_text(response.data))
    for message in db.session.scalars(select(OutboxMessage)):
        found += offences(f"e-mail «{message.subject}»", f"{message.subject} {message.body}")
    assert not found, "\n".join(found)


def test_icd10_titles_are_marked_as_whos_english_titles_on_pages_and_in_word(app: Flask) -> None:
    owner = user("soker.ous@demo.no")
    application = make_application(owner.email, complete=True)
    applications.submit(application, owner)
    reviewer = app.test_client()
    login(reviewer, "koordinator.sorost@demo.no")
    html = reviewer.get(f"/rhf/soknader/{application.id}").get_data(as_text=True)
    assert re.search(r'<strong>Q78\.0</strong> <span lang="en">Osteogenesis imperfecta</span>',
                     html)
    assert "Titlene på kodene er WHOs engelske titler (ICD-10)" in visible_text(html)

    applicant = app.test_client()
    login(applicant, owner.email)
    word = docx_text(applicant.get(f"/soknader/{application.id}/innsendt/1.docx").data)
    assert "Q78.0 Osteogenesis imperfecta" in word
    assert "Titlene på kodene er WHOs engelske titler (ICD-10)" in word


def test_the_word_document_names_the_sender_not_the_address(app: Flask) -> None:
    owner = user("soker.ous@demo.no")
    application = make_application(owner.email, complete=True)
    applications.submit(application, owner)
    client = app.test_client()
    login(client, owner.email)
    data = client.get(f"/soknader/{application.id}/innsendt/1.docx").data
    facts = {row.cells[0].text: row.cells[1].text
             for row in docx.Document(io.BytesIO(data)).tables[0].rows}
    assert facts["Sendt inn"].endswith(f"av {owner.name} (innsending 1)"), facts["Sendt inn"]
    assert "@" not in facts["Sendt inn"]
