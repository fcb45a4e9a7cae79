"""The number of SQL statements a page runs does not grow with the data, and every foreign key
and filter column has an index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    FollowUp,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    Role,
    RoleKind,
    User,
    UserRole,
)
from tracker.models.base import Base
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.rules.passwords import FAST_TEST_HASHER


@contextmanager
def counted(connection: sa.Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


def grow(db: Session, campaign: Campaign, size: int) -> Official:
    """``size`` officials as recipients, each with a role, an interaction and a follow-up, the
    interaction recorded by and the follow-up assigned to a user of their own (so a page that
    loads users one at a time shows it)."""
    password_hash = FAST_TEST_HASHER.hash("unused")
    first = None
    for n in range(size):
        official = Official(
            given_name=f"G{n}",
            family_name=f"F{n}",
            name_key=f"g{n} f{n}-{size}",
            party="Liberal",
            province="Ontario",
        )
        user = User(
            email=f"u{n}-{campaign.id}@example.org",
            name=f"User {n}",
            role=UserRole.VOLUNTEER,
            password_hash=password_hash,
        )
        db.add_all([official, user])
        db.flush()
        first = first or official
        db.add(Role(official_id=official.id, kind=RoleKind.MP, title=f"MP {n}", source="members"))
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            position=n,
            addressed_as="x",
            salutation="y",
        )
        db.add(recipient)
        db.flush()
        db.add(
            Interaction(
                official_id=first.id,
                recipient_id=recipient.id,
                kind=InteractionKind.SENT,
                channel=Channel.EMAIL,
                occurred_on=dt.date(2026, 1, 1),
                recorded_by_id=user.id,
            )
        )
        db.add(
            FollowUp(
                official_id=official.id,
                recipient_id=recipient.id,
                due_on=dt.date(2026, 1, 1) + dt.timedelta(days=n % 30),
                assignee_id=user.id,
            )
        )
    refresh_all_facts(db)
    db.commit()
    assert first is not None
    return first


PAGES = [
    "/",
    "/campaigns/",
    "/campaigns/{campaign}",
    "/campaigns/{campaign}/said",
    "/follow-ups/",
    "/follow-ups/?who=all",
    "/follow-ups/?when=upcoming",
    "/follow-ups/?when=overdue&who=all&page=2",
    "/officials/?status=all",
    "/officials/{official}",
    "/reports/",
    "/reports/responsiveness?by=official",
    "/log/?q=g1",
    "/log/{official}",
]


# The follow-ups count their windows only past a window's page, all in one statement
# (queries.follow_ups; bounded_counts reads at most COUNT_CAP + 1 rows a window): one statement
# more at the larger size. Every other page: none, and never one per row or per campaign.
COUNTED_WHEN_LONG = {"/follow-ups/": 1, "/follow-ups/?who=all": 1}
# A window read page by page counts its rows a few pages ahead at any size (one statement).


def is_bounded_count(statement: str) -> bool:
    """A statement of ``bounded_count(s)``: counts over subqueries that stop at their cap."""
    flat = " ".join(statement.split()).lower()
    return flat.startswith("select (select count(*) as count_1 from (select") and " limit " in flat


def page_statements(client: FlaskClient, connection: sa.Connection, path: str) -> tuple[int, int]:
    """The statements a request of ``path`` runs: the bounded counts apart, and the rest."""
    with counted(connection) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    counts = sum(is_bounded_count(statement) for statement in statements)
    return len(statements) - counts, counts


def test_statements_per_page_do_not_grow_with_the_data(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    connection: sa.Connection,
) -> None:
    """Each page runs as many statements with 1,000 recipients, interactions, follow-ups and
    users as with 10 (one dataset for every page: building it is the slow part)."""
    signed_in(UserRole.COORDINATOR)
    counts: dict[str, list[tuple[int, int]]] = {page: [] for page in PAGES}
    for size in (10, 1000):
        campaign = Campaign(title=f"Letter {size}", status=CampaignStatus.ACTIVE)
        db.add(campaign)
        db.flush()
        official = grow(db, campaign, size)
        for page in PAGES:
            path = page.format(campaign=campaign.id, official=official.id)
            client.get(path)  # warm: the first request of a client loads more (sessions, etc.)
            counts[page].append(page_statements(client, connection, path))
    grew = {
        page: found
        for page, found in counts.items()
        if found[1][0] != found[0][0] or found[1][1] > found[0][1] + COUNTED_WHEN_LONG.get(page, 0)
    }
    assert grew == {}, f"(statements, bounded counts) at 10 rows vs 1,000: {grew}"


# The columns pages filter or look rows up by (besides foreign keys): each must lead an index.
FILTER_COLUMNS = [
    ("campaign", "status"),  # campaigns list, dashboard, home
    ("follow_up", "status"),  # overdue follow-ups, everyone's follow-ups
    ("follow_up", "due_on"),
    ("official", "party"),  # directory filters and search
    ("official", "province"),
    ("official", "name_key"),
    ("official", "search_key"),  # name and riding search (scanned in the index, not the table)
    ("official", "sort_key"),  # every list of officials by name
    ("role", "kind"),
    ("import_run", "status"),  # data freshness, the imports page
    ("import_run", "started_at"),
    ("import_review", "status"),
    ("audit_event", "at"),  # the audit page's filters
    ("audit_event", "action"),
    ("sign_in_attempt", "at"),  # throttling windows
    ("user_account", "email"),  # sign-in
    ("user_account", "calendar_token"),  # calendar feeds
    ("interaction", "submission_key"),  # double submissions
]


def _leading_columns(table: sa.Table) -> set[str]:
    leading = {next(c.name for c in index.columns) for index in table.indexes}
    return leading | {
        next(c.name for c in u.columns)
        for u in table.constraints
        if isinstance(u, sa.UniqueConstraint | sa.PrimaryKeyConstraint)
    }


def test_every_foreign_key_and_filter_column_has_an_index() -> None:
    tables = Base.metadata.tables
    missing = [
        f"{table.name}.{fk.parent.name}"
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.parent.name not in _leading_columns(table)
    ]
    missing += [
        f"{name}.{column}"
        for name, column in FILTER_COLUMNS
        if column not in _leading_columns(tables[name])
    ]
    assert missing == []
