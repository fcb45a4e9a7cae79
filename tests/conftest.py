"""Shared fixtures: a migrated schema per run, a rolled-back transaction per test."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests import queues
from tests.letters import LetterCampaign, Replied, by_official, reply_arrives, sent_letters
from tracker import create_app
from tracker.cli import alembic_config
from tracker.models import Interaction, Letter, Recipient, User, UserRole
from tracker.operations.recipient_facts import drifted_recipients
from tracker.operations.tallies import drifted as drifted_tallies
from tracker.rules.passwords import FAST_TEST_HASHER
from tracker.web.db import make_engine, state

# The suite never reads the shell's TRACKER_* settings: with TRACKER_DATABASE_URL naming an
# operator's database, a test that runs the migrations would run them there. Its own settings
# (HILLTRACK_TEST_POSTGRES_URL, ...) carry another prefix. Scrubbed before any app is built.
for _name in [name for name in os.environ if name.startswith("TRACKER_")]:
    del os.environ[_name]

PASSWORD = "a long enough test password"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="database to run against; postgres reads HILLTRACK_TEST_POSTGRES_URL",
    )


def pytest_configure(config: pytest.Config) -> None:
    queues.RUN["database"] = config.getoption("--db")


def on_postgres_server(url: str, *statements: str) -> None:
    server = sa.create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    server.dispose()


def fresh_postgres_database(url: str) -> str:
    """A new database for this run only (named after the process), so runs never collide."""
    target = make_url(url)
    name = f"{target.database}_{os.getpid()}"
    on_postgres_server(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    return target.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.config.getoption("--db") != "postgres":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'hilltrack-test.sqlite3'}"
        return
    url = os.environ.get("HILLTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.exit("--db postgres needs HILLTRACK_TEST_POSTGRES_URL", returncode=4)
    fresh = fresh_postgres_database(url)
    yield fresh
    on_postgres_server(url, f'DROP DATABASE IF EXISTS "{make_url(fresh).database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    command.upgrade(alembic_config(database_url), "head")
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        without_autovacuum(engine)
    yield engine
    engine.dispose()


def without_autovacuum(engine: sa.Engine) -> None:
    """Every test rolls back, so the run's tables fill with dead rows that autovacuum would
    clean and analyse while tests run: its statistics, written in place, would change a
    running test's query plans (tests/test_rows_read.py reads a plan's rows) at whichever
    minute it came. The run's own database has nothing for it to keep."""
    with engine.begin() as conn:
        tables = conn.exec_driver_sql(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
        ).scalars()
        for table in list(tables):
            conn.exec_driver_sql(
                f"ALTER TABLE {table} SET (autovacuum_enabled = false,"
                " toast.autovacuum_enabled = false)"
            )


@pytest.fixture
def connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        _assert_statuses_match_the_log(conn)
        transaction.rollback()


def _assert_statuses_match_the_log(conn: sa.Connection) -> None:
    """After every test: each recipient's stored status is what its interactions say, each
    campaign's tally what its recipients say, and each entry's campaign its recipient's, so no
    operation that writes interactions or recipients can forget to keep them (see
    operations.recipient_facts, and the Interaction model's campaign)."""
    try:
        drifted = drifted_recipients(conn)
        tallies = drifted_tallies(conn)
        misplaced = list(conn.execute(_ENTRIES_OUTSIDE_THEIR_CAMPAIGN).scalars())
    except sa.exc.DBAPIError:
        return  # the test left its transaction failed on purpose; nothing to compare
    assert drifted == [], f"stored status out of step with the log for recipients {drifted}"
    assert tallies == [], f"tallies out of step with the recipients: {tallies}"
    assert misplaced == [], f"entries whose campaign is not their recipient's: {misplaced}"


# Entries whose campaign (kept for the campaign's index) is not their recipient's.
_ENTRIES_OUTSIDE_THEIR_CAMPAIGN = (
    sa.select(Interaction.id)
    .outerjoin(Recipient, Recipient.id == Interaction.recipient_id)
    .where(Interaction.campaign_id.is_distinct_from(Recipient.campaign_id))
)


@pytest.fixture
def test_config(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "PASSWORD_HASHER": "fast-insecure-for-tests",
        # Figures computed for every request; tests/test_fragments.py covers reusing them.
        "REPORTS_CACHE_SECONDS": 0,
        # Jobs run inside the request that queues them; tests/test_queue.py runs real queues.
        "QUEUE_IMMEDIATE": True,
    }


@pytest.fixture
def instance_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def app(
    connection: sa.Connection, test_config: dict[str, Any], instance_path: Path
) -> Iterator[Flask]:
    """The app, with every session joined to the test's transaction."""
    app = create_app(test_config)
    state(app).sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    yield app
    state(app).engine.dispose()


@pytest.fixture
def db(connection: sa.Connection) -> Iterator[Session]:
    """A session for arranging and checking data, in the same transaction as the app."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(db: Session) -> Callable[..., User]:
    """Create a user (default: an active volunteer) with the shared test password."""
    counter = iter(range(1, 10_000))

    def make(role: UserRole = UserRole.VOLUNTEER, **overrides: Any) -> User:
        n = next(counter)
        values: dict[str, Any] = {
            "email": f"{role.value}{n}@example.org",
            "name": f"{role.label} {n}",
            "role": role,
            "password_hash": FAST_TEST_HASHER.hash(overrides.pop("password", PASSWORD)),
        }
        values.update(overrides)
        user = User(**values)
        db.add(user)
        db.commit()
        return user

    return make


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any], *, token_page: str = "/login", **kw: Any
) -> Any:
    """POST ``data`` with a valid CSRF token taken from ``token_page``, as a browser would."""
    token = csrf_token_from(client.get(token_page).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token}, **kw)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD) -> Any:
    """Sign ``user`` in through the real form."""
    return post_form(client, "/login", {"email": user.email, "password": password})


@pytest.fixture
def signed_in(client: FlaskClient, make_user: Callable[..., User]) -> Callable[[UserRole], User]:
    """Sign in a new user of the given role on the test client and return them."""

    def sign_in_as(role: UserRole) -> User:
        user = make_user(role)
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in_as


@pytest.fixture
def sent(
    app: Flask, db: Session, make_user: Callable[..., User]
) -> tuple[LetterCampaign, dict[str, Letter]]:
    """The 2023 letter's e-mails sent by a coordinator, by their official's full name."""
    letter, letters = sent_letters(app, db, make_user(UserRole.COORDINATOR))
    return letter, by_official(letters)


@pytest.fixture
def joly_replied(app: Flask, sent: tuple[LetterCampaign, dict[str, Letter]]) -> Replied:
    """The letters sent (``sent``), and Mélanie Joly's office's reply taken in."""
    letter, letters = sent
    joly = letters["Mélanie Joly"]
    return Replied(letter, joly, reply_arrives(app, joly))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The rows-read guard first: it reads PostgreSQL's plans, and a thousand rolled-back tests
    before it leave the tables full of dead rows (no vacuum runs in a test transaction) that
    change those plans (seen: an official's follow-ups read 14 rows fewer at the first size
    of a long run, never alone). In production autovacuum keeps them clean."""
    items.sort(key=lambda item: "tests/test_rows_read.py" not in item.nodeid)
    if config.getoption("--db") == "postgres":
        _leave_to_the_sqlite_run(config, items)


def _leave_to_the_sqlite_run(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run leaves out the tests that never reach the run's database: the ones
    whose fixtures do not lead to ``database_url`` (parsers, the mail corpus, processes on a
    SQLite file of their own...), which run the same on either and so are the SQLite run's.
    Every way to the run's database goes through ``database_url`` (``engine``, ``app``,
    ``db``, ``client``...); a test that reads ``--db`` itself only to skip on PostgreSQL is
    left out the same, and one that needs PostgreSQL asks for ``database_url`` to find it."""
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        reaches = "database_url" in getattr(item, "fixturenames", ())
        (kept if reaches else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How the demo campaign was loaded this run (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import STATS

    if STATS["command"] or STATS["written_again"]:
        terminalreporter.write_line(
            f"demo campaign: {STATS['command']} loaded by `hilltrack demo`, "
            f"{STATS['written_again']} written again from its rows"
        )
