"""Helpers for import tests: run an import against the test transaction, dump the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tracker.models import ImportRun
from tracker.models.base import Base
from tracker.operations.imports import ImportOptions, run_officials_import
from tracker.web.db import state

AS_OF = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
# The job table records that an import ran (the queue page), like the run itself.
BOOKKEEPING = {"import_run", "import_review", "audit_event", "job"}


def run_import(app: Flask, folder: Path | None, **options: Any) -> ImportRun:
    options.setdefault("as_of", AS_OF)
    client_factory = options.pop("client_factory", None)
    return run_officials_import(
        state(app).sessions,
        ImportOptions(from_dir=folder, **options),
        client_factory=client_factory,
    )


def dump(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the import bookkeeping, for before/after comparisons
    (without the revisions that key cached pages: models/revisions.py changes them with what
    a page shows, a role as much as a name)."""
    return {
        table.name: [
            tuple(row)
            for row in db.execute(
                sa.select(*(c for c in table.columns if c.name != "revision")).order_by(
                    *table.primary_key.columns
                )
            )
        ]
        for table in Base.metadata.sorted_tables
        if table.name not in BOOKKEEPING
    }


@contextmanager
def writes_to_data(connection: sa.Connection) -> Iterator[list[str]]:
    """Collect the INSERT/UPDATE/DELETE statements sent to tables other than the bookkeeping."""
    statements: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"} and not any(t in statement for t in BOOKKEEPING):
            statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", listen)
