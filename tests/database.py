"""Emptying and re-seeding the test database between tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import URL, create_engine, text

from soknad.extensions import db
from soknad.services import catalogue, demo


def fresh_data() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    shutil.rmtree(Path(current_app.config["UPLOAD_DIR"]), ignore_errors=True)
    catalogue.forget()  # the tables were emptied outside the ORM
    demo.create()


@contextmanager
def scratch_postgresql_database(url: URL, suffix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
