"""The engine and the session of each request or command, with SQLite's locking made safe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Foreign keys on, WAL, a busy timeout, and BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling starts transactions lazily as DEFERRED; a deferred
    read that later writes fails at once with "database is locked" when another worker
    wrote meanwhile, whatever the busy timeout. Writers therefore take the write lock up
    front (the SQLAlchemy pysqlite recipe), and readers stay deferred so they never queue.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """Create an engine for ``url`` with the settings Hilltrack relies on. On SQLite a writer
    waits ``busy_timeout_ms`` for the write lock, then gets an error (the retry page)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    _configure_postgresql(engine)
    return engine


# PostgreSQL's planner prices a random read at four sequential ones, as on a spinning disk. A
# coalition's database is small and held in memory, where the two cost about the same (the
# value PostgreSQL's documentation suggests for such a database): priced at four, the campaign
# page's next follow-ups hashed every open follow-up instead of looking up 450 recipients'
# (6.6 ms against 1.1).
RANDOM_PAGE_COST = 1.1


def _configure_postgresql(engine: Engine) -> None:
    """Each new connection's settings: set once when it opens, not on every request."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
        dbapi_connection.commit()


@dataclass
class DatabaseState:
    engine: Engine
    sessions: sessionmaker[Session]


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's session at teardown."""
    busy = float(app.config.get("DATABASE_BUSY_TIMEOUT", SQLITE_BUSY_TIMEOUT_MS / 1000))
    engine = make_engine(app.config["DATABASE_URL"], int(busy * 1000))
    sessions = sessionmaker(engine, expire_on_commit=False)
    _note_where_changes_start(sessions)
    app.extensions["hilltrack_db"] = DatabaseState(engine, sessions)
    app.teardown_appcontext(_close_session)


READER = "hilltrack_reader"
CHANGES = "hilltrack_changes"  # on a connection: how many statements it sent that may change
STARTED_AT = "hilltrack_changes_at_start"  # on a session: that count as its transaction began
WATCHED = "hilltrack_connection_info"  # on a session: its transaction's connection's info
# Statements that read, or only steer the transaction. Anything else counts as a change,
# whatever its form (WITH ... UPDATE, MERGE, a comment first, DDL): the list says what is safe,
# not what is not.
_READS = frozenset({"SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW", "EXPLAIN"})


@event.listens_for(Engine, "before_cursor_execute")
def _count_a_change(
    conn: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    """Count on the connection any statement that is not a read, however it was sent: a flush,
    ``session.execute``, a connection's ``execute``, plain SQL, from any thread or app context
    (on every engine, so that a test's connection counts as the app's own does)."""
    words = statement.split(None, 1)
    if not words or words[0].upper() not in _READS:
        conn.info[CHANGES] = conn.info.get(CHANGES, 0) + 1


def _note_where_changes_start(sessions: sessionmaker[Session]) -> None:
    @event.listens_for(sessions, "after_begin")
    def _began(session: Session, _transaction: Any, connection: Connection) -> None:
        session.info[WATCHED] = connection.info  # read at teardown without asking the pool
        session.info[STARTED_AT] = connection.info.get(CHANGES, 0)


def state(app: Flask | None = None) -> DatabaseState:
    """Return the database state of ``app`` (default: the current app)."""
    target = app if app is not None else current_app
    result: DatabaseState = target.extensions["hilltrack_db"]
    return result


def get_session() -> Session:
    """Return this app context's session, opening it on first use.

    Requests that may change data start their transaction as a writer at once (see
    ``_configure_sqlite``); safe requests and CLI reads stay readers.
    """
    if "db_session" not in g:
        session = state().sessions()
        if has_request_context() and request.method not in SAFE_METHODS:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        else:
            session.info[READER] = True
        g.db_session = session
    result: Session = g.db_session
    return result


def write_session() -> Session:
    """Return a session whose transaction holds the write lock from its first statement."""
    if "db_session" in g:
        g.db_session.close()
    session = state().sessions()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    g.db_session = session
    return session


def discard_session() -> None:
    """Drop this request's session (its transaction is rolled back), if it has one: the
    database is not asked anything more."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is None and _only_read(session):
            # A read ends with COMMIT, not ROLLBACK: both leave the data as it was, but psycopg
            # forgets every prepared statement on a rollback, and PostgreSQL would then parse
            # and plan each of a page's statements again on every request.
            try:
                session.commit()
            except SQLAlchemyError as error:  # the page has its answer; the pool replaces
                current_app.logger.warning("a read's transaction did not end: %s", error)
    finally:
        session.close()  # anything else is rolled back


def _only_read(session: Session) -> bool:
    """Whether ``session`` belongs to a safe request, is in a transaction whose connection has
    sent nothing but reads, and holds no change."""
    return (
        bool(session.info.get(READER))
        and session.in_transaction()
        and WATCHED in session.info
        and session.info[WATCHED].get(CHANGES, 0) == session.info[STARTED_AT]
        and not (session.new or session.dirty or session.deleted)
    )


def restart_as_writer(session: Session) -> None:
    """End ``session``'s current transaction and start a writing one (for a write in a GET).

    On SQLite a read transaction that later writes can fail at once when another worker wrote
    meanwhile; starting afresh with the write lock avoids that.
    """
    session.commit()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


T = TypeVar("T")


def or_404(found: T | None) -> T:
    """``found``, or a 404 page when there is nothing."""
    if found is None:
        abort(404)
    return found


def load_or_404(model: type[T], object_id: int) -> T:
    """The row of ``model`` with this id in the request's session, or a 404 page."""
    return or_404(get_session().get(model, object_id))
