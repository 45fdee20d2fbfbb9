from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.database import fresh_data


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
