"""What the rules check every application against and what rarely changes: the active health
trusts and the registry of national services.

Every application page needs both, so they are kept per process and database:

- a change made through this process (any flush that adds, changes or deletes a service or an
  organisation) is seen from its commit on;
- a change made by another worker process is seen within ``CATALOGUE_RECHECK_SECONDS``: at most
  that often, a transaction compares the database's fingerprint of both tables (how many rows,
  the highest id, the last change) with the kept one, and reads them again when it moved.

Within a transaction the catalogue is read once, however many times a page asks
(``session.info``, emptied at commit and rollback by ``soknad.extensions``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from itertools import chain
from typing import Any

from flask import current_app
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from soknad.domain.organisations import OrganisationEntry, OrgKind
from soknad.domain.registry import RegistryService
from soknad.extensions import CACHE_PREFIX, db
from soknad.models import NationalService, Organisation


@dataclass(frozen=True)
class Catalogue:
    fingerprint: tuple[Any, ...]
    health_trusts: tuple[OrganisationEntry, ...]
    registry: tuple[RegistryService, ...]


_SESSION_KEY = f"{CACHE_PREFIX}catalogue"
_CHANGED_KEY = "catalogue_changed"
_by_database: dict[str, tuple[Catalogue, float]] = {}  # with when its fingerprint was checked
_lock = threading.Lock()
clock = time.monotonic

# Written out, because it runs often: as a SQLAlchemy expression, building its cache key took
# four times as long as running it.
_FINGERPRINT = text(
    "SELECT (SELECT count(*) FROM national_service), (SELECT max(id) FROM national_service),"
    " (SELECT max(updated_at) FROM national_service),"
    " (SELECT count(*) FROM organisation WHERE kind = 'hf' AND active),"
    " (SELECT max(id) FROM organisation WHERE kind = 'hf' AND active)"
)


def _fingerprint() -> tuple[Any, ...]:
    return tuple(db.session.execute(_FINGERPRINT).one())


def _load(fingerprint: tuple[Any, ...]) -> Catalogue:
    trusts = db.session.scalars(select(Organisation).where(
        Organisation.kind == OrgKind.HF.value, Organisation.active.is_(True),
    ).order_by(Organisation.name))
    services = db.session.scalars(select(NationalService).order_by(NationalService.name_nb))
    return Catalogue(fingerprint, tuple(row.entry() for row in trusts),
                     tuple(row.entry() for row in services))


def current() -> Catalogue:
    """The catalogue as the database holds it (as of at most CATALOGUE_RECHECK_SECONDS ago
    for changes made by other processes)."""
    found = db.session.info.get(_SESSION_KEY)
    if found is not None:
        return found
    database = str(db.engine.url)
    kept = _by_database.get(database)
    now = clock()
    if kept is None or now - kept[1] >= current_app.config["CATALOGUE_RECHECK_SECONDS"]:
        fingerprint = _fingerprint()
        found = kept[0] if kept and kept[0].fingerprint == fingerprint else _load(fingerprint)
        with _lock:
            _by_database[database] = (found, now)
    else:
        found = kept[0]
    db.session.info[_SESSION_KEY] = found
    return found


def forget() -> None:
    """Read the catalogue again in the next transaction (after a change outside the ORM)."""
    with _lock:
        _by_database.clear()


@event.listens_for(Session, "after_flush")
def _note_change(session: Session, _context: Any) -> None:
    if any(isinstance(item, NationalService | Organisation)
           for item in chain(session.new, session.dirty, session.deleted)):
        session.info[_CHANGED_KEY] = True


@event.listens_for(Session, "after_commit")
def _forget_after_change(session: Session) -> None:
    if session.info.pop(_CHANGED_KEY, False):
        forget()


@event.listens_for(Session, "after_rollback")
def _no_change(session: Session) -> None:
    session.info.pop(_CHANGED_KEY, None)
