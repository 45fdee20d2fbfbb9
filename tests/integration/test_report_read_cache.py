"""The report's pages keep what costs (the read page's sections, the findings, a part's fields)
under the report's revision (``services.reports.revision``): a saved change shows on the next
view, whoever saved it and however."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from soknad.domain.report_exchange import from_dict
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport
from soknad.services import report_exchange
from tests.factories import client_for, started_report, user

OWNER = "soker.ous@demo.no"


def test_a_change_imported_shows_on_the_next_view(app: Flask) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    client = client_for(app, OWNER)
    path = f"/rapporter/{report.id}/les"
    old = report.answers["status"]
    first = client.get(path).get_data(as_text=True)
    assert old in first
    data = report_exchange.export(report)
    data["answers"]["status"] = "Et helt nytt svar om status i året."
    report_exchange.import_document(from_dict(data), user(OWNER))
    after = client.get(path).get_data(as_text=True)
    assert "Et helt nytt svar om status i året." in after
    assert old not in after


def test_a_save_that_counts_the_version_shows_on_the_next_view(app: Flask) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    client = client_for(app, OWNER)
    path = f"/rapporter/{report.id}/les"
    assert "Ikke fylt ut." not in client.get(path).get_data(as_text=True).split("<h2")[1]
    answers = {**report.answers, "leder": ""}
    db.session.execute(update(AnnualReport).where(AnnualReport.id == report.id)
                       .values(answers=answers, version=AnnualReport.version + 1))
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    first_section = page.split("<h2")[1]
    assert "Ikke fylt ut." in first_section


def test_two_reports_do_not_share_their_sections(app: Flask) -> None:
    competence = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    treatment = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True)
    client = client_for(app, OWNER)
    one = client.get(f"/rapporter/{competence.id}/les").get_data(as_text=True)
    two = client.get(f"/rapporter/{treatment.id}/les").get_data(as_text=True)
    assert "Kurs" in one or "kurs" in one
    assert one.split("<h2", 1)[1] != two.split("<h2", 1)[1]


def test_the_overview_and_the_part_show_a_save_made_through_the_page(app: Flask) -> None:
    """The findings (overview) and the part's fields are kept under the report's revision
    too: a save counts it up, so the next view checks and renders the new answers."""
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    client = client_for(app, OWNER)
    overview, part = f"/rapporter/{report.id}", f"/rapporter/{report.id}/del/r1"

    def status_of_point_1() -> str:
        page = client.get(overview).get_data(as_text=True)
        row = page[page.index("Tjenestens innhold og oppgaver"):]
        return row[:row.index("</tr>")] if "</tr>" in row else row[:400]

    assert "Ingen mangler" in status_of_point_1()
    old = report.answers["status"]
    assert old in client.get(part).get_data(as_text=True)  # the part's fields, now kept
    saved = client.post(part, data={"version": str(report.version), "handling": "lagre",
                                    "status": "", "endringer": "Ingen"})
    assert saved.status_code == 302
    assert "1 må rettes" in status_of_point_1()
    db.session.expire_all()
    version = db.session.get(AnnualReport, report.id).version  # type: ignore[union-attr]
    client.post(part, data={"version": str(version), "handling": "lagre",
                            "status": "Et nytt avsnitt om året.", "endringer": "Ingen"})
    after = client.get(part).get_data(as_text=True)
    assert "Et nytt avsnitt om året." in after
    assert old not in after
    assert "Ingen mangler" in status_of_point_1()
