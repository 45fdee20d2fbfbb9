"""The ``soknad`` command: demo, export, import and check."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import inspect, make_url

from soknad import create_app
from soknad.cli import main
from soknad.domain.formspec import FormLibrary
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application, Attachment, User
from tests.conftest import TEST_CONFIG
from tests.database import scratch_postgresql_database
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


# VALID_ANSWERS are answers to the newest form of each service type.
NEWEST = {spec.id: spec.version
          for spec in FormLibrary.load(Path(__file__).resolve().parents[2] / "forms")}


def document(answers: dict[str, object], form: str = "nasjonal_behandlingstjeneste") -> dict:
    return {
        "format": "soknad/nasjonal-tjeneste", "format_version": 1,
        "form": {"id": form, "version": NEWEST.get(form, 1)}, "kind": "etablering", "round": 2027,
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
           "det samme: Flerregional behandlingstjeneste for kirurgi ved bensarkom (felles " \
           "ICD-10-koder: C40)" in (
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


# --------------------------------------------------------------------------- check: the region

PARTNER = "Helse Bergen HF"  # Helse Vest, in the multi-regional answers


def multiregional(organisation: str, region: str) -> dict:
    data = document(VALID_ANSWERS[ServiceType.MULTIREGIONAL_TREATMENT],
                    form="flerregional_behandlingstjeneste")
    data["organisation"] = {"name": organisation, "region": region}
    return data


def printed_rules(output: str) -> list[str]:
    """The rule of each finding line ("[Må rettes] two_regions: …" → "two_regions")."""
    return [line.split("] ", 1)[1].split(":", 1)[0]
            for line in output.splitlines() if line.startswith("[")]


def mismatch(organisation: str, stated: str, listed: str) -> str:
    return (f"Filen oppgir regionen {stated} for {organisation}, men organisasjonslisten sier "
            f"{listed}. Sjekken bruker {listed}.")


@pytest.fixture(params=["database", "no database"])
def checker(request: pytest.FixtureRequest, app: Flask,
            tmp_path: Path) -> Callable[..., Result]:
    """Runs ``soknad check`` with the test database, or with DATABASE_URL naming a SQLite
    file that does not exist."""
    if request.param == "database":
        return lambda *args: run(app, *args)
    missing = tmp_path / "finnes-ikke.sqlite"
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": f"sqlite:///{missing}"})

    def check(*args: str) -> Result:
        result = outside_app_context(other, *args)
        assert not missing.exists()
        return result

    return check


def outside_app_context(app: Flask, *args: str) -> Result:
    """Run the command as the shell does: in an app context of its own (the tests hold one)."""
    return contextvars.Context().run(run, app, *args)


class Case(NamedTuple):
    organisation: str  # in the file
    region: str  # in the file
    rules: list[str]  # the findings printed
    message: str | None  # printed as well
    exit_code: int


REGION_CASES = [
    # as the list says: nothing to say about the region
    Case("Oslo universitetssykehus HF", "helse-sor-ost", [], None, 0),
    Case("Helse Stavanger HF", "helse-vest", ["two_regions"], None, 1),
    # the file says Helse Vest for a trust in Helse Sør-Øst: the partner in Helse Vest is in
    # another region, so the partner check passes
    Case("Oslo universitetssykehus HF", "helse-vest", ["applicant_region"],
         mismatch("Oslo universitetssykehus HF", "Helse Vest", "Helse Sør-Øst"), 0),
    # the file says Helse Sør-Øst for a trust in Helse Vest: same region as the partner
    Case("Helse Stavanger HF", "helse-sor-ost", ["applicant_region", "two_regions"],
         mismatch("Helse Stavanger HF", "Helse Sør-Øst", "Helse Vest"), 1),
    # an organisation the list does not have as a health trust blocks; no region is guessed
    # from the file
    Case("Sykehuset Ukjent HF", "helse-sor-ost", ["applicant_organisation"],
         "«Sykehuset Ukjent HF» står ikke i organisasjonslisten", 1),
    Case("Helse Vest RHF", "helse-vest", ["applicant_organisation"],
         "«Helse Vest RHF» står ikke i organisasjonslisten", 1),
]


@pytest.mark.parametrize("case", REGION_CASES,
                         ids=lambda case: f"{case.organisation} in {case.region}")
def test_check_takes_the_region_from_the_organisation_list(
        checker: Callable[..., Result], tmp_path: Path, case: Case) -> None:
    result = checker("check", write(tmp_path, multiregional(case.organisation, case.region)))
    assert result.exit_code == case.exit_code, result.output
    assert printed_rules(result.output) == case.rules
    if case.message:
        assert case.message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_of_a_trust_stated_in_the_wrong_region_says_which_region_it_used(
        checker: Callable[..., Result], tmp_path: Path) -> None:
    data = document(VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT])
    data["organisation"] = {"name": "Helse Bergen HF", "region": "helse-sor-ost"}
    result = checker("check", write(tmp_path, data))
    assert result.exit_code == 0, result.output
    assert ("[Advarsel] applicant_region: Om søknaden: "
            + mismatch("Helse Bergen HF", "Helse Sør-Øst", "Helse Vest")) in result.output
    assert result.output.strip().endswith("0 må rettes, 1 advarsel.")


def test_check_finds_the_same_with_and_without_a_database(app: Flask, tmp_path: Path) -> None:
    answers = {**VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT], "icd10": ["c 40", "XYZ"],
               "pasientvolum": "12"}
    path = write(tmp_path, document(answers))
    with_database = run(app, "check", path)
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'finnes-ikke.sqlite'}"})
    without = outside_app_context(other, "check", path)
    assert with_database.exit_code == without.exit_code == 1
    findings = [line for line in with_database.output.splitlines() if line.startswith("[")]
    assert findings == [line for line in without.output.splitlines() if line.startswith("[")]
    assert "registry_overlap" in printed_rules(without.output)


# --------------------------------------------------------------------------- check: no database


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables: an empty SQLite file, or a new PostgreSQL database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = tmp_path / "tom.sqlite"
        path.touch()
        yield f"sqlite:///{path}"
        return
    with scratch_postgresql_database(url, "check_empty") as scratch:
        yield scratch


def database_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.sqlite*"))


@pytest.mark.parametrize("blocks", [False, True], ids=["nothing blocks", "something blocks"])
def test_check_without_database_url_uses_data_and_creates_no_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocks: bool) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SOKNAD_DATABASE_URL", raising=False)
    answers = dict(VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT])
    if blocks:
        answers["icd10"] = ["XYZ"]
    path = write(tmp_path, document(answers))
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance")})
    result = outside_app_context(other, "check", path)
    assert result.exit_code == (1 if blocks else 0), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Fant ingen database ({tmp_path / 'instance' / 'soknad.sqlite'})" in result.output
    assert "Sjekken bruker organisasjonslisten og registeret i" in result.output
    assert result.output.strip().endswith(
        "1 må rettes, 0 advarsler." if blocks else "0 må rettes, 0 advarsler.")
    assert database_files(tmp_path) == []


def test_check_with_an_empty_database_uses_data_and_changes_nothing(
        empty_database: str, tmp_path: Path) -> None:
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": empty_database})
    before = database_files(tmp_path)
    result = outside_app_context(other, "check", write(tmp_path, multiregional(
        "Helse Stavanger HF", "helse-sor-ost")))
    assert result.exit_code == 1, result.output
    assert "Databasen har ingen tabeller" in result.output
    assert printed_rules(result.output) == ["applicant_region", "two_regions"]
    assert database_files(tmp_path) == before
    if before:  # SQLite: the empty file is still empty (no write-ahead log set up in it)
        assert (tmp_path / "tom.sqlite").stat().st_size == 0
    else:
        with other.app_context():
            assert inspect(db.engine).get_table_names() == []
            db.engine.dispose()


@pytest.fixture
def unopenable_database(database_url: str, tmp_path: Path) -> str:
    """A SQLite file that is not a database, or a PostgreSQL database that does not exist."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = tmp_path / "ikke-en-database.sqlite"
        path.write_text("dette er ikke en database", encoding="utf-8")
        return f"sqlite:///{path}"
    return url.set(database=f"{url.database}_finnes_ikke").render_as_string(hide_password=False)


def test_check_with_a_database_it_cannot_open_says_so_and_uses_data(
        unopenable_database: str, tmp_path: Path) -> None:
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": unopenable_database})
    before = {path.name: path.read_bytes() for path in tmp_path.glob("*.sqlite*")}
    result = outside_app_context(other, "check", write(tmp_path, multiregional(
        "Oslo universitetssykehus HF", "helse-vest")))
    with other.app_context():
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Kan ikke åpne databasen (" in result.output
    assert "Sjekken bruker organisasjonslisten og registeret i" in result.output
    assert printed_rules(result.output) == ["applicant_region"]
    assert {path.name: path.read_bytes() for path in tmp_path.glob("*.sqlite*")} == before


def test_check_with_a_database_that_has_no_health_trusts_uses_data(
        app: Flask, tmp_path: Path) -> None:
    from soknad.models import Organisation

    db.session.query(Organisation).filter(Organisation.kind == "hf").update({"active": False})
    db.session.commit()
    result = run(app, "check", write(tmp_path, multiregional("Helse Stavanger HF",
                                                             "helse-vest")))
    assert result.exit_code == 1, result.output
    assert "Databasen har ingen helseforetak" in result.output
    assert printed_rules(result.output) == ["two_regions"]


def test_check_with_a_database_says_nothing_about_where_the_lists_come_from(
        app: Flask, tmp_path: Path) -> None:
    result = run(app, "check", write(tmp_path, document(
        VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT])))
    assert result.exit_code == 0, result.output
    assert "Sjekken bruker organisasjonslisten" not in result.output


def test_check_with_neither_database_nor_data_says_what_it_needs(tmp_path: Path) -> None:
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'finnes-ikke.sqlite'}",
                        "DATA_DIR": str(tmp_path / "tom")})
    result = outside_app_context(other, "check", write(tmp_path, document(
        VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT])))
    assert result.exit_code == 2, result.output
    assert (f"Fant ingen database ({tmp_path / 'finnes-ikke.sqlite'}). Kan heller ikke lese "
            f"{tmp_path / 'tom' / 'helseforetak.csv'}: No such file or directory.") in (
                result.output)
    assert database_files(tmp_path) == []
