from __future__ import annotations

from typing import Any

from soknad.extensions import db
from soknad.models import AuditEntry


def record(actor_id: int | None, action: str, object_type: str, object_id: int | None, *,
           from_state: str | None = None, to_state: str | None = None, **data: Any) -> None:
    """Add an audit entry to the current transaction (the caller commits)."""
    db.session.add(AuditEntry(
        actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
        from_state=from_state, to_state=to_state, data=data,
    ))
