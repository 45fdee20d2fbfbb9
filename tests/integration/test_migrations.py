"""Migrations: one head; `upgrade` on an empty database gives exactly the models' schema;
`downgrade` to nothing and back works. On SQLite and, in CI's second run, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, make_url, text

from soknad import create_app
from soknad.domain.lifecycle import EventKind, ServiceStatus
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import NationalService, NationalServiceEvent
from soknad.models.advisory import AdvisoryRecommendation
from soknad.models.directorate import Decision
from tests.calendar_helpers import approved
from tests.conftest import TEST_CONFIG
from tests.database import fresh_data, scratch_postgresql_database


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


def test_b3e91f6c2a70_recounts_older_approvals_by_the_one_rule(fresh_app: Flask) -> None:
    """Approvals recorded before it had their dates counted from the day of typing (establish
    within a year of 20 November 2027); after it, from 1 January 2028, as the domain says."""
    upgrade()
    fresh_data()
    with time_machine.travel(datetime(2027, 11, 20, 11, tzinfo=UTC)):
        application_id = approved("soker.bergen@demo.no",
                                  service_type=ServiceType.NATIONAL_COMPETENCE).id
    decision = db.session.query(Decision).filter_by(application_id=application_id).one()
    decision.function, decision.term_years = "opplaering", 5
    decision.establish_by, decision.term_ends = date(2028, 11, 20), date(2032, 11, 20)
    db.session.query(NationalService).filter_by(application_id=application_id).update(
        {"establish_by": date(2028, 11, 20), "term_ends": date(2032, 11, 20)})
    db.session.commit()
    db.session.remove()
    downgrade(revision="7d3f9a41c6e2")
    upgrade()
    decision = db.session.query(Decision).filter_by(application_id=application_id).one()
    service = db.session.query(NationalService).filter_by(application_id=application_id).one()
    assert (decision.establish_by, decision.term_ends) == (date(2028, 12, 31), date(2032, 12, 31))
    assert (service.establish_by, service.term_ends) == (date(2028, 12, 31), date(2032, 12, 31))


def test_e4c2a9f1b7d3_marks_published_terminations_and_keeps_the_others_active(
        fresh_app: Flask) -> None:
    """An imported service whose published description says «Tjenesten er avviklet f.o.m.
    1. januar 2019» is terminated from that day, with a history line; the others stay active."""
    downgrade(revision="base")
    upgrade(revision="9d5d39c1265c")
    rows = [("nasjonal_behandlingstjeneste:barnerevmakirurgi", "Barnerevmakirurgi",
             "Tjenesten er avviklet f.o.m. 1. januar 2019."),
            ("nasjonal_behandlingstjeneste:replantasjon", "Replantasjon", "Replantasjon.")]
    with db.engine.begin() as connection:
        for key, name, description in rows:
            connection.execute(text(
                "INSERT INTO national_service (key, service_type, regions, name_nb, name_en,"
                " location, description, icd10_text, icd10_codes, icd10_unparsed, icd10_notes,"
                " source, created_at, updated_at) VALUES (:key, 'nasjonal_behandlingstjeneste',"
                " '[]', :name, '', '', :description, '', '[]', '[]', '[]', 'vedlegg',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"key": key, "name": name, "description": description})
    upgrade()
    services = {row.name_nb: row for row in db.session.query(NationalService)}
    ended, running = services["Barnerevmakirurgi"], services["Replantasjon"]
    assert (ended.status, ended.terminated_from) == (ServiceStatus.TERMINATED, date(2019, 1, 1))
    assert (running.status, running.terminated_from) == (ServiceStatus.ACTIVE, None)
    assert running.former_names == []
    events = db.session.query(NationalServiceEvent).all()
    assert [(event.service_id, event.kind, event.day) for event in events] == [
        (ended.id, EventKind.TERMINATED, date(2019, 1, 1))]
    db.session.remove()
    downgrade(revision="9d5d39c1265c")
    assert "status" not in {column["name"] for column in
                            inspect(db.engine).get_columns("national_service")}


def test_4c8e2a7b91d3_adds_the_advisory_recommendations_and_removes_them_again(
        fresh_app: Flask) -> None:
    """Rådgivingsgruppen's recommendations: a table of their own, tied to the decision that
    rested on one; downgrading drops only that table."""
    upgrade()
    fresh_data()
    application_id = approved("soker.bergen@demo.no").id  # recommended, then approved
    row = db.session.query(AdvisoryRecommendation).filter_by(application_id=application_id).one()
    decision = db.session.query(Decision).filter_by(application_id=application_id).one()
    assert (row.recommendation, row.decision_id) == ("approved", decision.id)
    db.session.remove()
    downgrade(revision="e4c2a9f1b7d3")
    with db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    assert "advisory_recommendation" not in tables
    assert "decision" in tables
    upgrade()
    assert schema_differences() == []
    assert db.session.query(AdvisoryRecommendation).count() == 0
    assert db.session.query(Decision).filter_by(application_id=application_id).count() == 1
