"""The demo campaign loaded by its command once per test process, then written again as rows.

`hilltrack demo` (the bundled officials' import, then the 2023 letter) takes about two seconds,
and some two hundred tests start from it. The first load in a process runs the command and keeps
every row it added; a later load, on a database in the state the first one found, inserts those
rows again, ids and values alike, one statement per table. Times the command wrote ("now" as it
ran) move forward by the time since; times from the feeds stay as they were.

Any difference falls back to the command: a table the demo reads holding other rows, a demo
account already there, an id already taken. tests/test_demo.py runs the command itself, and
tests/test_demo_snapshot.py shows a written-again load equal, row for row, to the command's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tracker.models.base import Base

# Tables the demo only adds to, whatever they hold: a test's own sign-ins and audit trail.
ADDED_TO_ONLY = frozenset({"audit_event", "sign_in_attempt"})
USERS = "user_account"


@dataclass
class Snapshot:
    counts_before: dict[str, int]  # rows per table when the command ran
    rows: dict[str, list[dict[str, Any]]]  # the rows it added, per table, in id order
    started: dt.datetime
    ended: dt.datetime


_SNAPSHOTS: dict[str, Snapshot] = {}  # one per database kind
STATS = {"command": 0, "written_again": 0}


def _tables() -> list[sa.Table]:
    return [table for table in Base.metadata.sorted_tables if "id" in table.c]


def _counts(conn: sa.Connection) -> dict[str, int]:
    parts = [
        sa.select(sa.literal(table.name).label("name"), sa.func.count().label("n")).select_from(
            table
        )
        for table in _tables()
    ]
    return {str(name): int(n) for name, n in conn.execute(sa.union_all(*parts))}


def _last_ids(conn: sa.Connection) -> dict[str, int]:
    parts = [
        sa.select(
            sa.literal(table.name).label("name"),
            sa.func.coalesce(sa.func.max(table.c.id), 0).label("n"),
        )
        for table in _tables()
    ]
    return {str(name): int(n) for name, n in conn.execute(sa.union_all(*parts))}


def load_demo(app: Flask, db: Session) -> None:
    """The demo campaign in ``db``'s transaction, as `hilltrack demo` leaves it."""
    conn = db.connection()
    kind = conn.dialect.name
    snapshot = _SNAPSHOTS.get(kind)
    if snapshot is not None and write_again(conn, snapshot):
        STATS["written_again"] += 1
        return
    taken = take_snapshot(app, db)
    if "campaign" in taken.rows and _from_scratch(taken):
        _SNAPSHOTS.setdefault(kind, taken)
    STATS["command"] += 1


def _from_scratch(snapshot: Snapshot) -> bool:
    """Whether the command ran on an empty database (but for a test's own accounts, sign-ins
    and audit trail): only then is what it added the demo alone, fit for any later test that
    starts the same way. (A test that made an official first has the command link to it.)"""
    return all(n == 0 for name, n in snapshot.counts_before.items() if name not in RENUMBERED)


def take_snapshot(app: Flask, db: Session) -> Snapshot:
    """Run `hilltrack demo` and keep what it added."""
    conn = db.connection()
    counts, last = _counts(conn), _last_ids(conn)
    if not isinstance(db.get_bind(), sa.Connection):
        # A session of its own (not the test's rolled-back transaction): the command commits
        # on another connection, which this one sees only from its next transaction.
        db.commit()
    started = _now()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return Snapshot(counts, _rows_added(db.connection(), last), started, _now())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _rows_added(conn: sa.Connection, last: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        added = conn.execute(
            sa.select(table).where(table.c.id > last[table.name]).order_by(table.c.id)
        ).mappings()
        found = [dict(row) for row in added]
        if found:
            rows[table.name] = found
    return rows


def write_again(conn: sa.Connection, snapshot: Snapshot, shift: dt.timedelta | None = None) -> bool:
    """Insert the snapshot's rows, the command's times moved by ``shift`` (by default the time
    since it ran). False, and nothing written, where the command could have added others."""
    if not _same_state(conn, snapshot):
        return False
    shift = _now() - snapshot.ended if shift is None else shift
    tables = {table.name: table for table in _tables()}
    new_ids = _new_ids(conn, snapshot)
    for name, rows in snapshot.rows.items():
        moved = [_renumbered(name, _moved(row, snapshot, shift), new_ids) for row in rows]
        conn.execute(sa.insert(tables[name]), moved)
    if conn.dialect.name == "postgresql":
        _sequences_past(conn, [tables[name] for name in snapshot.rows])
    return True


def _same_state(conn: sa.Connection, snapshot: Snapshot) -> bool:
    """Whether the command would add the same rows here: every table it reads as the first
    load found it, its accounts absent, and the ids it took free."""
    now = _counts(conn)
    for name, before in snapshot.counts_before.items():
        if name not in ADDED_TO_ONLY | {USERS} and now[name] != before:
            return False
    emails = [row["email"] for row in snapshot.rows.get(USERS, [])]
    users = Base.metadata.tables[USERS]
    if emails and conn.scalar(sa.select(sa.func.count()).where(users.c.email.in_(emails))):
        return False
    return all(
        _ids_free(conn, name, rows)
        for name, rows in snapshot.rows.items()
        if name not in RENUMBERED
    )


def _ids_free(conn: sa.Connection, name: str, rows: list[dict[str, Any]]) -> bool:
    table = Base.metadata.tables[name]
    ids = table.c.id.between(rows[0]["id"], rows[-1]["id"])
    return not conn.scalar(sa.select(sa.func.count()).select_from(table).where(ids))


# Tables a test often adds to before it loads the demo (its own accounts, sign-ins, audit
# trail): on SQLite, where a rolled-back test's ids are given again, the demo's rows there take
# the next free ids instead, and what refers to its accounts follows.
RENUMBERED = (USERS, *sorted(ADDED_TO_ONLY))


def _new_ids(conn: sa.Connection, snapshot: Snapshot) -> dict[str, dict[int, int]]:
    """Old id -> new id, per table of RENUMBERED holding a row at or past the demo's first id
    there: the demo's rows come after the test's own, as the command's would (pages list the
    newest accounts and audit lines first; on PostgreSQL a rolled-back id is never given again,
    so the demo's kept ids would come before a later test's own)."""
    new_ids: dict[str, dict[int, int]] = {}
    for name in RENUMBERED:
        rows = snapshot.rows.get(name)
        if not rows:
            continue
        table = Base.metadata.tables[name]
        last = conn.scalar(sa.select(sa.func.max(table.c.id))) or 0
        if last >= rows[0]["id"]:
            new_ids[name] = {row["id"]: last + n for n, row in enumerate(rows, start=1)}
    return new_ids


def _renumbered(
    name: str, row: dict[str, Any], new_ids: dict[str, dict[int, int]]
) -> dict[str, Any]:
    if not new_ids:
        return row
    row = dict(row)
    table = Base.metadata.tables[name]
    if name in new_ids:
        row["id"] = new_ids[name][row["id"]]
    for fk in table.foreign_keys:
        target = new_ids.get(fk.column.table.name)
        if target and row.get(fk.parent.name) in target:
            row[fk.parent.name] = target[row[fk.parent.name]]
    accounts = new_ids.get(USERS)
    if name == "audit_event" and accounts and row["object_type"] == USERS:
        row["object_id"] = accounts.get(row["object_id"], row["object_id"])
    return row


def _moved(row: dict[str, Any], snapshot: Snapshot, shift: dt.timedelta) -> dict[str, Any]:
    """The row with the times the command wrote moved forward by ``shift``."""
    return {
        key: value + shift if _written_by_the_command(value, snapshot) else value
        for key, value in row.items()
    }


def _written_by_the_command(value: Any, snapshot: Snapshot) -> bool:
    if not isinstance(value, dt.datetime):
        return False
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return snapshot.started <= aware <= snapshot.ended


def _sequences_past(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL hands out ids from sequences that rows inserted with their ids leave behind:
    each moves past the table's largest id (never back: a sequence is not rolled back)."""
    for table in tables:
        name = str(conn.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))))
        schema, _, sequence = name.rpartition(".")
        last = conn.scalar(
            sa.select(sa.literal_column("last_value")).select_from(
                sa.table(sequence, schema=schema or None)
            )
        )
        largest = conn.scalar(sa.select(sa.func.max(table.c.id)))
        if largest is not None and last is not None and largest > last:
            conn.execute(sa.select(sa.func.setval(name, largest)))
