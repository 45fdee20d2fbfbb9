"""Configuration, security headers and error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad import create_app
from soknad.extensions import db
from soknad.web.auth import public
from tests.factories import login


def test_configuration_reads_defaults_then_instance_file_then_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.toml").write_text(
        'MAX_UPLOAD_MB = 10\nSESSION_HOURS = 21\nDATABASE_URL = "sqlite:////tmp/fra-fil.sqlite"\n',
        encoding="utf-8")
    monkeypatch.setenv("SOKNAD_SESSION_HOURS", "22")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["MAX_UPLOAD_MB"] == 10  # from the file
    assert app.config["SESSION_HOURS"] == 22  # the environment wins over the file
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/fra-fil.sqlite"
    assert app.config["UPLOAD_DIR"] == str(instance / "uploads")


def test_database_url_from_the_environment_uses_psycopg(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://soknad@db.example/soknad")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://soknad@db.example/soknad")


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'soknad.sqlite'}"


def test_a_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_view_without_a_role_declaration_stops_the_app() -> None:
    from soknad.web import refuse_undeclared_views

    bare = Flask("bare")
    bare.add_url_rule("/x", "declared", public(lambda: "x"))
    refuse_undeclared_views(bare)
    bare.add_url_rule("/y", "undeclared", lambda: "y")
    with pytest.raises(RuntimeError, match="'undeclared' declares no roles"):
        refuse_undeclared_views(bare)


@pytest.mark.parametrize("path", ["/logg-inn", "/soknader/", "/finnes-ikke"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    login(client, "soker.ous@demo.no")
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    assert client.get("/soknader/").headers["Cache-Control"] == "no-store"


def test_not_found_is_a_norwegian_page(client: FlaskClient) -> None:
    response = client.get("/finnes-ikke")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<title>Feil: Fant ikke siden" in html
    assert 'lang="nb"' in html


def test_a_server_error_is_a_norwegian_page_without_a_traceback(app: Flask,
                                                               client: FlaskClient) -> None:
    def broken() -> str:
        db.session.execute(db.text("SELECT * FROM tabell_som_ikke_finnes"))
        return "aldri"

    app.view_functions["home.accessibility"], original = (
        public(broken), app.view_functions["home.accessibility"])
    try:
        response = client.get("/tilgjengelighet")
    finally:
        app.view_functions["home.accessibility"] = original
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in html
    assert "Traceback" not in html
    assert "tabell_som_ikke_finnes" not in html
