"""Backups of the embedded SQLite database with SQLite's online backup API.

The backup is a consistent copy even while the app writes: SQLite copies the pages under its own
locks. PostgreSQL databases are backed up with pg_dump instead (see the README).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.operations.letters import hold_restored_letters

PAGES_PER_STEP = 1024


def sqlite_path(database_url: str) -> Path:
    """The database file behind a sqlite:/// URL; other databases are refused with a pointer."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise OperationError(
            _(
                "This database is not SQLite: back it up with pg_dump "
                "(see Backup and restore in the README)."
            )
        )
    return Path(url.database)


def backup(database_url: str, target: Path) -> None:
    """Copy the live database into ``target`` (a new file), consistently."""
    if target.exists():
        raise OperationError(_("%(target)s exists already; choose a new file name.", target=target))
    source = sqlite3.connect(sqlite_path(database_url))
    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=PAGES_PER_STEP)
    finally:
        destination.close()
        source.close()


def _check_is_hilltrack(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            ok = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
    except sqlite3.DatabaseError:
        raise OperationError(_("%(path)s is not a SQLite database.", path=path)) from None
    if not ok:
        raise OperationError(
            _("%(path)s is damaged (integrity check failed); not restored.", path=path)
        )
    if not {"alembic_version", "official", "campaign"} <= tables:
        raise OperationError(_("%(path)s is not a Hilltrack backup.", path=path))


def restore(database_url: str, source: Path) -> int:
    """Replace the database's content with a backup's, after checking the backup is sound, and
    hold the letters that were on their way in the backup (they may have gone since). Returns
    how many letters were held."""
    if not source.is_file():
        raise OperationError(_("%(source)s does not exist.", source=source))
    _check_is_hilltrack(source)
    target = sqlite_path(database_url)
    backup_connection = sqlite3.connect(source)
    live = sqlite3.connect(target)
    try:
        backup_connection.backup(live, pages=PAGES_PER_STEP)
    finally:
        live.close()
        backup_connection.close()
    return _hold_letters(target)


def _hold_letters(target: Path) -> int:
    engine = create_engine(f"sqlite:///{target}")
    try:
        if not inspect(engine).has_table("letter"):
            return 0  # a backup from before letters were sent by e-mail
        with Session(engine) as session, session.begin():
            return hold_restored_letters(session, utcnow())
    finally:
        engine.dispose()
