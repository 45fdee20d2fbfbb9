"""The ``soknad`` command: demo, export, import and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from soknad.cli import main
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application, Attachment, User
from tests.factories import VALID_ANSWERS, make_application


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_demo_is_idempotent_and_prints_the_logins(app: Flask) -> None:
    users_before = db.session.query(User).count()
    result = run(app, "demo")
    assert result.exit_code == 0, result.output
    assert ("Opprettet: 0 organisasjoner, 0 nasjonale tjenester, 0 søknadsrunde, 0 brukere."
            in result.output)
    assert "soker.ous@demo.no  (passord: demo-passord-2027)" in result.output
    assert db.session.query(User).count() == users_before == 11


def test_export_then_import_gives_the_same_answers(app: Flask, tmp_path: Path) -> None:
    original = make_application(service_type=ServiceType.MULTIREGIONAL_TREATMENT, complete=True)
    exported = run(app, "export", str(original.id))
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert data["answers"]["partner_hf"] == "Helse Bergen HF"
    path = tmp_path / "soknad.json"
    path.write_text(exported.output, encoding="utf-8")
    imported = run(app, "import", str(path), "--owner", "soker2.ous@demo.no")
    assert imported.exit_code == 0, imported.output
    new_id = int(imported.output.split("Importert som søknad ")[1].split(":")[0])
    copy = db.session.get(Application, new_id)
    assert copy.answers() == original.answers()
    assert copy.created_by.email == "soker2.ous@demo.no"
    assert copy.state == "draft"


def test_export_with_files_restores_attachments_on_import(app: Flask, tmp_path: Path) -> None:
    import io

    from soknad.services import attachments
    from tests.factories import user

    original = make_application()
    attachments.store(original, "p2_dokumentasjon", io.BytesIO(b"%PDF-1.4\n%%EOF"), "Notat.pdf",
                      user("soker.ous@demo.no"))
    path = tmp_path / "med-filer.json"
    path.write_text(run(app, "export", str(original.id), "--files").output, encoding="utf-8")
    result = run(app, "import", str(path), "--owner", "soker.ous@demo.no")
    assert result.exit_code == 0, result.output
    names = [item.display_name for item in db.session.query(Attachment).order_by(Attachment.id)]
    assert names == ["Notat.pdf", "Notat.pdf"]


def test_import_without_files_says_what_was_left_out(app: Flask, tmp_path: Path) -> None:
    import io

    from soknad.services import attachments
    from tests.factories import user

    original = make_application()
    attachments.store(original, "p2_dokumentasjon", io.BytesIO(b"%PDF-1.4\n%%EOF"), "Notat.pdf",
                      user("soker.ous@demo.no"))
    path = tmp_path / "uten-filer.json"
    path.write_text(run(app, "export", str(original.id)).output, encoding="utf-8")
    result = run(app, "import", str(path), "--owner", "soker.ous@demo.no")
    assert "Merk: Vedlegget «Notat.pdf» var ikke med i filen og er ikke importert." in result.output


def test_import_for_an_unknown_owner_fails_clearly(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{}", encoding="utf-8")
    result = run(app, "import", str(path), "--owner", "ukjent@demo.no")
    assert result.exit_code == 1
    assert "Fant ingen bruker med e-postadressen ukjent@demo.no." in result.output


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "soknad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def document(answers: dict[str, object], form: str = "nasjonal_behandlingstjeneste") -> dict:
    return {
        "format": "soknad/nasjonal-tjeneste", "format_version": 1,
        "form": {"id": form, "version": 1}, "kind": "etablering", "round": 2027,
        "organisation": {"name": "Oslo universitetssykehus HF", "region": "helse-sor-ost"},
        "answers": answers, "attachments": [],
    }


def test_check_exits_0_when_nothing_blocks(app: Flask, tmp_path: Path) -> None:
    result = run(app, "check", write(tmp_path, document(
        VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT])))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 må rettes, 0 advarsler.")


def test_check_exits_1_and_lists_what_blocks(app: Flask, tmp_path: Path) -> None:
    answers = {**VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT], "icd10": ["c 40", "XYZ"],
               "pasientvolum": "12"}
    result = run(app, "check", write(tmp_path, document(answers)))
    assert result.exit_code == 1
    assert "[Må rettes] icd10: Punkt 1: «XYZ» finnes ikke i WHO ICD-10." in result.output
    assert "[Advarsel] patient_volume_low: Punkt 2: 12 nye pasienter i året er under 20." in (
        result.output)
    assert "[Advarsel] registry_overlap: Punkt 1: Godkjente nasjonale tjenester dekker noe av " \
           "det samme: Flerregional behandlingstjeneste for kirurgi ved bensarkom (C40)" in (
               result.output)
    assert "1 må rettes, 2 advarsler." in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ikke json", "Filen er ikke gyldig JSON"),
        (json.dumps({"format": "noe annet"}), "Filen følger ikke utvekslingsformatet"),
        (json.dumps(document({}, form="ukjent_skjema")), "Filen følger ikke utvekslingsformatet"),
        (json.dumps(document({"finnes_ikke": "x"})), "Filen har svar som skjemaet ikke har: "
                                                     "finnes_ikke"),
    ],
)
def test_check_exits_2_for_an_unreadable_or_invalid_file(app: Flask, tmp_path: Path,
                                                         content: str, message: str) -> None:
    path = tmp_path / "feil.json"
    path.write_text(content, encoding="utf-8")
    result = run(app, "check", str(path))
    assert result.exit_code == 2
    assert message in result.output


def test_check_exits_2_for_a_missing_file(app: Flask, tmp_path: Path) -> None:
    result = run(app, "check", str(tmp_path / "finnes-ikke.json"))
    assert result.exit_code == 2
    assert "Kan ikke lese" in result.output


def test_setup_and_create_user_prepare_a_production_database(app: Flask) -> None:
    result = run(app, "setup", "--round", "2028")
    assert result.exit_code == 0, result.output
    assert "Organisasjoner opprettet: 0." in result.output
    assert "Søknadsrunden 2028 er opprettet." in result.output
    result = run(app, "create-user", "sjef@helsedir.no", "--name", "Sjef", "--role", "admin",
                 "--organisation", "Helsedirektoratet", "--password", "et-langt-passord")
    assert result.exit_code == 0, result.output
    assert "Opprettet Sjef <sjef@helsedir.no> (Administrator, Helsedirektoratet)." in (
        result.output)
    result = run(app, "create-user", "x@y.no", "--name", "X", "--role", "admin",
                 "--organisation", "Finnes ikke", "--password", "et-langt-passord")
    assert result.exit_code == 1
    assert "Fant ingen organisasjon som heter «Finnes ikke»." in result.output
