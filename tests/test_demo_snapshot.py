"""The tests' fast demo load (tests/demo_snapshot.py) leaves the database as the command does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tests.demo_snapshot import Snapshot, _from_scratch, take_snapshot, write_again
from tracker.models import Campaign, Official, User
from tracker.models.base import Base


def everything(conn: sa.Connection) -> dict[str, list[dict[str, Any]]]:
    return {
        table.name: [
            dict(row) for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings()
        ]
        for table in Base.metadata.sorted_tables
        if "id" in table.c
    }


def loaded_then_undone(
    app: Flask, db: Session, look: Callable[[], Any] = lambda: None
) -> tuple[Snapshot, Any]:
    """Run the command in a savepoint, ``look`` at what it left, then undo it: the database as
    before, and the snapshot to write again."""
    by_command = db.connection().begin_nested()
    snapshot = take_snapshot(app, db)
    seen = look()
    by_command.rollback()
    db.expire_all()
    return snapshot, seen


def test_the_demo_written_again_is_the_commands_load_row_for_row(app: Flask, db: Session) -> None:
    conn = db.connection()
    snapshot, loaded = loaded_then_undone(app, db, lambda: everything(conn))

    assert write_again(conn, snapshot, shift=dt.timedelta(0))
    assert everything(conn) == loaded
    assert len(loaded["official"]) > 300 and len(loaded["recipient"]) == 15


def test_times_the_command_wrote_move_forward_and_the_feeds_times_do_not(
    app: Flask, db: Session
) -> None:
    conn = db.connection()
    snapshot, (created, letter_on) = loaded_then_undone(
        app, db, lambda: db.execute(sa.select(Campaign.created_at, Campaign.letter_on)).one()
    )

    assert write_again(conn, snapshot, shift=dt.timedelta(days=3))
    assert db.scalars(sa.select(Campaign.created_at)).one() == created + dt.timedelta(days=3)
    assert db.scalars(sa.select(Campaign.letter_on)).one() == letter_on  # the letter's own date


def test_a_database_that_already_holds_officials_gets_the_command_not_the_rows(
    app: Flask, db: Session
) -> None:
    conn = db.connection()
    snapshot, _ = loaded_then_undone(app, db)

    db.add(Official(given_name="Ada", family_name="Example", name_key="ada example"))
    db.flush()
    assert not write_again(conn, snapshot)
    assert db.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_accounts_made_before_the_demo_keep_their_ids_and_the_demos_follow(
    app: Flask, db: Session, make_user: Any
) -> None:
    conn = db.connection()
    snapshot, _ = loaded_then_undone(app, db)

    mine = [make_user(), make_user(), make_user()]  # ids the demo's own accounts may have had
    assert write_again(conn, snapshot)
    owner = db.scalars(sa.select(Campaign)).one().owner
    assert owner is not None and owner.email == "demo-coordinator@example.org"
    assert owner.id > max(user.id for user in mine)  # after them, as the command's would be
    assert {db.get(User, user.id).email for user in mine} == {user.email for user in mine}


def test_a_load_after_an_official_was_made_is_not_kept_for_other_tests(
    app: Flask, db: Session
) -> None:
    assert _from_scratch(loaded_then_undone(app, db)[0])

    db.add(Official(given_name="Ada", family_name="Example", name_key="ada example"))
    db.flush()
    assert not _from_scratch(take_snapshot(app, db))  # the command linked the demo to her
