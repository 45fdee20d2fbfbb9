"""The report's read page keeps its rendered sections (``web.reports.read_sections``) under the
report's version: a saved change shows on the next view, whoever saved it and however."""

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
    assert client.get(path).get_data(as_text=True) == first  # kept, the same page
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
