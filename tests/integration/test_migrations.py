"""Migrations: one head; `upgrade` on an empty database gives exactly the models' schema;
`downgrade` to nothing and back works. On SQLite and, in CI's second run, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, make_url

from soknad import create_app
from soknad.extensions import db
from tests.conftest import TEST_CONFIG
from tests.database import scratch_postgresql_database


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    with scratch_postgresql_database(url, "migrations") as scratch:
        yield scratch


@pytest.fixture
def fresh_app(empty_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": empty_database})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_there_is_one_head(fresh_app: Flask) -> None:
    script = ScriptDirectory.from_config(fresh_app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_upgrade_on_an_empty_database_matches_the_models(fresh_app: Flask) -> None:
    upgrade()
    assert schema_differences() == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"application", "application_section", "submission", "attachment", "user_account",
            "login_session", "organisation", "round", "audit_entry"} <= tables


def test_downgrade_to_nothing_and_up_again(fresh_app: Flask) -> None:
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []
