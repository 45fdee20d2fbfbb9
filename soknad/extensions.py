"""The Flask extensions, created once and bound to the app in ``create_app``."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from soknad.domain import search

# Named constraints, so that Alembic migrations can alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
csrf = CSRFProtect()

LIMITER_KEY = "soknad.limiter"


def init_limiter(app: Flask) -> Limiter:
    """Flask-Limiter, configured from the app's ``RATELIMIT_*`` keys (storage, prefix, on/off).

    One per app, unlike the extensions above: Flask-Limiter keeps its storage and its on/off
    state on the instance, so two apps in one process (two "workers" in a test) sharing one
    would share a memory storage and hide whether Redis really carries the counts."""
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions[LIMITER_KEY] = limiter
    return limiter


def limiter_of(app: Flask) -> Limiter:
    return app.extensions[LIMITER_KEY]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: write-ahead log (readers never wait for the writer), foreign keys on."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        search.register_sqlite_functions(dbapi_connection)  # Unicode-aware case folding


CACHE_PREFIX = "cache:"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_cached_reads(session: Session) -> None:
    """Reads kept in ``session.info`` under ``cache:`` keys (the registry, the health trusts)
    last until the transaction ends, so a change committed in this session is seen next."""
    for key in [key for key in session.info if key.startswith(CACHE_PREFIX)]:
        del session.info[key]
