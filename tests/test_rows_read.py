"""A page that shows the same amount reads the same rows, whatever the size of the log.

Counting statements (test_query_counts.py) misses a page that runs one statement over the whole
log. On PostgreSQL this test counts the rows each request reads: the growth of
`seq_tup_read + idx_tup_fetch` in `pg_stat_xact_user_tables` (this transaction's own counters,
exact and private to the test) around the request. It builds a log larger than every page's
bounds, measures each flat page, doubles the log (1,100 more campaigns, their recipients and
sends, everyone's follow-ups, messages in triage, jobs, users), and measures again: a page that
reads more rows the second time grows with the log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.conftest import csrf_token_from
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
    Official,
    Recipient,
    Role,
    RoleKind,
    User,
    UserRole,
)
from tracker.operations.recipient_facts import refresh_facts
from tracker.queries.pagination import COUNT_CAP
from tracker.web.fragments import forget_drawn

# Each growth step adds this many campaigns (and as many of everything else): past every count
# cap and page, so that the first size already shows all a page can show.
STEP = COUNT_CAP + 100
SHOWN_RECIPIENTS = 60  # the campaign page's, the same at both sizes


@pytest.fixture(autouse=True)
def _postgres_only(connection: sa.Connection) -> None:
    if connection.dialect.name != "postgresql":
        pytest.skip("rows read are counted by PostgreSQL's statistics views")


@dataclass
class Landmarks:
    campaign_id: int
    busy_official_id: int
    quick_recipient_id: int
    quick_official_id: int
    others: list[int]  # three officials each grown campaign is addressed to, besides the busiest


def rows_read(connection: sa.Connection) -> dict[str, int]:
    """Rows read so far in this transaction, per table."""
    return dict(
        connection.execute(
            sa.text(
                "SELECT relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
                "FROM pg_stat_xact_user_tables"
            )
        ).all()
    )


def read_by(connection: sa.Connection, request: Callable[[], object]) -> dict[str, int]:
    """The rows ``request`` reads, per table (tables it does not read left out)."""
    before = rows_read(connection)
    request()
    after = rows_read(connection)
    return {t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)}


def _insert(connection: sa.Connection, model: type, rows: list[dict[str, object]]) -> list[int]:
    table = model.__table__  # type: ignore[attr-defined]
    return list(connection.scalars(sa.insert(table).returning(table.c.id), rows))


def _officials(connection: sa.Connection, prefix: str, n: int) -> list[int]:
    now = utcnow()
    ids = _insert(
        connection,
        Official,
        [
            {
                "given_name": f"{prefix}{k}",
                "family_name": "Member",
                "name_key": f"{prefix}{k} member",
                "party": "Liberal",
                "province": "Ontario",
                "offices": [],
                "edited_fields": [],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for k in range(n)
        ],
    )
    _insert(
        connection,
        Role,
        [
            {
                "official_id": oid,
                "kind": RoleKind.MP,
                "title": "Member of Parliament",
                "source": "members",
                "created_at": now,
            }
            for oid in ids
        ],
    )
    return ids


def _campaign_with_sends(
    connection: sa.Connection, title: str, officials: list[int], status: CampaignStatus
) -> tuple[int, list[int]]:
    now = utcnow()
    (campaign_id,) = _insert(
        connection,
        Campaign,
        [
            {
                "title": title,
                "letter_on": clock.today() - dt.timedelta(days=40),
                "status": status,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        ],
    )
    recipients = _insert(
        connection,
        Recipient,
        [
            {
                "campaign_id": campaign_id,
                "official_id": oid,
                "position": k,
                "addressed_as": "x",
                "salutation": "y",
                "language": "en",
                "created_at": now,
            }
            for k, oid in enumerate(officials)
        ],
    )
    return campaign_id, recipients


def _send(
    campaign_id: int, recipient_id: int, official_id: int, kind: InteractionKind
) -> dict[str, object]:
    now = utcnow()
    return {
        "official_id": official_id,
        "recipient_id": recipient_id,
        "campaign_id": campaign_id,  # the recipient's, as the ORM would copy it
        "kind": kind,
        "channel": Channel.EMAIL if kind is InteractionKind.SENT else None,
        "occurred_on": clock.today() - dt.timedelta(days=30),
        "summary": "What was said",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def base(connection: sa.Connection, coordinator: User) -> Landmarks:
    """What the pages show: a campaign of 60, its sends, the coordinator's 20 follow-ups."""
    officials = _officials(connection, "Shown", SHOWN_RECIPIENTS)
    campaign_id, recipients = _campaign_with_sends(
        connection, "The letter shown", officials, CampaignStatus.ACTIVE
    )
    _insert(
        connection,
        Interaction,
        [
            _send(campaign_id, rid, oid, InteractionKind.SENT)
            for rid, oid in zip(recipients, officials, strict=True)
        ],
    )
    today, now = clock.today(), utcnow()
    _insert(
        connection,
        FollowUp,
        [
            {
                "official_id": officials[k],
                "recipient_id": recipients[k],
                "due_on": today + dt.timedelta(days=k - 10),
                "assignee_id": coordinator.id,
                "created_by_id": coordinator.id,
                "note": "Call the office",
                "status": FollowUpStatus.OPEN,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for k in range(20)
        ],
    )
    others = _officials(connection, "Other", 3)
    # Logged by the quick-log POST: a letter of its own, which no other measured page reads
    # (each save rewrites the recipient's facts, and a row rewritten in this transaction costs
    # another page a version to step over, which is the test's doing, not the log's).
    quick_official = _officials(connection, "Quick", 1)
    _, (quick_recipient,) = _campaign_with_sends(
        connection, "The letter logged", quick_official, CampaignStatus.ACTIVE
    )
    refresh_facts(connection, [*recipients, quick_recipient])
    return Landmarks(campaign_id, officials[0], quick_recipient, quick_official[0], others)


def grow(connection: sa.Connection, marks: Landmarks, step: int) -> None:
    """``step`` more closed campaigns, each addressed to the busiest official (the shown
    campaign's first) and 3 others, with their sends and a reply from the busiest official; 3
    open follow-ups each (overdue, due today, upcoming) for other people; as many messages in
    triage, jobs done and users."""
    now, today = utcnow(), clock.today()
    others = marks.others
    users = _insert(
        connection,
        User,
        [
            {
                "email": f"grown{k}-{now.timestamp()}@example.org",
                "name": f"Grown {k}",
                "role": UserRole.VOLUNTEER,
                "password_hash": "x",
                "is_active": True,
                "session_version": 1,
                "last_login_at": now - dt.timedelta(minutes=k),
                "created_at": now,
                "updated_at": now,
            }
            for k in range(step)
        ],
    )
    sends, follow_ups, messages, grown = [], [], [], []
    for k in range(step):
        addressed = [marks.busy_official_id, *others]
        grown_id, recipients = _campaign_with_sends(
            connection, f"Grown {k}", addressed, CampaignStatus.CLOSED
        )
        grown += recipients
        sends += [
            _send(grown_id, rid, oid, InteractionKind.SENT)
            for rid, oid in zip(recipients, addressed, strict=True)
        ]
        sends.append(_send(grown_id, recipients[0], marks.busy_official_id, InteractionKind.NOTE))
        follow_ups += [
            {
                "official_id": marks.busy_official_id,
                "recipient_id": recipients[0],
                "due_on": today + dt.timedelta(days=days),
                "assignee_id": users[k],
                "created_by_id": users[k],
                "note": "Chase",
                "status": FollowUpStatus.OPEN,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for days in (-5, 0, 5)
        ]
        messages.append(
            {
                "message_id": f"<grown{k}-{now.timestamp()}@example.org>",
                "digest": f"{now.timestamp()}-{k}",
                "raw_path": "raw/none.eml",
                "size": 100,
                "source": "ingest",
                "received_at": now,
                "kind": InboundKind.REPLY,
                "state": InboundState.TRIAGE,
            }
        )
    _insert(connection, Interaction, sends)
    _insert(connection, FollowUp, follow_ups)
    _insert(connection, InboundMessage, messages)
    _insert(
        connection,
        Job,
        [
            {"kind": "import", "params": {}, "state": JobState.DONE, "created_at": now}
            for _ in range(step)
        ],
    )
    # Only the new letters' facts: the rows the pages show are left as they were, as they are
    # when a coalition's log grows around them.
    refresh_facts(connection, grown)
    # What autovacuum does after a load: the planner sees the tables as they now are.
    connection.exec_driver_sql("ANALYZE")
    # A few thousand rows fit in a handful of pages, and PostgreSQL rightly scans such a table
    # whole; at a coalition's size it would use an index. Discouraging whole-table scans makes
    # the planner take, now, the index path it takes then; where no index serves, it still
    # scans the table, and the rows read show it.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    # And joins row by row through the indexes, as a page of 50 is joined at any size: a hash or
    # merge join's choice between two equal plans can step over a few rows more or less.
    connection.exec_driver_sql("SET LOCAL enable_hashjoin = off")
    connection.exec_driver_sql("SET LOCAL enable_mergejoin = off")


def forget_quick_logs(connection: sa.Connection, marks: Landmarks) -> None:
    """The quick-log POSTs' own notes: each size starts from the same recipient history, so
    that only the log around it differs."""
    connection.execute(sa.delete(Interaction).where(Interaction.submission_key.like("rows-read-%")))
    refresh_facts(connection, [marks.quick_recipient_id])


@pytest.fixture
def log_pages(
    client: FlaskClient, signed_in: Callable[[UserRole], User], connection: sa.Connection
) -> tuple[Landmarks, dict[str, Callable[[], object]]]:
    coordinator = signed_in(UserRole.COORDINATOR)
    marks = base(connection, coordinator)

    def get(path: str) -> Callable[[], object]:
        def request() -> None:
            response = client.get(path)
            assert response.status_code == 200, path

        return request

    def drawn_afresh(path: str) -> Callable[[], object]:
        def request() -> None:  # as after a write to what its rows show
            forget_drawn(client.application)
            get(path)()

        return request

    counter = iter(range(10**6))
    token = csrf_token_from(client.get(f"/log/{marks.quick_official_id}").get_data(as_text=True))

    def quick_log() -> None:
        response = client.post(
            f"/log/{marks.quick_official_id}",
            data={
                "recipient_id": str(marks.quick_recipient_id),
                "kind": "note",
                "occurred_on": clock.today().isoformat(),
                "channel": "",
                "reply_class": "",
                "summary": "Called the office",
                "submission_key": f"rows-read-{next(counter)}",
                "csrf_token": token,
            },
        )
        assert response.status_code == 302, re.findall(
            r"field-error[^<]*<[^<]*", response.get_data(as_text=True)
        )

    pages = {
        "home": get("/"),
        "campaigns list": get("/campaigns/"),
        "campaign page": get(f"/campaigns/{marks.campaign_id}"),
        "campaign page, rows drawn afresh": drawn_afresh(f"/campaigns/{marks.campaign_id}"),
        "official page": get(f"/officials/{marks.busy_official_id}"),
        "my follow-ups": get("/follow-ups/"),
        "everyone's follow-ups": get("/follow-ups/?who=all"),
        "officials directory": get("/officials/"),
        "quick-log form": get(f"/log/{marks.quick_official_id}"),
        "quick-log POST": quick_log,
        "the campaign's letters": get(f"/campaigns/{marks.campaign_id}/letters/"),
        "queue": get("/queue/"),
        "mail triage": get("/mail/triage"),
        "mail page": get("/mail/"),
        "mail page, waiting": get("/mail/?show=waiting"),
        "mail page, unreadable": get("/mail/?show=unreadable"),
    }
    return marks, pages


def test_flat_pages_read_no_more_rows_from_a_log_twice_as_long(
    log_pages: tuple[Landmarks, dict[str, Callable[[], object]]], connection: sa.Connection
) -> None:
    marks, pages = log_pages
    measured: dict[int, dict[str, dict[str, int]]] = {}
    for size in (1, 2):
        forget_quick_logs(connection, marks)
        grow(connection, marks, STEP)
        # The planner's statistics as a server keeps them, of the rows this transaction holds:
        # autovacuum, analysing the tables other tests left empty, would otherwise plan whole
        # scans of them at one size and not the other, whichever minute it ran.
        connection.exec_driver_sql("ANALYZE")
        for request in pages.values():
            request()  # warm: a first request loads more (the session, the catalogue)
        measured[size] = {name: read_by(connection, request) for name, request in pages.items()}
    grew = {
        name: (measured[1][name], measured[2][name])
        for name in pages
        if sum(measured[2][name].values()) > sum(measured[1][name].values())
    }
    assert grew == {}, (
        "rows read (first size, then twice the log), by page and table:\n"
        + "\n".join(f"{name}: {first} then {second}" for name, (first, second) in grew.items())
    )


def test_a_page_that_reads_the_whole_log_is_caught(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    connection: sa.Connection,
) -> None:
    """The measure sees growth where there is some: the interactions export reads every entry."""
    marks = base(connection, signed_in(UserRole.COORDINATOR))
    export = "/exports/interactions.csv"
    reads = []
    for _size in (1, 2):
        grow(connection, marks, 50)
        client.get(export).get_data()
        reads.append(read_by(connection, lambda: client.get(export).get_data()))
    assert reads[1]["interaction"] > reads[0]["interaction"] >= 50
