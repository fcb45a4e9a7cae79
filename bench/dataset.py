"""A large, realistic dataset: the real House export plus 105 senators and 200 other officials,
200 campaigns, 60,000 recipients, 300,000 interactions, 50,000 follow-ups and 500 users, with the
mail that went out and came back (letters, jobs, messages in triage); ``scale`` multiplies
every one of these (the officials excepted: Parliament does not grow with a coalition).

What a page shows stays the same at every scale, so that its time can be compared: the first
campaign has 450 recipients, the busiest official 2,000 interactions of their own beyond the
campaigns', the benchmark coordinator 100 follow-ups.

Rows go in with Core bulk inserts, a batch at a time (3,000,000 interactions at 10x do not fit
in memory as dictionaries); the generator is seeded, so every run builds the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from importers.names import search_key, sort_key
from tracker import clock
from tracker.clock import utcnow
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    FollowUp,
    FollowUpStatus,
    InboundKind,
    InboundMessage,
    InboundState,
    Interaction,
    InteractionKind,
    Job,
    JobState,
    Letter,
    LetterState,
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
    "letters": 6_000,  # the e-mailed letters of the latest campaigns
    "messages": 3_000,  # mail that came back, 1 in 30 waiting for triage
    "jobs": 1_000,
}
FIXED = ("senators", "others")  # officials: the same at every scale


def sizes(scale: int = 1) -> dict[str, int]:
    """The dataset's sizes at ``scale`` times the coalition."""
    return {name: n if name in FIXED else n * scale for name, n in SIZES.items()}


BIG_CAMPAIGN = 450  # recipients of the first campaign
BUSY_OFFICIAL = 2_000  # interactions of the busiest official, beside the campaigns'
MY_FOLLOW_UPS = 100  # the benchmark coordinator's
ACTIVE_PER_200 = 20  # the latest tenth of the campaigns are active, and the first one
SPAN_DAYS = 1_000  # the campaigns' letters span this many days, at every scale
BATCH = 10_000
BENCH_PASSWORD = "bench password for every user"  # noqa: S105  (benchmark accounts only)


@dataclass
class Landmarks:
    """Rows the page benchmarks visit."""

    coordinator_email: str
    big_campaign_id: int
    busy_official_id: int
    quick_log_official_id: int
    quick_log_recipient_id: int  # the big campaign's row of that official, which the POST logs on


def _insert(conn: sa.Connection, table: Any, rows: Iterable[dict[str, object]]) -> None:
    """Insert ``rows`` a batch at a time, never holding more than a batch."""
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            conn.execute(sa.insert(table), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(table), batch)


def _extra_officials(conn: sa.Connection, size: dict[str, int], now: dt.datetime) -> None:
    count = size["senators"] + size["others"]
    _insert(
        conn,
        Official.__table__,
        (
            {
                "given_name": f"Given{n}",
                "family_name": f"Family{n}",
                "name_key": f"given{n} family{n}",
                # Core inserts pass the models' writer hook by: the keys it keeps, by its rule.
                "search_key": search_key(f"Given{n}", f"Family{n}"),
                "sort_key": sort_key(f"Family{n}", f"Given{n}"),
                "offices": [],
                "edited_fields": [],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(count)
        ),
    )
    ids = list(conn.scalars(sa.select(Official.id).where(Official.name_key.like("given%"))))
    _insert(
        conn,
        Role.__table__,
        (
            {
                "official_id": oid,
                "kind": RoleKind.SENATOR if n < size["senators"] else RoleKind.PUBLIC_SERVANT,
                "title": "Senator" if n < size["senators"] else "Director",
                "search_key": search_key("Senator" if n < size["senators"] else "Director"),
                "source": "manual",
                "created_at": now,
            }
            for n, oid in enumerate(ids)
        ),
    )


def _users(conn: sa.Connection, size: dict[str, int], now: dt.datetime) -> list[int]:
    password_hash = FAST_TEST_HASHER.hash(BENCH_PASSWORD)
    coordinators = size["users"] // 10
    _insert(
        conn,
        User.__table__,
        (
            {
                "email": f"user{n}@bench.example",
                "name": f"User {n}",
                "role": UserRole.COORDINATOR if n < coordinators else UserRole.VOLUNTEER,
                "password_hash": password_hash,
                "is_active": True,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(size["users"])
        ),
    )
    return list(conn.scalars(sa.select(User.id).order_by(User.id)))


def _campaigns(
    conn: sa.Connection,
    rng: random.Random,
    size: dict[str, int],
    owners: list[int],
    now: dt.datetime,
) -> list[int]:
    """Campaigns evenly over the last SPAN_DAYS (ten times the coalition writes ten times as
    often, not for ten times as long), the latest tenth active, as is the first: the big one."""
    count = size["campaigns"]
    active_from = count - count * ACTIVE_PER_200 // 200
    start = clock.today() - dt.timedelta(days=SPAN_DAYS + 60)
    _insert(
        conn,
        Campaign.__table__,
        (
            {
                "title": f"Letter {n}: campaign on topic {n % 37}",
                "letter_on": start + dt.timedelta(days=n * SPAN_DAYS // count),
                "status": CampaignStatus.ACTIVE
                if n >= active_from or n == 0
                else CampaignStatus.CLOSED,
                "owner_id": rng.choice(owners[: len(owners) // 10]),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(count)
        ),
    )
    return list(conn.scalars(sa.select(Campaign.id).order_by(Campaign.id)))


def _recipients(
    conn: sa.Connection,
    rng: random.Random,
    size: dict[str, int],
    campaigns: list[int],
    officials: list[int],
    busy: int,
    now: dt.datetime,
) -> None:
    rest = (size["recipients"] - BIG_CAMPAIGN) // (len(campaigns) - 1)
    others = [o for o in officials if o != busy]
    party: dict[int, str | None] = dict(
        conn.execute(sa.select(Official.id, Official.party)).tuples().all()
    )

    def rows() -> Iterator[dict[str, object]]:
        for position, cid in enumerate(campaigns):
            count = BIG_CAMPAIGN if position == 0 else rest
            for i, oid in enumerate([busy, *rng.sample(others, count - 1)]):
                yield {
                    "campaign_id": cid,
                    "official_id": oid,
                    "party": party[oid],  # as of the letter, as the app records it
                    "position": i,
                    "addressed_as": f"Official {oid}",
                    "salutation": "Dear Official",
                    "language": "en",
                    "created_at": now,
                }

    _insert(conn, Recipient.__table__, rows())


KINDS = [
    InteractionKind.REPLY_RECEIVED,
    InteractionKind.NOTE,
    InteractionKind.CALL,
    InteractionKind.MEETING_REQUESTED,
    InteractionKind.MEETING_HELD,
]


def _interactions(
    conn: sa.Connection,
    rng: random.Random,
    size: dict[str, int],
    users: list[int],
    busy: int,
    now: dt.datetime,
) -> None:
    """Each recipient sent the letter once, the busiest official 2,000 entries besides, and the
    rest spread over every recipient."""
    recipients = conn.execute(
        sa.select(Recipient.id, Recipient.official_id, Campaign.letter_on, Campaign.id)
        .join(Campaign)
        .order_by(Recipient.id)
    ).all()
    busy_rows = [r for r in recipients if r.official_id == busy]

    def rows() -> Iterator[dict[str, object]]:
        for n in range(size["interactions"]):
            rid, oid, letter_on, campaign_id = (
                busy_rows[n % len(busy_rows)]
                if n < BUSY_OFFICIAL
                else recipients[(n - BUSY_OFFICIAL) % len(recipients)]
            )
            first = BUSY_OFFICIAL <= n < BUSY_OFFICIAL + len(recipients)
            kind = InteractionKind.SENT if first else rng.choice(KINDS)
            yield {
                "official_id": oid,
                "recipient_id": rid,
                "campaign_id": campaign_id,
                "kind": kind,
                "occurred_on": letter_on + dt.timedelta(days=0 if first else rng.randint(0, 60)),
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

    _insert(conn, Interaction.__table__, rows())


def _follow_ups(
    conn: sa.Connection,
    rng: random.Random,
    size: dict[str, int],
    users: list[int],
    now: dt.datetime,
) -> None:
    recipients = conn.execute(
        sa.select(Recipient.id, Recipient.official_id).order_by(Recipient.id)
    ).all()
    today = clock.today()
    _insert(
        conn,
        FollowUp.__table__,
        (
            {
                "official_id": recipients[n % len(recipients)].official_id,
                "recipient_id": recipients[n % len(recipients)].id,
                "due_on": today + dt.timedelta(days=rng.randint(-60, 60)),
                # The benchmark coordinator (the first user) has a realistic 100 of them.
                "assignee_id": users[0] if n < MY_FOLLOW_UPS else rng.choice(users[1:]),
                "created_by_id": users[0],
                "note": "Call the office",
                "status": FollowUpStatus.OPEN if n % 3 else FollowUpStatus.DONE,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(size["follow_ups"])
        ),
    )


def _mail(
    conn: sa.Connection,
    size: dict[str, int],
    campaigns: list[int],
    users: list[int],
    now: dt.datetime,
) -> None:
    """The latest campaigns' letters sent by e-mail, a job for each batch, and the mail that
    came back: most of it placed, 1 in 30 messages waiting in triage."""
    recipients = conn.execute(
        sa.select(Recipient.id, Recipient.campaign_id)
        .where(Recipient.campaign_id != campaigns[0])
        .order_by(Recipient.id.desc())
        .limit(size["letters"])
    ).all()
    _insert(
        conn,
        Job.__table__,
        (
            {
                "kind": "letters",
                "params": {"campaign_id": campaigns[-1]},
                "state": JobState.DONE if n % 50 else JobState.FAILED,
                "requested_by_id": users[0],
                "created_at": now - dt.timedelta(minutes=n),
                "attempts": 1,
                "outcome": "Sent 30 letters.",
            }
            for n in range(size["jobs"])
        ),
    )
    _insert(
        conn,
        Letter.__table__,
        (
            {
                "campaign_id": cid,
                "recipient_id": rid,
                "state": LetterState.SENT,
                "to_address": f"official{rid}@parl.example",
                "language": "en",
                "token": f"{rid}-bench",
                "message_id": f"<hilltrack.{rid}-bench@coalition.example>",
                "requested_by_id": users[0],
                "queued_at": now,
                "attempts": 1,
                "finished_at": now,
            }
            for rid, cid in recipients
        ),
    )
    placed = [rid for rid, _cid in recipients]
    _insert(
        conn,
        InboundMessage.__table__,
        (
            {
                "message_id": f"<reply{n}@parl.example>",
                "digest": f"{n:064x}",
                "raw_path": f"raw/{n}.eml",
                "size": 4_000,
                "source": "imap:INBOX",
                "received_at": now - dt.timedelta(minutes=n),
                "from_address": f"office{n % 900}@parl.example",
                "from_name": f"Office {n % 900}",
                "subject": "Re: our letter",
                "text": "Thank you for your letter; the minister will read it.",
                "kind": InboundKind.REPLY,
                "state": InboundState.TRIAGE if n % 30 == 0 else InboundState.PLACED,
                "recipient_id": None if n % 30 == 0 else placed[n % len(placed)],
                "guess_recipient_id": placed[n % len(placed)] if n % 30 == 0 else None,
            }
            for n in range(size["messages"])
        ),
    )


def build(
    sessions: sessionmaker[sa.orm.Session], engine: sa.Engine, seed: int = 7, scale: int = 1
) -> Landmarks:
    """Fill an empty, migrated database; returns the rows the benchmarks visit."""
    size = sizes(scale)
    folder, as_of = bundled_snapshot()
    run_officials_import(sessions, ImportOptions(from_dir=folder, as_of=as_of))
    rng = random.Random(seed)  # deterministic data, not security: noqa-free by design
    now = utcnow()
    with engine.begin() as conn:
        _extra_officials(conn, size, now)
        users = _users(conn, size, now)
        campaigns = _campaigns(conn, rng, size, users, now)
        officials = list(conn.scalars(sa.select(Official.id).order_by(Official.id)))
        busy = officials[0]
        _recipients(conn, rng, size, campaigns, officials, busy, now)
        _interactions(conn, rng, size, users, busy, now)
        # Rows were inserted in bulk, past the operations: bring the stored facts up to date
        # the way `hilltrack recount` does.
        refresh_all_facts(conn)
        _follow_ups(conn, rng, size, users, now)
        _mail(conn, size, campaigns, users, now)
        quick_recipient, quick_official = conn.execute(
            sa.select(Recipient.id, Recipient.official_id)
            .where(Recipient.campaign_id == campaigns[0])
            .order_by(Recipient.position)
            .offset(5)
            .limit(1)
        ).one()
    if engine.dialect.name == "postgresql":
        # What autovacuum does a little after any bulk load: without statistics the planner
        # takes 30,000 open follow-ups for 40 and plans accordingly; without the map of pages
        # all visible (VACUUM), a read from an index alone still visits every row, as no
        # settled database does. (SQLite keeps no statistics unless asked; Hilltrack's indexes
        # are chosen to be picked without them.)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return Landmarks("user0@bench.example", campaigns[0], busy, quick_official, quick_recipient)
