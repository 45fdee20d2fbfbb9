"""What the RHF and the health trust read about a submitted application: the review page shows
each point's uploaded files as downloads; a returned application says so at the top."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Flask

from soknad.domain.service_types import ServiceType
from soknad.services import applications, coordination
from soknad.services import attachments as attachment_service
from tests.factories import login, make_application, user

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
