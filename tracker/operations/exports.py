"""Starting an export: check the request, record who exported what, hand back the stream."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from tracker.formats.csv_safe import stream_csv
from tracker.models import User
from tracker.operations import OperationError, audit
from tracker.queries.exports import KINDS, ExportFilter
from tracker.web.db import restart_as_writer


def record_export(
    session: Session, kind: str, flt: ExportFilter, actor_id: int | None, destination: str
) -> None:
    """Commit the audit event before any row is sent (the export itself only reads)."""
    restart_as_writer(session)
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
    return stream_csv(export.header, export.rows, export.free_text)
