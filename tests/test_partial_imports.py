"""One unreadable source no longer stops the others: it fails alone, its roles stay as they
were, and the run ends "partial" on the page, in --json and in the exit status. The members
source, which the others depend on, still stops the run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.models import ImportStatus, Official, Role, RoleKind, User, UserRole


def broken(folder: Path, name: str, content: bytes = b"<Unexpected><Root/></Unexpected>") -> Path:
    (folder / name).write_bytes(content)
    return folder


def test_an_unreadable_parliamentary_secretaries_feed_fails_alone(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = broken(feed_folder(tmp_path / "feeds"), "parliamentary-secretaries.xml")
    run = run_import(app, folder)
    assert run.status is ImportStatus.PARTIAL
    assert "parliamentary-secretaries" in (run.error or "")
    assert "expected <ArrayOfParliamentarySecretary>" in (run.error or "")
    assert run.outcome == "Partial: 1 source failed, the rest applied"
    # Members and ministers applied all the same.
    assert db.scalar(select(func.count()).select_from(Official)) == 1231
    ministers = db.scalar(
        select(func.count()).select_from(Role).where(Role.kind == RoleKind.MINISTER)
    )
    assert ministers and ministers > 20


def test_a_broken_members_feed_still_stops_the_run(app: Flask, db: Session, tmp_path: Path) -> None:
    folder = broken(feed_folder(tmp_path / "feeds"), "members.xml", b"not xml")
    run = run_import(app, folder)
    assert run.status is ImportStatus.FAILED
    assert db.scalar(select(func.count()).select_from(Official)) == 0


def test_a_partial_run_has_its_own_exit_status_and_says_so_in_json(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    folder = broken(feed_folder(tmp_path / "feeds"), "house-officers.xml")
    result = app.test_cli_runner().invoke(
        args=["import", "officials", "--from-dir", str(folder), "--json"]
    )
    assert result.exit_code == 3, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["status"] == "partial"
    assert "house-officers" in report["error"]


def test_the_imports_page_says_which_source_failed(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    tmp_path: Path,
) -> None:
    signed_in(UserRole.COORDINATOR)
    run = run_import(app, broken(feed_folder(tmp_path / "feeds"), "chair-occupants.xml"))
    history = client.get("/imports/").get_data(as_text=True)
    assert "Partial: 1 source failed, the rest applied" in history
    detail = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert "These sources failed, each alone: chair-occupants" in detail
