from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from soknad import create_app
from soknad.extensions import db
from tests.conftest import TEST_CONFIG
from tests.database import fresh_data
from tests.mailserver import MailServer


@pytest.fixture(autouse=True)
def data(app: Flask) -> Iterator[None]:
    """Every test starts from the demo data: organisations, round 2027, one user per role."""
    with app.app_context():
        fresh_data()
        yield


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    """Form tokens checked, as in production (the tests' app skips them)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def other_process(app: Flask, database_url: str, tmp_path: Path,
                  mail_server: MailServer) -> Iterator[Flask]:
    """A second app on the same database, as a restarted scheduler process has."""
    other = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
                        "DATABASE_URL": database_url, "MAIL_PORT": mail_server.port})
    yield other
    with other.app_context():
        db.engine.dispose()
