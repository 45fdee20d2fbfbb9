"""Who owes an annual report, starting one, and what a new report is filled with."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, NationalService
from soknad.services import reports
from tests.factories import REPORT_YEAR, owed_report, started_report, user


def test_every_active_service_with_a_host_owes_a_report(app: Flask) -> None:
    owed = reports.owed(REPORT_YEAR)
    names = {item.service.name_nb for item in owed}
    terminated = db.session.scalars(select(NationalService).where(
        NationalService.status == "avviklet")).all()
    assert terminated
    assert not names & {service.name_nb for service in terminated}
    hosted = [item for item in owed if item.host is not None]
    assert len(hosted) >= len(owed) - 3  # the registry's places name a health trust
    ous = [item for item in owed if item.host and item.host.name == "Oslo universitetssykehus HF"]
    assert ous
    assert all(item.region is not None and item.region.value == "helse-sor-ost"
                       for item in ous)


def test_the_list_narrows_to_a_health_trust(app: Flask) -> None:
    owner = user("soker.bergen@demo.no")
    mine = reports.owed(REPORT_YEAR, organisation_id=owner.organisation_id)
    assert mine
    assert {item.host.name for item in mine if item.host} == {"Helse Bergen HF"}


def test_starting_twice_gives_the_same_report(app: Flask) -> None:
    item = owed_report(service_type=ServiceType.NATIONAL_COMPETENCE)
    assert item.host is not None
    first = reports.start(item.service, REPORT_YEAR, item.host, user("soker.ous@demo.no"))
    second = reports.start(item.service, REPORT_YEAR, item.host, user("soker2.ous@demo.no"))
    assert first.id == second.id
    assert first.state is ReportState.DRAFT
    assert first.form_id == "arsrapport_nasjonal_kompetansetjeneste"
    assert db.session.scalar(select(AnnualReport.state).where(
        AnnualReport.id == first.id)) is ReportState.DRAFT


def test_a_table_starts_with_the_approved_applications_goals(app: Flask) -> None:
    spec = reports.spec_for(owed_report(service_type=ServiceType.NATIONAL_COMPETENCE).service)
    approved = {"resultatmal": [
        {"mal": "Kurs i alle regioner", "indikator": "Kurs", "malverdi": "4",
         "frist": "2028-12-31"},
        {"mal": "", "indikator": "", "malverdi": "", "frist": ""},
    ], "spredningsplan": [{"kompetanse": "Diagnostikk", "malgruppe": "Leger",
                           "virkemiddel": "Kurs", "frist": "2027-06-01"}]}
    answers = reports.prefilled(spec, approved)
    assert answers["resultatmal"] == [
        {"mal": "Kurs i alle regioner", "indikator": "Kurs", "malverdi": "4",
         "frist": "2028-12-31", "status": "", "naadd_dato": "", "kommentar": ""}]
    assert answers["spredningstiltak"][0]["kompetanse"] == "Diagnostikk"
    assert answers["spredningstiltak"][0]["status"] == ""


def test_a_report_put_in_a_later_state_has_what_that_state_implies(app: Flask) -> None:
    report = started_report(complete=True, state=ReportState.FORWARDED)
    assert report.approval is not None
    assert report.forwarded_at is not None
    assert report.answers["status"]
