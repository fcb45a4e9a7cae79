"""The audit trail: one append-only row per change, export or security event."""

from __future__ import annotations

import enum
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, User


def record(
    session: Session,
    action: str,
    *,
    actor: User | None,
    obj: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for ``action`` on ``obj`` by ``actor`` to the session's unit of work."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
    )
    if has_request_context():
        event.request_id = g.get("request_id")
        event.remote_addr = request.remote_addr
        # Set by the API's sign-in for the request: the audit trail names the token used.
        event.api_token_name = g.get("api_token_name")
    session.add(event)
    return event


def changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply ``values`` to ``obj`` and return (before, after) for the fields that changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            before[field], after[field] = plain(old), plain(new)
            setattr(obj, field, new)
    return before, after


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value (enums by value, dates as ISO text)."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
