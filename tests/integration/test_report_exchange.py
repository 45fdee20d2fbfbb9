"""The annual report's exchange format: ``soknad report export|import|check`` and the JSON
download of the report page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from soknad.cli import main
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, AuditEntry
from tests.factories import (
    REPORT_YEAR,
    client_for,
    owed_report,
    report_answers,
    started_report,
)

OWNER = "soker.ous@demo.no"
APPROVAL = {"date": f"{REPORT_YEAR}-11-20", "by": "Dag Nord, leder"}


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def exported(app: Flask, report: AnnualReport, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "rapport.json"
    result = run(app, "report", "export", str(report.id), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert f"Skrev årsrapport {report.id} til {path}." in result.output
    return path, json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def stored(report_id: int) -> AnnualReport:
    db.session.expire_all()
    found = db.session.get(AnnualReport, report_id)
    assert found is not None
    return found


def test_export_names_the_service_year_form_and_version(app: Flask) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                            state=ReportState.SENT)
    result = run(app, "report", "export", str(report.id))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "soknad/arsrapport"
    assert data["format_version"] == 1
    assert data["service"] == {"key": report.service.key, "name": report.service.name_nb}
    assert data["year"] == REPORT_YEAR
    assert data["form"] == {"id": "arsrapport_nasjonal_kompetansetjeneste", "version": 1}
    assert data["version"] == report.version
    assert data["state"] == "sendt_rhf"
    assert data["approval"] == {"date": f"{REPORT_YEAR + 1}-02-20", "by": "Dag Nord, leder"}
    assert data["dates"]["due"] == f"{REPORT_YEAR + 1}-03-15"
    assert data["dates"]["first_sent_at"]
    assert data["answers"] == report.answers
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "export", AuditEntry.object_type == "annual_report"))


def test_export_of_an_unknown_report_says_so(app: Flask) -> None:
    result = run(app, "report", "export", "999999")
    assert result.exit_code != 0
    assert "Fant ingen årsrapport med id 999999." in result.output


def test_import_writes_the_answers_and_counts_the_version(app: Flask, tmp_path: Path) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    path, data = exported(app, report, tmp_path)
    data["answers"]["status"] = "Tjenesten har  hatt et godt år.\u00ad"
    data["approval"] = APPROVAL
    result = run(app, "report", "import", str(write(path, data)), "--user", OWNER)
    assert result.exit_code == 0, result.output
    assert f"Importert i årsrapport {report.id}" in result.output
    assert "Merk: 1 svar endret." in result.output
    after = stored(report.id)
    assert after.version == data["version"] + 1
    assert after.answers["status"] == "Tjenesten har  hatt et godt år."  # cleaned as the web
    assert after.approved_by == "Dag Nord, leder"
    assert after.approved_on.isoformat() == APPROVAL["date"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report_import"))
    assert entry is not None
    assert entry.object_id == report.id


def test_a_report_saved_since_the_export_is_not_overwritten(app: Flask, tmp_path: Path) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    path, data = exported(app, report, tmp_path)
    data["answers"]["status"] = "Min tekst fra filen."
    write(path, data)
    assert run(app, "report", "import", str(path), "--user", OWNER).exit_code == 0
    data["answers"]["status"] = "En annen tekst, fra den samme eksporten."
    again = run(app, "report", "import", str(write(path, data)), "--user", OWNER)
    assert again.exit_code != 0
    assert "Rapporten er lagret av" in again.output
    assert "Ingenting er endret" in again.output
    assert stored(report.id).answers["status"] == "Min tekst fra filen."
    assert json.loads(path.read_text(encoding="utf-8"))["answers"]["status"].startswith("En annen")


@pytest.mark.parametrize(("change", "message"), [
    (lambda data: data["answers"].update(ukjent_felt="x"),
     "Filen har svar som skjemaet arsrapport_nasjonal_kompetansetjeneste.v1 ikke har: "
     "ukjent_felt"),
    (lambda data: data.pop("version"), "(roten): mangler «version»"),
    (lambda data: data.update(year="2026"), "year: skal være et heltall"),
    (lambda data: data.update(format_version=2), "Filen har formatversjon 2"),
    (lambda data: data.update(format="soknad/nasjonal-tjeneste"),
     "Filen er en søknad (soknad/nasjonal-tjeneste), ikke en årsrapport"),
    (lambda data: data.update(approval={"date": "20.11.2026", "by": "Dag"}),
     "approval/date: «20.11.2026» er ikke en dato på formen ÅÅÅÅ-MM-DD"),
    (lambda data: data.update(approval={"date": "2026-02-30", "by": "Dag"}),
     "«2026-02-30» er ikke en gyldig dato"),
    (lambda data: data.update(approval={"date": "2999-01-01", "by": "Dag"}),
     "Godkjenningsdatoen kan ikke være fram i tid."),
    (lambda data: data["answers"].update(status="ord " * 40000),
     "answers/status: er for lang (høyst 100000 tegn)"),
    (lambda data: data["answers"].update(status="ord " * 20000), "fordi noe er for langt"),
    (lambda data: data.update(form={"id": "arsrapport_nasjonal_behandlingstjeneste",
                                    "version": 1}),
     "men rapporten bruker arsrapport_nasjonal_kompetansetjeneste versjon 1"),
    (lambda data: data.update(service={"key": "finnes-ikke", "name": "x"}),
     "Fant ingen nasjonal tjeneste med nøkkelen «finnes-ikke»"),
])
def test_a_bad_file_changes_nothing_and_says_why(app: Flask, tmp_path: Path, change: Any,
                                                message: str) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    before = (dict(report.answers), report.version)
    path, data = exported(app, report, tmp_path)
    data["answers"]["status"] = "Ny tekst"
    change(data)
    result = run(app, "report", "import", str(write(path, data)), "--user", OWNER)
    assert result.exit_code != 0
    assert message in result.output
    after = stored(report.id)
    assert (after.answers, after.version) == before


def test_not_json_is_said_so(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{ikke json", encoding="utf-8")
    result = run(app, "report", "import", str(path), "--user", OWNER)
    assert result.exit_code != 0
    assert "Filen er ikke gyldig JSON" in result.output


@pytest.mark.parametrize(("email", "state", "message"), [
    ("soker.bergen@demo.no", ReportState.DRAFT, "skrives av Oslo universitetssykehus HF, "
     "ikke av Helse Bergen HF"),
    (OWNER, ReportState.SENT, "kan ikke endres nå (status: Sendt til RHF)"),
    ("koordinator.sorost@demo.no", ReportState.SENT, "skrives av Oslo universitetssykehus HF"),
])
def test_only_the_health_trust_may_import_and_only_while_it_may_edit(
        app: Flask, tmp_path: Path, email: str, state: ReportState, message: str) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                            state=state)
    before = dict(report.answers)
    path, data = exported(app, report, tmp_path)
    data["answers"]["status"] = "Ny tekst"
    result = run(app, "report", "import", str(write(path, data)), "--user", email)
    assert result.exit_code != 0
    assert message in result.output
    assert stored(report.id).answers == before


def test_import_starts_a_report_the_health_trust_owes(app: Flask, tmp_path: Path) -> None:
    item = owed_report(OWNER, ServiceType.NATIONAL_COMPETENCE)
    from soknad.services import reports

    spec = reports.spec_for(item.service)
    data = {"format": "soknad/arsrapport", "format_version": 1,
            "service": {"key": item.service.key, "name": item.service.name_nb},
            "year": REPORT_YEAR, "form": {"id": spec.id, "version": spec.version},
            "version": 0, "answers": report_answers(spec), "approval": APPROVAL}
    result = run(app, "report", "import", str(write(tmp_path / "ny.json", data)),
                 "--user", OWNER)
    assert result.exit_code == 0, result.output
    report = db.session.scalar(select(AnnualReport).where(
        AnnualReport.service_id == item.service.id, AnnualReport.year == REPORT_YEAR))
    assert report is not None
    assert report.version == 1
    assert report.answers["status"] == data["answers"]["status"]


def test_check_prints_the_findings_in_norwegian_and_exits_1_on_blocking(
        app: Flask, tmp_path: Path) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True)
    path, data = exported(app, report, tmp_path)
    data["approval"] = APPROVAL
    result = run(app, "report", "check", str(write(path, data)))
    assert result.exit_code == 0, result.output
    assert "0 må rettes" in result.output
    data["answers"]["status"] = ""
    data["answers"]["kurs"] = "mange"
    data["approval"] = None
    result = run(app, "report", "check", str(write(path, data)))
    assert result.exit_code == 1, result.output
    assert "[Må rettes]" in result.output
    assert "[Advarsel] report_approval (Om rapporten): Filen har ingen godkjenning" \
        in result.output
    assert "må rettes" in result.output.splitlines()[-1]


def test_check_of_a_file_that_is_not_the_format_exits_2(app: Flask, tmp_path: Path) -> None:
    result = run(app, "report", "check", str(write(tmp_path / "x.json", {"format": "x"})))
    assert result.exit_code == 2
    assert "Filen følger ikke utvekslingsformatet for årsrapporter" in result.output
    assert "format: skal være \"soknad/arsrapport\"" in result.output
    missing = run(app, "report", "check", str(tmp_path / "finnes-ikke.json"))
    assert missing.exit_code == 2
    assert "Kan ikke lese" in missing.output


def test_the_report_page_offers_the_json_download(app: Flask) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
                            state=ReportState.SENT)
    client = client_for(app, "koordinator.sorost@demo.no")
    page = client.get(f"/rapporter/{report.id}/les").get_data(as_text=True)
    assert f'href="/rapporter/{report.id}/eksport.json"' in page
    assert "Last ned rapporten som JSON" in page
    response = client.get(f"/rapporter/{report.id}/eksport.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="arsrapport-{REPORT_YEAR}-{report.id}-versjon-'
        f'{report.version}.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["service"]["key"] == report.service.key
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "export", AuditEntry.object_type == "annual_report"))
    assert entry is not None
    assert entry.object_id == report.id
