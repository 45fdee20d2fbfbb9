"""The audit log (SEC-15): writing entries, and the administrator's search.

Every entry says when (UTC), who (user id, with the organisation and role they had then), from
where (the client address, when there is a request), what (action, object type and id, any
state change) and the outcome. Each entry also goes to the ``soknad.audit`` logger as one line,
so that it can be shipped off the host; values in that line, on the admin page and in the CSV
file have newlines and control characters escaped (``domain.audit_actions.escape_control``).

What is logged:

- every change: logins and logouts, failed and throttled logins, state changes and decisions,
  attachments added and removed, comments, rankings, the national list, the joint submission
  sent, users created and (de)activated, templates, round dates, the coordinating RHF,
  Helsedirektoratet's case handler set or changed (who before, who after) and each internal
  note written (its id, never its text);
- **reads by right across organisations**: an RHF coordinator or Helsedirektoratet opening a
  health trust's application (review page, submitted version, changes between versions, the
  read-only page for another region: the national list or the partner region) or a
  joint submission (``view``). A health trust reading its *own* application is not logged on
  every page view: that would flood the log with no one else's data at stake. Lists (inboxes,
  rankings) are not logged either; opening one application from them is;
- **every download and export, own or not**: a submitted version as Word or JSON, a decision
  letter, an attachment, the joint package (ZIP), a Word template, the JSON export of a
  draft (``download``/``export``), and the ``soknad export``/``soknad package`` commands.

Never logged: attachment contents, passwords, tokens (``SECRET_KEYS`` are redacted whoever
passes them). No code path updates or deletes an entry; the ORM refuses to (``models.audit``),
and on PostgreSQL the application's role has no UPDATE or DELETE on the table (README).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, func, or_, select

from soknad.clock import OSLO
from soknad.domain import audit_actions
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import AuditEntry, Organisation, User
from soknad.models.types import utcnow

log = logging.getLogger("soknad.audit")

PER_PAGE = 100
CSV_LIMIT = 50_000


def record(actor_id: int | None, action: str, object_type: str, object_id: int | None, *,
           from_state: str | None = None, to_state: str | None = None,
           outcome: str | None = None, address: str | None = None,
           **data: Any) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits).

    ``address`` is the client's address; when not given it is read from the request, if there
    is one (a CLI command or the scheduler has none). ``outcome`` defaults to the action's
    (``domain.audit_actions.outcome_of``: a failed login is a failure)."""
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    if address is None and has_request_context():
        address = request.remote_addr
    entry = AuditEntry(
        actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
        from_state=from_state, to_state=to_state,
        actor_organisation_id=actor.organisation_id if actor else None,
        actor_role=actor.role if actor else None,
        address=address[:64] if address else None,
        outcome=outcome or audit_actions.outcome_of(action).value,
        data=audit_actions.redact(data), at=utcnow(),
    )
    db.session.add(entry)
    log.info("audit %s", log_line(entry))
    return entry


def record_now(actor: User, action: str, object_type: str, object_id: int | None,
               **data: Any) -> None:
    """Record a read or a download and commit it: for GET views, which change nothing else
    (their one commit)."""
    record(actor.id, action, object_type, object_id, **data)
    db.session.commit()


def record_read_across(actor: User, organisation_id: int, object_type: str,
                       object_id: int, **data: Any) -> None:
    """``view`` when ``actor`` reads another organisation's object by right; nothing when it is
    their own (the rule in the module docstring)."""
    if actor.organisation_id != organisation_id:
        record_now(actor, audit_actions.VIEW, object_type, object_id, **data)


def log_line(entry: AuditEntry) -> str:
    """One line, control characters escaped: ``action=… actor=… …``."""
    parts = {
        "at": entry.at.isoformat() if entry.at else "", "action": entry.action,
        "actor": entry.actor_id, "organisation": entry.actor_organisation_id,
        "role": entry.actor_role, "address": entry.address,
        "object": f"{entry.object_type}:{entry.object_id}", "outcome": entry.outcome,
        "from": entry.from_state, "to": entry.to_state,
    }
    text = " ".join(f"{key}={audit_actions.describe_value(value)}"
                    for key, value in parts.items() if value is not None)
    return f"{text} data={{{audit_actions.describe_data(entry.data or {})}}}"


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class Filters:
    """What the administrator filters on; empty values filter nothing. Dates are Oslo dates,
    both ends included."""

    action: str = ""
    actor: str = ""
    organisation_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    actor: User | None
    organisation: Organisation | None

    @property
    def oslo_time(self) -> str:
        """"10.12.2026 14:03:05" in Norwegian time."""
        return f"{self.entry.at.astimezone(OSLO):%d.%m.%Y %H:%M:%S}"

    @property
    def actor_name(self) -> str:
        return audit_actions.escape_control(self.actor.name) if self.actor else ""

    @property
    def actor_email(self) -> str:
        """The user's address, or for a failed login the address that was typed."""
        if self.actor:
            return self.actor.email
        typed = (self.entry.data or {}).get("email")
        return audit_actions.describe_value(typed) if typed else ""

    @property
    def action_label(self) -> str:
        return audit_actions.action_label(self.entry.action, self.entry.object_type)

    @property
    def object_label(self) -> str:
        return audit_actions.object_label(self.entry.object_type)

    @property
    def outcome_label(self) -> str:
        return audit_actions.outcome_label(self.entry.outcome)

    @property
    def role_label(self) -> str:
        role = self.entry.actor_role
        return Role(role).label if role in {item.value for item in Role} else role or ""

    @property
    def details(self) -> str:
        entry = self.entry
        parts = []
        if entry.from_state or entry.to_state:
            parts.append(f"{entry.from_state or '–'} → {entry.to_state or '–'}")
        if entry.data:
            parts.append(audit_actions.describe_data(entry.data))
        return "; ".join(parts)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def start_of(day: date) -> datetime:
    """The UTC instant an Oslo date begins."""
    return datetime.combine(day, time(), OSLO).astimezone(UTC)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(statement: Select[Any], filters: Filters) -> Select[Any]:
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.actor.strip():
        pattern = _like(filters.actor.strip())
        statement = statement.where(or_(
            func.lower(User.name).like(pattern, escape="\\"),
            func.lower(User.email).like(pattern, escape="\\"),
            # a failed login by an unknown address has no user, only the address typed
            func.lower(AuditEntry.data["email"].as_string()).like(pattern, escape="\\"),
        ))
    if filters.organisation_id is not None:
        statement = statement.where(AuditEntry.actor_organisation_id == filters.organisation_id)
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(AuditEntry.object_id == filters.object_id)
    if filters.date_from is not None:
        statement = statement.where(AuditEntry.at >= start_of(filters.date_from))
    if filters.date_to is not None:
        statement = statement.where(AuditEntry.at < start_of(filters.date_to + timedelta(days=1)))
    return statement


def _rows_query(filters: Filters) -> Select[Any]:
    return _filtered(
        select(AuditEntry, User, Organisation)
        .outerjoin(User, AuditEntry.actor_id == User.id)
        .outerjoin(Organisation, AuditEntry.actor_organisation_id == Organisation.id),
        filters,
    ).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def count(filters: Filters) -> int:
    statement = _filtered(
        select(func.count(AuditEntry.id)).select_from(AuditEntry)
        .outerjoin(User, AuditEntry.actor_id == User.id), filters)
    return db.session.scalar(statement) or 0


def search(filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the entries that match, newest first, with the number of hits."""
    total = count(filters)
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, page), pages)
    result = db.session.execute(
        _rows_query(filters).limit(per_page).offset((number - 1) * per_page))
    return Page(rows=[Row(entry, actor, organisation) for entry, actor, organisation in result],
                total=total, number=number, pages=pages)


def search_all(filters: Filters, limit: int = CSV_LIMIT) -> Iterator[Row]:
    """Every match, newest first (at most ``limit``), for the CSV download."""
    result = db.session.execute(_rows_query(filters).limit(limit))
    for entry, actor, organisation in result:
        yield Row(entry, actor, organisation)


def actions_in_use() -> list[tuple[str, str]]:
    """(code, Norwegian label) of every known action and any other found in the log."""
    codes = set(audit_actions.ACTION_LABELS) | set(
        db.session.scalars(select(AuditEntry.action).distinct()))
    return sorted(((str(code), audit_actions.action_label(code)) for code in codes),
                  key=lambda item: item[1].lower())


def object_types() -> list[tuple[str, str]]:
    codes = set(audit_actions.OBJECT_LABELS) | set(
        db.session.scalars(select(AuditEntry.object_type).distinct()))
    return sorted(((code, audit_actions.object_label(code)) for code in codes),
                  key=lambda item: item[1].lower())


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.kind,
                                                                 Organisation.name)))
