"""Emptying and re-seeding the test database between tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app

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
