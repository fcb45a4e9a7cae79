"""Starting an export: check the request, record who exported what, hand back the stream."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session, sessionmaker

from tracker import audit
from tracker.exports.csvsafe import stream_csv
from tracker.exports.kinds import KINDS, ExportFilter
from tracker.models import User
from tracker.operations import OperationError


def record_export(
    sessions: sessionmaker[Session],
    kind: str,
    flt: ExportFilter,
    actor_id: int | None,
    destination: str,
) -> None:
    """Write the audit event in a short transaction of its own, before any row is sent."""
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
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
        session.commit()


def csv_chunks(session: Session, kind: str, flt: ExportFilter) -> Iterator[str]:
    """The export's CSV text, streamed; unknown kinds and missing filters are refused first."""
    make = KINDS.get(kind)
    if make is None:
        raise OperationError(f"There is no export called {kind!r}.")
    export = make(session, flt)
    return stream_csv(export.header, export.rows)
