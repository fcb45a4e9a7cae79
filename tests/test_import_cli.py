"""`hilltrack import officials`: summary, JSON report, exit codes, one import at a time."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.feeds import feed_folder
from tests.importing import dump
from tracker.clock import utcnow
from tracker.models import ImportRun, ImportStatus
from tracker.operations.imports import ImportBusy, ImportOptions, begin_run


def invoke(app: Flask, *args: str) -> object:
    return app.test_cli_runner().invoke(args=["import", "officials", *args])


def test_json_report_is_one_object_for_scripts(app: Flask, tmp_path: Path) -> None:
    folder = feed_folder(tmp_path / "feeds")
    result = invoke(app, "--from-dir", str(folder), "--as-of", "2026-01-10", "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert report["status"] == "succeeded"
    assert report["as_of"] == "2026-01-10T00:00:00+00:00"
    assert report["counts"]["members"]["officials_inserted"] == 1231
    assert "profiles: skipped, no saved file for this source in the folder" in report["warnings"]


def test_summary_table_and_dry_run(app: Flask, db: Session, tmp_path: Path) -> None:
    before = dump(db)
    result = invoke(
        app, "--from-dir", str(feed_folder(tmp_path / "f")), "--dry-run", "--source", "ministries"
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert lines[0].split()[:3] == ["source", "officials", "inserted"]
    assert lines[1].split()[:2] == ["ministries", "38"]  # 38 people, one role each
    assert "Preview: nothing was written." in lines
    assert dump(db) == before


def test_a_broken_members_feed_exits_1_with_the_reason_and_changes_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "f")
    (folder / "members.xml").write_text("<ArrayOfMemberOfParliament><MemberOfParliament>")
    result = invoke(app, "--from-dir", str(folder))
    assert result.exit_code == 1
    assert "Import failed; nothing was changed." in result.stderr  # type: ignore[attr-defined]
    assert "members: the feed is not well-formed XML" in result.stderr  # type: ignore[attr-defined]
    assert dump(db)["official"] == []


def test_a_broken_ministries_feed_fails_alone_and_exits_3(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = feed_folder(tmp_path / "f")
    (folder / "ministries.xml").write_text("<ArrayOfMinister><Minister>")
    result = invoke(app, "--from-dir", str(folder))
    assert result.exit_code == 3
    assert "Partial import" in result.stderr  # type: ignore[attr-defined]
    assert "ministries: the feed is not well-formed XML" in result.stderr  # type: ignore[attr-defined]
    assert len(dump(db)["official"]) == 1231  # members applied all the same


def test_bad_as_of_date_is_a_usage_error(app: Flask, tmp_path: Path) -> None:
    result = invoke(app, "--from-dir", str(tmp_path), "--as-of", "last tuesday")
    assert result.exit_code == 2
    assert "is not a date like 2023-10-24" in result.stderr  # type: ignore[attr-defined]


def test_only_one_import_runs_at_a_time(app: Flask, db: Session, tmp_path: Path) -> None:
    begin_run(db, ImportOptions(), actor=None)
    db.commit()
    with pytest.raises(ImportBusy, match="is running"):
        begin_run(db, ImportOptions(), actor=None)
    result = invoke(app, "--from-dir", str(feed_folder(tmp_path / "f")))
    assert result.exit_code == 1
    assert "Another import" in result.stderr  # type: ignore[attr-defined]


def test_a_run_cut_off_by_a_restart_is_recorded_as_failed(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    abandoned = ImportRun(
        source="members", status=ImportStatus.RUNNING, heartbeat_at=utcnow() - dt.timedelta(hours=1)
    )
    db.add(abandoned)
    db.commit()
    result = invoke(app, "--from-dir", str(feed_folder(tmp_path / "f")), "--source", "ministries")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    db.refresh(abandoned)
    assert abandoned.status is ImportStatus.FAILED
    assert "Cut off before it finished" in (abandoned.error or "")


def test_bundled_snapshot_fills_an_empty_directory_once(app: Flask, db: Session) -> None:
    first = invoke(app, "--bundled", "--if-empty")
    assert first.exit_code == 0, first.stderr  # type: ignore[attr-defined]
    assert re.search(r"Import \d+ done; data as of 2026-01-09\.", first.stdout)  # type: ignore[attr-defined]
    again = invoke(app, "--bundled", "--if-empty")
    said = again.stdout.strip().splitlines()  # type: ignore[attr-defined]
    assert said[0] == "Officials exist already; nothing imported."
    assert said[1].startswith("The directory holds 342 MPs")  # what make run prints
    assert len(dump(db)["official"]) == 1231


def test_progress_goes_to_stderr_and_the_summary_to_stdout(app: Flask, tmp_path: Path) -> None:
    folder = feed_folder(tmp_path / "f", with_constructed=True)
    result = invoke(app, "--from-dir", str(folder), "--source", "members", "--source", "profiles")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "Fetching profiles" in result.stderr  # type: ignore[attr-defined]
    assert "Reading members ..." in result.stderr  # type: ignore[attr-defined]
    assert "Fetching" not in result.stdout  # type: ignore[attr-defined]
    assert result.stdout.splitlines()[0].startswith("source")  # type: ignore[attr-defined]
