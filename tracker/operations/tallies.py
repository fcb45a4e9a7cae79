"""The tallies reports read instead of every recipient, kept in step by the writers.

- Campaign tallies (models.CampaignTally): each campaign's recipients by first-send day, for the
  dashboard. Counted afresh for a campaign (a few hundred rows) whenever its recipients' facts
  change or a recipient is added or removed.
- Reply tallies (models.ReplyTally): letters by month first sent, and by party, role, official
  and campaign, for the responsiveness report. Kept by difference: each refresh of recipients'
  facts adds what the new facts count and takes away what the old ones did (rules.tallies), so
  a quick-log save touches a handful of rows however long the log.

`hilltrack db recount` rebuilds both from the recipients; `drifted` (its `--check`, and the
test suite after every test) proves them right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, event, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session

from tracker.models import Campaign, CampaignTally, Official, Recipient, ReplyTally, Role
from tracker.queries.facts import CAMPAIGN_TALLY_COLUMNS, campaign_tally_from_recipients
from tracker.rules.tallies import Letter, TallyKey, difference, tally

DB = Session | Connection
LETTER_COLUMNS = (
    Recipient.id,
    Recipient.sent_on,
    Recipient.reply_days,
    Recipient.party,
    Recipient.role_kind,
    Recipient.official_id,
    Recipient.campaign_id,
    Recipient.status,
    Recipient.meeting_held,
    Recipient.delivery_confirmed,
)
BATCH = 5000


def lock_letters(db: DB, ids: list[int]) -> dict[int, Letter]:
    """Lock these recipients and read what the tallies count of them, before their facts
    change. On PostgreSQL (READ COMMITTED) a concurrent writer to the same recipient waits
    here, so its aggregate, a new statement, sees the first one's interaction, and the two
    differences follow one another; SQLite runs one writer at a time.

    The lock is FOR NO KEY UPDATE, not FOR UPDATE: each writer has already inserted its
    interaction, which holds a KEY SHARE lock on the recipient it references, and FOR UPDATE
    waits for every such lock: two people saving at once would each wait for the other."""
    query = select(*LETTER_COLUMNS).where(Recipient.id.in_(ids)).with_for_update(key_share=True)
    return {row[0]: _letter(row) for row in db.execute(query)}


def letters(db: DB, ids: list[int]) -> dict[int, Letter]:
    query = select(*LETTER_COLUMNS).where(Recipient.id.in_(ids))
    return {row[0]: _letter(row) for row in db.execute(query)}


def _letter(row: Any) -> Letter:
    """A row of LETTER_COLUMNS (more columns than SQLAlchemy's typing of a row follows)."""
    return Letter(*row[1:])


def count_the_difference(db: DB, before: dict[int, Letter], after: dict[int, Letter]) -> None:
    """Add to the reply tallies what changed between the letters' old and new facts."""
    _add(db, difference(before.values(), after.values()))


def _dialect(db: DB) -> str:
    return db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name


def _add(db: DB, change: Counter[TallyKey]) -> None:
    if not change:
        return
    table = cast(Table, ReplyTally.__table__)
    statement: Any = (sqlite_insert if _dialect(db) == "sqlite" else postgresql_insert)(table)
    statement = statement.on_conflict_do_update(
        index_elements=["dimension", "month", "key", "reply_days"],
        set_={"n": table.c.n + statement.excluded.n},
    )
    # In key order: two writers adding to the same rows take their locks in the same order.
    db.execute(statement, _as_rows(change))


def _as_rows(counts: Counter[TallyKey]) -> list[dict[str, Any]]:
    """Reply-tally rows to insert, in key order."""
    return [
        {"dimension": d, "month": m, "key": k, "reply_days": r, "n": n}
        for (d, m, k, r), n in sorted(counts.items())
    ]


def refresh_campaign_tallies(db: DB, campaign_ids: Iterable[int]) -> None:
    """Count these campaigns' tallies afresh from their recipients (after their facts changed,
    or a recipient was added or removed): a few hundred small rows a campaign."""
    ids = sorted(set(campaign_ids))
    if not ids:
        return
    # One writer at a time per campaign: on PostgreSQL two writers deleting and inserting the
    # same campaign's rows at once would each miss the other's and count twice. (NO KEY: a
    # writer adding a recipient holds a KEY SHARE lock on the campaign; see lock_letters.)
    db.execute(select(Campaign.id).where(Campaign.id.in_(ids)).with_for_update(key_share=True))
    db.execute(delete(CampaignTally).where(CampaignTally.campaign_id.in_(ids)))
    _count_campaigns(db, ids)


def _count_campaigns(db: DB, ids: list[int] | None) -> None:
    """Insert these campaigns' tallies (all, for None) as their recipients say."""
    columns = [c.key for c in CAMPAIGN_TALLY_COLUMNS]
    rows = [dict(zip(columns, row, strict=True)) for row in campaign_tally_from_recipients(db, ids)]
    for start in range(0, len(rows), BATCH):
        db.execute(insert(CampaignTally), rows[start : start + BATCH])


@event.listens_for(Session, "after_flush")
def _tally_added_and_removed_recipients(session: Session, _context: object) -> None:
    """Recipients added or removed by any writer count at once in their campaigns' tallies:
    nothing that adds a recipient can forget to. (Added or removed, a recipient has no send
    yet, so the reply tallies do not change.)"""
    touched = {
        obj.campaign_id for obj in (*session.new, *session.deleted) if isinstance(obj, Recipient)
    }
    if touched:
        refresh_campaign_tallies(session.connection(), touched)


@event.listens_for(Recipient, "before_insert")
def _party_and_role_as_of_the_letter(
    _mapper: Mapper[Recipient], connection: Connection, recipient: Recipient
) -> None:
    """A recipient added without them (by a test, a script) takes the official's party and
    the role's kind as they are now; the operations that add recipients set them."""
    if recipient.party is None:
        recipient.party = connection.scalar(
            select(Official.party).where(Official.id == recipient.official_id)
        )
    if recipient.role_kind is None and recipient.role_id is not None:
        kind = connection.scalar(select(Role.kind).where(Role.id == recipient.role_id))
        recipient.role_kind = kind.value if kind else None


def _all_letters(db: DB) -> Iterable[Letter]:
    query = select(*LETTER_COLUMNS[1:]).where(Recipient.sent_on.is_not(None))
    for row in db.execute(query):
        yield Letter(*row)


def rebuild_all(db: DB) -> None:
    """Every tally counted afresh from the recipients."""
    db.execute(delete(CampaignTally))
    _count_campaigns(db, None)
    db.execute(delete(ReplyTally))
    rows = _as_rows(tally(_all_letters(db)))
    for start in range(0, len(rows), BATCH):
        db.execute(insert(ReplyTally), rows[start : start + BATCH])


def drifted(db: DB) -> list[str]:
    """The tallies that differ from a count of the recipients afresh (none, unless rows were
    written past the operations)."""
    stored: dict[int, set[tuple[Any, ...]]] = {}
    for row in db.execute(select(*CAMPAIGN_TALLY_COLUMNS)):
        stored.setdefault(row[0], set()).add(tuple(row[1:]))
    counted: dict[int, set[tuple[Any, ...]]] = {}
    for counted_row in campaign_tally_from_recipients(db):
        counted.setdefault(counted_row[0], set()).add(tuple(counted_row[1:]))
    found = [
        f"campaign {cid}"
        for cid in sorted(stored.keys() | counted.keys())
        if stored.get(cid) != counted.get(cid)
    ]
    kept = Counter(
        {
            (d, m, k, r): n
            for d, m, k, r, n in db.execute(
                select(
                    ReplyTally.dimension,
                    ReplyTally.month,
                    ReplyTally.key,
                    ReplyTally.reply_days,
                    ReplyTally.n,
                )
            )
            if n
        }
    )
    expected = tally(_all_letters(db))
    found += [
        f"{d} {m:%Y-%m} {k!r} {r} days: {kept.get(key, 0)} kept, {expected.get(key, 0)} counted"
        for key in sorted(kept.keys() | expected.keys())
        if kept.get(key, 0) != expected.get(key, 0)
        for d, m, k, r in [key]
    ]
    return found
