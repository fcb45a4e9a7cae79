"""Freshness a coordinator can quote: unchanged officials keep their version, "data as of" comes
from each source's last successful run, a preview is called a preview, and a new installation
waits for the next night."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.feeds import feed_folder
from tracker.models import Official


def import_officials(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["import", "officials", *args])
    assert result.exit_code == 0, result.output


def versions(db: Session) -> dict[int, tuple[int, object]]:
    db.expire_all()
    rows = db.execute(select(Official.id, Official.version, Official.updated_at))
    return {official_id: (version, updated) for official_id, version, updated in rows}


def test_a_second_import_of_the_same_files_leaves_every_officials_version_as_it_was(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "feeds", with_constructed=True)
    import_officials(app, "--from-dir", str(folder), "--as-of", "2026-01-10")
    before = versions(db)
    # The next night: the same files, fetched a day later.
    import_officials(app, "--from-dir", str(folder), "--as-of", "2026-01-11")
    assert versions(db) == before
    carney = db.scalars(select(Official).where(Official.ourcommons_id == 28286)).one()
    assert carney.last_seen_in_feed_at is not None
    assert carney.last_seen_in_feed_at.date().isoformat() == "2026-01-11"
