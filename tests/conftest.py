"""Fixtures shared by every test: the app on a real database (SQLite by default, PostgreSQL
when TEST_DATABASE_URL is set, as CI's second run does), migrated with Alembic."""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.test import TestResponse

from soknad import create_app
from soknad.extensions import db

pytest_plugins = ["tests.mailserver"]

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test-secret-key-not-for-production",
    # Cheap hashes: the tests log in hundreds of times. Production uses the defaults.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "MAIL_SERVER": "127.0.0.1",
    # The suite logs in hundreds of times from one address; tests/integration/test_throttling.py
    # switches throttling on (production default) for its own apps.
    "RATELIMIT_ENABLED": False,
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    )


def reset_schema() -> None:
    """Drop everything (a reused PostgreSQL database may hold an old schema), then migrate."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


class IsolatedClient(FlaskClient):
    """A test client whose requests run as they do in production: each in an app context of
    its own (own ``g``, own database session), even while the test holds one open to look at
    the database. After each request the test's session forgets what it had loaded, so the test
    reads what the request wrote."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(instance),
                              "DATABASE_URL": database_url})
    application.test_client_class = IsolatedClient
    with application.app_context():
        reset_schema()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def upload_dir(app: Flask) -> Path:
    return Path(app.config["UPLOAD_DIR"])
