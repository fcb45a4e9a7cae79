"""Several workers writing to the embedded SQLite database never see "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from tracker.cli import alembic_config
from tracker.models import Official
from tracker.web.db import make_engine

WORKERS = 4
WRITES_EACH = 25


def _worker(url: str, errors: list[BaseException], start: threading.Barrier) -> None:
    """Read, then write, in one transaction: the pattern that fails with deferred BEGIN."""
    engine = make_engine(url)  # one engine per worker, as with separate gunicorn processes
    start.wait()
    try:
        for _ in range(WRITES_EACH):
            with Session(engine) as session:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                count = session.scalar(sa.select(sa.func.count()).select_from(Official)) or 0
                session.add(Official(given_name="W", family_name=str(count), name_key=f"w {count}"))
                session.commit()
    except BaseException as error:  # collected and re-raised in the test thread
        errors.append(error)
    finally:
        engine.dispose()


@pytest.mark.parametrize("run", range(2))
def test_concurrent_read_then_write_transactions_all_succeed(tmp_path: Path, run: int) -> None:
    url = f"sqlite:///{tmp_path / 'writers.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)
    threads = [threading.Thread(target=_worker, args=(url, errors, start)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = make_engine(url)
    with engine.connect() as conn:
        names = conn.scalars(sa.select(Official.family_name)).all()
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    engine.dispose()
    # Every read saw every earlier write: the counts are exactly 0..N-1, no duplicates.
    assert sorted(map(int, names)) == list(range(WORKERS * WRITES_EACH))
    assert journal == "wal"
    assert foreign_keys == 1
