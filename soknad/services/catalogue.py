"""What the rules check every application against and what rarely changes: the active health
trusts and the registry of national services.

Every application page needs both, so they are kept per process and database and read again
only when their fingerprint moves. The fingerprint (how many rows, the highest id, the last
change) is one small query per transaction, read from the database, so a change made in
another worker process is seen in that worker's next transaction. Within a transaction the
catalogue is read once, however many times a page asks (``session.info``, emptied at commit and
rollback by ``soknad.extensions``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

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
_by_database: dict[str, Catalogue] = {}
_lock = threading.Lock()

_ACTIVE_HF = (Organisation.kind == OrgKind.HF.value, Organisation.active.is_(True))

# Written out, because it runs on every page: as a SQLAlchemy expression, building its cache key
# took four times as long as running it.
_FINGERPRINT = text(
    "SELECT (SELECT count(*) FROM national_service), (SELECT max(id) FROM national_service),"
    " (SELECT max(updated_at) FROM national_service),"
    " (SELECT count(*) FROM organisation WHERE kind = 'hf' AND active),"
    " (SELECT max(id) FROM organisation WHERE kind = 'hf' AND active)"
)


def _fingerprint() -> tuple[Any, ...]:
    return tuple(db.session.execute(_FINGERPRINT).one())


def _load(fingerprint: tuple[Any, ...]) -> Catalogue:
    trusts = db.session.scalars(select(Organisation).where(*_ACTIVE_HF).order_by(Organisation.name))
    services = db.session.scalars(select(NationalService).order_by(NationalService.name_nb))
    return Catalogue(fingerprint, tuple(row.entry() for row in trusts),
                     tuple(row.entry() for row in services))


def current() -> Catalogue:
    """The catalogue as the database holds it now (at most one query when nothing changed)."""
    found = db.session.info.get(_SESSION_KEY)
    if found is not None:
        return found
    fingerprint = _fingerprint()
    database = str(db.engine.url)
    found = _by_database.get(database)
    if found is None or found.fingerprint != fingerprint:
        found = _load(fingerprint)
        with _lock:
            _by_database[database] = found
    db.session.info[_SESSION_KEY] = found
    return found
