"""Helsedirektoratet's assessment of the annual reports: the list per region, assessing (with
its history), a proposal on the service's history, supplementary reporting with e-mail, and
the 1 June letter to each RHF."""

from __future__ import annotations

import html as html_lib
import io
import re

import docx
import pytest
from flask import Flask
from sqlalchemy import select

from soknad.domain.lifecycle import EventKind
from soknad.domain.organisations import Region
from soknad.domain.reports import AssessmentOutcome, ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, AuditEntry, OutboxMessage
from soknad.services import lifecycle
from soknad.services import report_assessment as service
from tests.factories import REPORT_YEAR, client_for, page, started_report, user

HDIR = "hdir@demo.no"


def forwarded(service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
              state: ReportState = ReportState.FORWARDED) -> AnnualReport:
    return started_report(service_type=service_type, complete=True, state=state)


def letter_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


# --------------------------------------------------------------------------- the service


@pytest.mark.parametrize(("outcome", "points", "event"), [
    (AssessmentOutcome.FINE, "", None),
    (AssessmentOutcome.FOLLOW_UP, "Rapporter pasientvolum per region.", None),
    (AssessmentOutcome.PROPOSE_CHANGE, "Avgrens tjenesten til barn.", EventKind.PROPOSED_CHANGE),
    (AssessmentOutcome.PROPOSE_TERMINATION, "Tjenesten finnes i alle regioner.",
     EventKind.PROPOSED_TERMINATION),
])
def test_each_outcome_is_recorded_and_proposals_go_on_the_services_history(
        app: Flask, outcome: AssessmentOutcome, points: str, event: EventKind | None) -> None:
    report = forwarded()
    row = service.assess(report, outcome.value, points, user(HDIR))
    assert (row.outcome, row.points) == (outcome, points)
    assert db.session.get(AnnualReport, report.id).state is ReportState.ASSESSED
    events = [item for item in lifecycle.history(report.service)
              if item.kind in {EventKind.PROPOSED_CHANGE, EventKind.PROPOSED_TERMINATION}]
    if event is None:
        assert events == []
    else:
        assert [item.kind for item in events] == [event]
        assert points in events[0].summary
        assert f"årsrapport {REPORT_YEAR}" in events[0].summary
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.object_type == "annual_report", AuditEntry.object_id == report.id)) == \
        "report_assessed"


@pytest.mark.parametrize(("outcome", "message"), [
    ("", "Velg Helsedirektoratets vurdering av årsrapporten."),
    ("noe_annet", "Velg Helsedirektoratets vurdering av årsrapporten."),
    ("oppfolging", "Skriv punktene tjenesten skal følge opp."),
    ("forslag_endring", "Skriv hva Helsedirektoratet foreslår å endre, og hvorfor."),
    ("forslag_avvikling", "Skriv hvorfor Helsedirektoratet foreslår å avvikle tjenesten."),
])
def test_points_are_required_where_the_outcome_needs_them(app: Flask, outcome: str,
                                                          message: str) -> None:
    report = forwarded()
    with pytest.raises(service.AssessmentRefused) as refused:
        service.assess(report, outcome, "   ", user(HDIR))
    assert message in refused.value.problems.values()
    assert service.history(report) == []


def test_a_corrected_assessment_keeps_the_history(app: Flask) -> None:
    report = forwarded()
    service.assess(report, "oppfolging", "Første punkt.", user(HDIR))
    service.assess(report, "i_orden", "", user(HDIR))
    history = service.history(report)
    assert [row.outcome for row in history] == [AssessmentOutcome.FOLLOW_UP,
                                                AssessmentOutcome.FINE]
    assert service.latest(report).outcome is AssessmentOutcome.FINE


def test_a_report_with_a_supplement_asked_for_cannot_be_assessed(app: Flask) -> None:
    report = forwarded(state=ReportState.SUPPLEMENT_REQUESTED)
    with pytest.raises(service.AssessmentRefused, match="Bare en rapport Helsedirektoratet"):
        service.assess(report, "i_orden", "", user(HDIR))


def test_a_supplement_is_asked_for_by_e_mail_naming_1_september(app: Flask) -> None:
    report = forwarded()
    service.request_supplement(report, "Rapporter resultatmålene for 2026.", user(HDIR))
    found = db.session.get(AnnualReport, report.id)
    assert found.state is ReportState.SUPPLEMENT_REQUESTED
    assert found.supplement_request == "Rapporter resultatmålene for 2026."
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("Tilleggsrapportering etterspurt%"))).all()
    recipients = {message.recipient for message in mails}
    assert "soker.ous@demo.no" in recipients
    assert "koordinator.sorost@demo.no" in recipients
    assert "soker.bergen@demo.no" not in recipients
    assert "koordinator.vest@demo.no" not in recipients
    assert all("1. september 2027" in message.body for message in mails)
    assert all("Rapporter resultatmålene for 2026." in message.body for message in mails)
    # The health trust is sent to where it writes the supplement, the RHF to the report.
    links = {message.recipient: message.body for message in mails}
    assert f"/rapporter/{report.id}\n" in links["soker.ous@demo.no"]
    assert f"/rapporter/{report.id}/les" in links["koordinator.sorost@demo.no"]
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "report_supplement_requested",
        AuditEntry.object_id == report.id)) is not None


def test_a_supplement_needs_a_text(app: Flask) -> None:
    report = forwarded()
    with pytest.raises(service.AssessmentRefused) as refused:
        service.request_supplement(report, "  ", user(HDIR))
    assert refused.value.problems == {
        "tillegg": "Skriv hva de regionale helseforetakene skal rapportere i tillegg."}
    assert db.session.get(AnnualReport, report.id).state is ReportState.FORWARDED


def test_the_reports_are_grouped_by_region_with_their_latest_assessment(app: Flask) -> None:
    report = forwarded()
    draft = started_report(service_type=ServiceType.NATIONAL_COMPETENCE)
    service.assess(report, "oppfolging", "Punkt.", user(HDIR))
    groups = {group.region: group for group in service.for_assessment(REPORT_YEAR)}
    assert list(groups) == list(Region)
    south_east = groups[Region.SOR_OST]
    assert [(item.report.id, item.latest.outcome if item.latest else None)
            for item in south_east.reports] == [(report.id, AssessmentOutcome.FOLLOW_UP)]
    assert draft.service_id in {item.service.id for item in south_east.missing}
    assert groups[Region.VEST].reports == []


# --------------------------------------------------------------------------- the pages


def test_the_index_lists_the_region_and_who_has_not_reported(app: Flask) -> None:
    report = forwarded()
    text = page(client_for(app, HDIR).get(f"/hdir/arsrapporter/?ar={REPORT_YEAR}"))
    assert report.service.name_nb in text
    assert "Sendt til Helsedirektoratet" in text
    assert "Har ikke rapportert til Helsedirektoratet" in text
    assert "Ikke vurdert" in text


def test_a_year_that_is_not_one_is_said_so(app: Flask) -> None:
    response = client_for(app, HDIR).get("/hdir/arsrapporter/?ar=tjue")
    assert response.status_code == 404
    assert "«tjue» er ikke et årstall." in page(response)


def test_assessing_on_the_page_keeps_the_text_on_error(app: Flask) -> None:
    report = forwarded()
    client = client_for(app, HDIR)
    response = client.post(f"/hdir/arsrapporter/{report.id}/vurdering",
                           data={"vurdering": "", "punkter": "Min tekst om tjenesten"})
    assert response.status_code == 422
    text = page(response)
    assert "Velg Helsedirektoratets vurdering av årsrapporten." in text
    assert "Min tekst om tjenesten" in text
    response = client.post(f"/hdir/arsrapporter/{report.id}/vurdering",
                           data={"vurdering": "forslag_avvikling", "punkter": "Begrunnelse A"})
    assert response.status_code == 302
    text = page(client.get(f"/hdir/arsrapporter/{report.id}"))
    assert "Forslag om avvikling av tjenesten" in text
    assert "Begrunnelse A" in text
    registry = page(client.get(f"/tjenester/{report.service_id}"))
    assert "Forslag om avvikling (årsrapport)" in registry


def test_the_supplement_form_keeps_the_text_on_error_and_is_gone_after(app: Flask) -> None:
    report = forwarded()
    client = client_for(app, HDIR)
    response = client.post(f"/hdir/arsrapporter/{report.id}/tillegg", data={"tillegg": " "})
    assert response.status_code == 422
    assert "Skriv hva de regionale helseforetakene skal rapportere i tillegg." in page(response)
    response = client.post(f"/hdir/arsrapporter/{report.id}/tillegg",
                           data={"tillegg": "Mer om <pasientvolum>"})
    assert response.status_code == 302
    text = page(client.get(f"/hdir/arsrapporter/{report.id}"))
    assert "Tilleggsrapportering er etterspurt" in text
    assert "Mer om &lt;pasientvolum&gt;" in text
    assert "Registrer vurderingen" not in text


def test_the_letter_names_each_service_its_outcome_and_the_supplements(app: Flask) -> None:
    assessed = forwarded()
    service.assess(assessed, "forslag_endring", "Avgrens tjenesten til barn.", user(HDIR))
    asked = forwarded(ServiceType.MULTIREGIONAL_TREATMENT)
    service.request_supplement(asked, "Rapporter aktiviteten per region.", user(HDIR))
    response = client_for(app, HDIR).get(f"/hdir/arsrapporter/{REPORT_YEAR}/helse-sor-ost.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        f"vurdering-arsrapporter-{REPORT_YEAR}-helse-sor-ost.docx")
    text = letter_text(response.data)
    assert "Til: Helse Sør-Øst RHF" in text
    assert f"Vurdering av årsrapportene for {REPORT_YEAR} – Helse Sør-Øst" in text
    assert assessed.service.name_nb in text
    assert "Forslag om endring av tjenesten: Avgrens tjenesten til barn." in text
    assert "Tilleggsrapportering innen 1. september 2027" in text
    assert f"{asked.service.name_nb} (Oslo universitetssykehus HF): Rapporter aktiviteten " \
           "per region." in text
    assert "Ikke vurdert ennå" in text
    assert db.session.scalar(select(AuditEntry.object_type).where(
        AuditEntry.object_type == "report_letter")) == "report_letter"


def test_a_letter_for_an_unknown_region_is_not_found(app: Flask) -> None:
    response = client_for(app, HDIR).get(f"/hdir/arsrapporter/{REPORT_YEAR}/helse-ost.docx")
    assert response.status_code == 404


# --------------------------------------------------------------------------- the health trust


@pytest.mark.parametrize(("outcome", "kind", "link"), [
    (AssessmentOutcome.PROPOSE_TERMINATION, "avvikling", "Start en søknad om avvikling av"),
    (AssessmentOutcome.PROPOSE_CHANGE, "endring_innhold",
     "Start en søknad om endring av innholdet i"),
])
def test_the_health_trust_reads_a_proposal_and_can_start_the_application_it_leads_to(
        app: Flask, outcome: AssessmentOutcome, kind: str, link: str) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                            state=ReportState.FORWARDED)
    service.assess(report, outcome.value, "Pasientgrunnlaget er for lite.", user(HDIR))
    name, key = report.service.name_nb, report.service.key
    client = client_for(app, "soker.ous@demo.no")
    html = page(client.get(f"/rapporter/{report.id}"))
    assert "Helsedirektoratets vurdering" in html
    assert outcome.label in html
    assert "Pasientgrunnlaget er for lite." in html
    assert f"{link} {name}" in html
    href = re.search(r'<a href="([^"]+)">' + re.escape(link), html)
    assert href is not None
    new = page(client.get(html_lib.unescape(href.group(1))))
    assert re.search(rf'value="{kind}" checked', new)
    assert f'<option value="{key}" selected>' in new
    assert 'value="nasjonal_behandlingstjeneste" checked' in new


def test_a_report_that_is_fine_offers_no_application(app: Flask) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                            state=ReportState.FORWARDED)
    service.assess(report, AssessmentOutcome.FINE.value, "", user(HDIR))
    html = page(client_for(app, "soker.ous@demo.no").get(f"/rapporter/{report.id}"))
    assert "Oppfyller kravene" in html
    assert "Start en søknad" not in html
