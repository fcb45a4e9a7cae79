"""Recording an export in the audit trail (the export itself only reads)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.models import User
from tracker.operations import audit
from tracker.queries.exports import ExportFilter


def record_export(
    session: Session, kind: str, flt: ExportFilter, actor_id: int | None, destination: str
) -> None:
    """Add the audit event for an export; the caller commits it before any row is sent."""
    actor = session.get(User, actor_id) if actor_id else None
    audit.record(
        session,
        "export",
        actor=actor,
        after={
            "kind": kind,
            "campaign_id": flt.campaign_id,
            "destination": destination,
            "since": flt.since.isoformat() if flt.since else None,
            "until": flt.until.isoformat() if flt.until else None,
        },
    )
