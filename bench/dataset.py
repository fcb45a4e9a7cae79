"""A large, realistic dataset: the real House export plus 105 senators and 200 other officials,
200 campaigns, 60,000 recipients, 300,000 interactions, 50,000 follow-ups and 500 users.

Rows go in with Core bulk inserts; the generator is seeded, so every run builds the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from tracker.clock import utcnow
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    Role,
    RoleKind,
    User,
    UserRole,
)
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.rules.passwords import FAST_TEST_HASHER

SIZES = {
    "senators": 105,
    "others": 200,
    "campaigns": 200,
    "recipients": 60_000,
    "interactions": 300_000,
    "follow_ups": 50_000,
    "users": 500,
}
BIG_CAMPAIGN = 450  # recipients of the first campaign
BUSY_OFFICIAL = 2_000  # interactions of the busiest official
BATCH = 10_000
BENCH_PASSWORD = "bench password for every user"  # noqa: S105  (benchmark accounts only)


@dataclass
class Landmarks:
    """Rows the page benchmarks visit."""

    coordinator_email: str
    big_campaign_id: int
    busy_official_id: int
    quick_log_official_id: int


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(sa.insert(table), rows[start : start + BATCH])


def _extra_officials(conn: sa.Connection, now: dt.datetime) -> None:
    rows = []
    for n in range(SIZES["senators"] + SIZES["others"]):
        rows.append(
            {
                "given_name": f"Given{n}",
                "family_name": f"Family{n}",
                "name_key": f"given{n} family{n}",
                "offices": [],
                "edited_fields": [],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    _insert(conn, Official.__table__, rows)  # type: ignore[arg-type]
    ids = list(conn.scalars(sa.select(Official.id).where(Official.name_key.like("given%"))))
    _insert(
        conn,
        Role.__table__,
        [  # type: ignore[arg-type]
            {
                "official_id": oid,
                "kind": RoleKind.SENATOR if n < SIZES["senators"] else RoleKind.PUBLIC_SERVANT,
                "title": "Senator" if n < SIZES["senators"] else "Director",
                "source": "manual",
                "created_at": now,
            }
            for n, oid in enumerate(ids)
        ],
    )


def _users(conn: sa.Connection, now: dt.datetime) -> list[int]:
    password_hash = FAST_TEST_HASHER.hash(BENCH_PASSWORD)
    _insert(
        conn,
        User.__table__,
        [  # type: ignore[arg-type]
            {
                "email": f"user{n}@bench.example",
                "name": f"User {n}",
                "role": UserRole.COORDINATOR if n < 50 else UserRole.VOLUNTEER,
                "password_hash": password_hash,
                "is_active": True,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(SIZES["users"])
        ],
    )
    return list(conn.scalars(sa.select(User.id).order_by(User.id)))


def _campaigns(
    conn: sa.Connection, rng: random.Random, owners: list[int], now: dt.datetime
) -> list[int]:
    start = dt.date(2023, 1, 2)
    _insert(
        conn,
        Campaign.__table__,
        [  # type: ignore[arg-type]
            {
                "title": f"Letter {n}: campaign on topic {n % 37}",
                "letter_on": start + dt.timedelta(days=5 * n),
                "status": CampaignStatus.ACTIVE if n >= 180 or n == 0 else CampaignStatus.CLOSED,
                "owner_id": rng.choice(owners[:50]),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(SIZES["campaigns"])
        ],
    )
    return list(conn.scalars(sa.select(Campaign.id).order_by(Campaign.id)))


def _recipients(
    conn: sa.Connection,
    rng: random.Random,
    campaigns: list[int],
    officials: list[int],
    busy: int,
    now: dt.datetime,
) -> None:
    rest = (SIZES["recipients"] - BIG_CAMPAIGN) // (len(campaigns) - 1)
    rows = []
    for position, cid in enumerate(campaigns):
        size = BIG_CAMPAIGN if position == 0 else rest
        chosen = [busy, *rng.sample([o for o in officials if o != busy], size - 1)]
        rows += [
            {
                "campaign_id": cid,
                "official_id": oid,
                "position": i,
                "addressed_as": f"Official {oid}",
                "salutation": "Dear Official",
                "language": "en",
                "created_at": now,
            }
            for i, oid in enumerate(chosen)
        ]
    _insert(conn, Recipient.__table__, rows)  # type: ignore[arg-type]


def _interactions(
    conn: sa.Connection, rng: random.Random, users: list[int], busy: int, now: dt.datetime
) -> None:
    recipients = conn.execute(
        sa.select(Recipient.id, Recipient.official_id, Campaign.letter_on).join(Campaign)
    ).all()
    kinds = [
        InteractionKind.REPLY_RECEIVED,
        InteractionKind.NOTE,
        InteractionKind.CALL,
        InteractionKind.MEETING_REQUESTED,
        InteractionKind.MEETING_HELD,
    ]
    rows: list[dict[str, object]] = []
    busy_rows = [r for r in recipients if r.official_id == busy]
    for n in range(SIZES["interactions"]):
        rid, oid, letter_on = (
            busy_rows[n % len(busy_rows)] if n < BUSY_OFFICIAL else recipients[n % len(recipients)]
        )
        first = n >= BUSY_OFFICIAL and n < BUSY_OFFICIAL + len(recipients)
        kind = InteractionKind.SENT if first or n < len(busy_rows) else rng.choice(kinds)
        rows.append(
            {
                "official_id": oid,
                "recipient_id": rid,
                "kind": kind,
                "occurred_on": letter_on + dt.timedelta(days=rng.randint(0, 60)),
                "channel": Channel.EMAIL if kind is InteractionKind.SENT else None,
                "reply_class": ReplyClass.SUBSTANTIVE
                if kind is InteractionKind.REPLY_RECEIVED
                else None,
                "summary": f"Entry {n}: what was said, in a sentence or two.",
                "recorded_by_id": rng.choice(users),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    _insert(conn, Interaction.__table__, rows)  # type: ignore[arg-type]


def _follow_ups(
    conn: sa.Connection, rng: random.Random, users: list[int], now: dt.datetime
) -> None:
    recipients = conn.execute(sa.select(Recipient.id, Recipient.official_id)).all()
    today = dt.date.today()
    _insert(
        conn,
        FollowUp.__table__,
        [  # type: ignore[arg-type]
            {
                "official_id": recipients[n % len(recipients)].official_id,
                "recipient_id": recipients[n % len(recipients)].id,
                "due_on": today + dt.timedelta(days=rng.randint(-60, 60)),
                # The benchmark coordinator (the first user) gets a realistic 100 of them.
                "assignee_id": users[0] if n < 100 else rng.choice(users),
                "created_by_id": users[0],
                "note": "Call the office",
                "status": FollowUpStatus.OPEN if n % 3 else FollowUpStatus.DONE,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(SIZES["follow_ups"])
        ],
    )


def build(sessions: sessionmaker[sa.orm.Session], engine: sa.Engine, seed: int = 7) -> Landmarks:
    """Fill an empty, migrated database; returns the rows the benchmarks visit."""
    folder, as_of = bundled_snapshot()
    run_officials_import(sessions, ImportOptions(from_dir=folder, as_of=as_of))
    rng = random.Random(seed)  # deterministic data, not security: noqa-free by design
    now = utcnow()
    with engine.begin() as conn:
        _extra_officials(conn, now)
        users = _users(conn, now)
        campaigns = _campaigns(conn, rng, users, now)
        officials = list(conn.scalars(sa.select(Official.id).order_by(Official.id)))
        busy = officials[0]
        _recipients(conn, rng, campaigns, officials, busy, now)
        _interactions(conn, rng, users, busy, now)
        # Rows were inserted in bulk, past the operations: bring the stored facts up to date
        # the way `hilltrack recount` does.
        refresh_all_facts(conn)
        _follow_ups(conn, rng, users, now)
        quick = conn.scalar(
            sa.select(Recipient.official_id)
            .where(Recipient.campaign_id == campaigns[0])
            .offset(5)
            .limit(1)
        )
    if engine.dialect.name == "postgresql":
        # What autovacuum does a little after any bulk load: without statistics the planner
        # takes 30,000 open follow-ups for 40 and plans accordingly. (SQLite keeps none unless
        # asked; Hilltrack's indexes are chosen to be picked without them.)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return Landmarks("user0@bench.example", campaigns[0], busy, quick or busy)
