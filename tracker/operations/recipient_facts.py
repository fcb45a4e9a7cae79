"""Keeping each recipient's stored status facts in step with the interactions recorded for them.

The log stays the truth: these columns are recomputed from it (one aggregate per batch of
recipients, then the rule in tracker/status.py) whenever an interaction is written, and
`hilltrack db recount` rebuilds them all. Reading them lets progress pages count 60,000 small rows
instead of aggregating 300,000 interactions on every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, event, insert, select, update
from sqlalchemy.orm import Session

from tracker.models import Campaign, CampaignTally, Recipient
from tracker.queries.facts import STORED_FACTS, TALLY_COLUMNS, facts_from_log, tally_from_recipients
from tracker.rules.status import Facts, status_from

BATCH = 2000
# Every stored column: the facts (queries.STORED_FACTS) and what follows from them.
FACT_COLUMNS = ("status", "sent_on", "reply_days", *(c.key for c in STORED_FACTS.values()))
_table = cast(Table, Recipient.__table__)
_UPDATE = (
    update(_table)
    .where(_table.c.id == bindparam("recipient_id"))
    .values({name: bindparam(f"new_{name}") for name in FACT_COLUMNS})
)


def refresh_facts(db: Session | Connection, recipient_ids: Iterable[int]) -> None:
    """Recompute the stored facts of these recipients from their interactions, and the tallies
    of their campaigns."""
    ids = sorted(set(recipient_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        _refresh_batch(db, batch)
        refresh_tallies(
            db, db.scalars(select(Recipient.campaign_id).where(Recipient.id.in_(batch)).distinct())
        )


def refresh_tallies(db: Session | Connection, campaign_ids: Iterable[int]) -> None:
    """Count these campaigns' tallies afresh from their recipients (after their facts changed,
    or a recipient was added or removed): a few hundred small rows a campaign."""
    ids = sorted(set(campaign_ids))
    if not ids:
        return
    # One writer at a time per campaign: on PostgreSQL two writers deleting and inserting the
    # same campaign's rows at once would each miss the other's and count twice.
    db.execute(select(Campaign.id).where(Campaign.id.in_(ids)).with_for_update())
    db.execute(delete(CampaignTally).where(CampaignTally.campaign_id.in_(ids)))
    db.execute(
        insert(CampaignTally).from_select(
            [c.key for c in TALLY_COLUMNS], tally_from_recipients(ids)
        )
    )


@event.listens_for(Session, "after_flush")
def _tally_added_and_removed_recipients(session: Session, _context: object) -> None:
    """Recipients added or removed by any writer count at once in their campaigns' tallies:
    nothing that adds a recipient can forget to (the facts' writers call refresh_facts)."""
    touched = {
        obj.campaign_id for obj in (*session.new, *session.deleted) if isinstance(obj, Recipient)
    }
    if touched:
        refresh_tallies(session.connection(), touched)


def refresh_all_tallies(db: Session | Connection) -> None:
    db.execute(delete(CampaignTally))
    db.execute(
        insert(CampaignTally).from_select([c.key for c in TALLY_COLUMNS], tally_from_recipients())
    )


def drifted_tallies(db: Session | Connection) -> list[int]:
    """Campaigns whose stored tally differs from a count of their recipients afresh."""
    stored: dict[int, set[tuple[Any, ...]]] = {}
    for row in db.execute(select(*TALLY_COLUMNS)):
        stored.setdefault(row[0], set()).add(tuple(row[1:]))
    counted: dict[int, set[tuple[Any, ...]]] = {}
    for row in db.execute(tally_from_recipients()):
        counted.setdefault(row[0], set()).add(tuple(row[1:]))
    return sorted(
        cid for cid in stored.keys() | counted.keys() if stored.get(cid) != counted.get(cid)
    )


def refresh_all_facts(
    db: Session | Connection,
    progress: Callable[[int, int], None] | None = None,
    *,
    tallies: bool = True,
) -> int:
    """Recompute every recipient's facts (after a migration, a restore or a hand edit), and
    every campaign's tally."""
    ids = list(db.scalars(select(Recipient.id).order_by(Recipient.id)))
    for start in range(0, len(ids), BATCH):
        _refresh_batch(db, ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    if tallies:  # (false for the migration that made the facts, older than the tallies)
        refresh_all_tallies(db)
    return len(ids)


def drifted_recipients(db: Session | Connection) -> list[int]:
    """Recipients whose stored facts differ from what their interactions say (none, unless
    interactions were written past the operations)."""
    stored = {
        row[0]: row[1:]
        for row in db.execute(select(_table.c.id, *(_table.c[name] for name in FACT_COLUMNS)))
    }
    drifted = []
    ids = sorted(stored)
    for start in range(0, len(ids), BATCH):
        for rid, facts in facts_from_log(db, ids[start : start + BATCH]):
            expected = _stored_values(facts)
            if tuple(stored[rid]) != tuple(expected[name] for name in FACT_COLUMNS):
                drifted.append(rid)
    return drifted


def _refresh_batch(db: Session | Connection, ids: list[int]) -> None:
    # Lock the rows before counting: on PostgreSQL (READ COMMITTED) a concurrent writer to the
    # same recipient then commits first, and the aggregate below, a new statement, sees its
    # interaction. SQLite has no FOR UPDATE and needs none: it runs one writer at a time.
    db.execute(select(_table.c.id).where(_table.c.id.in_(ids)).with_for_update())
    params = [
        {"recipient_id": rid, **{f"new_{k}": v for k, v in _stored_values(facts).items()}}
        for rid, facts in facts_from_log(db, ids)
    ]
    if params:
        db.execute(_UPDATE, params)
    if isinstance(db, Session):
        _expire_loaded(db, ids)


def _stored_values(facts: Facts) -> dict[str, Any]:
    """Column name -> value, for every column in FACT_COLUMNS."""
    info = status_from(facts, dt.date.min)  # today only matters for days waiting, not stored
    sent, reply = facts.first_sent, facts.first_reply
    # Responsiveness counts a reply only as an answer to a letter sent before it.
    reply_days = (reply - sent).days if sent and reply and reply >= sent else None
    return {
        "status": int(info.status),
        "sent_on": info.sent_on,
        "reply_days": reply_days,
        **{column.key: getattr(facts, name) for name, column in STORED_FACTS.items()},
    }


def _expire_loaded(session: Session, ids: list[int]) -> None:
    """Recipients already loaded in this session would otherwise show their old facts."""
    for rid in ids:
        loaded = session.identity_map.get(session.identity_key(Recipient, rid))
        if loaded is not None:
            session.expire(loaded, list(FACT_COLUMNS))
