"""Keeping each recipient's stored status facts in step with the interactions recorded for them.

The log stays the truth: these columns are recomputed from it (one aggregate per batch of
recipients, then the rule in tracker/rules/status.py) whenever an interaction is written, and
`hilltrack db recount` rebuilds them all. Reading them lets progress pages count 60,000 small rows
instead of aggregating 300,000 interactions on every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from tracker.models import Recipient
from tracker.models.revisions import bump_campaigns_of_recipients, bump_everything
from tracker.operations import events, tallies
from tracker.queries.facts import STORED_FACTS, facts_from_log
from tracker.rules.status import Facts, reply_days_of, status_from

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
    """Recompute the stored facts of these recipients from their interactions, their
    campaigns' tallies and the responsiveness tallies (operations.tallies)."""
    ids = sorted(set(recipient_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        before = tallies.lock_letters(db, batch)
        moved = _refresh_batch(db, batch)
        # A core statement: the rows it changed show on their campaign's page (cached); a
        # note or a call changes no fact, and leaves the kept rows as they are.
        bump_campaigns_of_recipients(db, moved)
        # Only the facts written just now can differ from those read under the lock: a note
        # or a call moves none, and its POST reads nothing more.
        after = {**before, **(tallies.letters(db, moved) if moved else {})}
        tallies.count_the_difference(db, before, after)
        if isinstance(db, Session):
            events.statuses_changed(db, before, after)
        # Only the campaigns of letters whose facts changed: a note or a call changes none,
        # and counting a campaign of 450 again took a quarter of the quick-log POST.
        changed = {letter.campaign_id for rid, letter in before.items() if after.get(rid) != letter}
        tallies.refresh_campaign_tallies(db, changed)


def refresh_all_facts(
    db: Session | Connection,
    progress: Callable[[int, int], None] | None = None,
    *,
    with_tallies: bool = True,
) -> int:
    """Recompute every recipient's facts (after a migration, a restore or a hand edit), and
    every tally."""
    ids = list(db.scalars(select(Recipient.id).order_by(Recipient.id)))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        # Lock the rows before counting (see tallies.lock_letters).
        db.execute(
            select(_table.c.id).where(_table.c.id.in_(batch)).with_for_update(key_share=True)
        )
        _refresh_batch(db, batch)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    if with_tallies:  # (false for the migration that made the facts, older than the tallies)
        tallies.rebuild_all(db)
    if isinstance(db, Session):
        # `hilltrack db recount`: any page may change. (A migration passes its connection,
        # on a schema that may predate the revisions; migration 0028 gives every row a
        # fresh one, and a later migration that recounts must do the same.)
        bump_everything(db)
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


def _refresh_batch(db: Session | Connection, ids: list[int]) -> list[int]:
    """Recompute these (locked) recipients' facts; the ids of those whose facts changed."""
    columns = [_table.c[name] for name in FACT_COLUMNS]
    stored = {
        row[0]: tuple(row[1:])
        for row in db.execute(select(_table.c.id, *columns).where(_table.c.id.in_(ids)))
    }
    params, changed = [], []
    for rid, facts in facts_from_log(db, ids):
        values = _stored_values(facts)
        if stored.get(rid) == tuple(values[name] for name in FACT_COLUMNS):
            continue
        changed.append(rid)
        params.append({"recipient_id": rid, **{f"new_{k}": v for k, v in values.items()}})
    if params:
        db.execute(_UPDATE, params)
    if isinstance(db, Session):
        _expire_loaded(db, changed)
    return changed


def _stored_values(facts: Facts) -> dict[str, Any]:
    """Column name -> value, for every column in FACT_COLUMNS."""
    info = status_from(facts, dt.date.min)  # today only matters for days waiting, not stored
    return {
        "status": int(info.status),
        "sent_on": info.sent_on,
        "reply_days": reply_days_of(facts),
        **{column.key: getattr(facts, name) for name, column in STORED_FACTS.items()},
    }


def _expire_loaded(session: Session, ids: list[int]) -> None:
    """Recipients already loaded in this session would otherwise show their old facts."""
    for rid in ids:
        loaded = session.identity_map.get(session.identity_key(Recipient, rid))
        if loaded is not None:
            session.expire(loaded, list(FACT_COLUMNS))
