"""Backups: a consistent copy while the app runs, and a restore that brings the data back."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from tracker import create_app
from tracker.cli import alembic_config


@pytest.fixture
def live_app(tmp_path: Path, instance_path: Path) -> object:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    return create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "x", "PASSWORD_HASHER": "fast-insecure-for-tests"}
    )


def officials(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = list(conn.scalars(sa.text("SELECT family_name FROM official ORDER BY id")))
    engine.dispose()
    return names


def add_official(url: str, family: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO official (given_name, family_name, name_key, offices, edited_fields, "
                "created_at, updated_at, version) VALUES ('A', :f, :k, '[]', '[]', "
                "'2026-01-01', '2026-01-01', 1)"
            ),
            {"f": family, "k": f"a {family}"},
        )
    engine.dispose()


def test_backup_and_restore_round_trip(live_app: object, tmp_path: Path) -> None:
    url = live_app.config["DATABASE_URL"]  # type: ignore[attr-defined]
    runner = live_app.test_cli_runner()  # type: ignore[attr-defined]
    add_official(url, "Before")
    backup_file = tmp_path / "hilltrack-backup.sqlite3"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    add_official(url, "After")
    assert officials(url) == ["Before", "After"]
    restored = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert officials(url) == ["Before"]


def test_backup_refuses_to_overwrite_and_restore_refuses_a_foreign_file(
    live_app: object, tmp_path: Path
) -> None:
    runner = live_app.test_cli_runner()  # type: ignore[attr-defined]
    existing = tmp_path / "exists.sqlite3"
    existing.write_text("keep me")
    assert "exists already" in runner.invoke(args=["backup", str(existing)]).output
    assert existing.read_text() == "keep me"
    stranger = tmp_path / "other.sqlite3"
    sa.create_engine(f"sqlite:///{stranger}").connect().close()
    result = runner.invoke(args=["restore", str(stranger), "--yes"])
    assert result.exit_code == 1
    assert "is not a Hilltrack backup" in result.output
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello " * 1000)
    assert (
        "is not a SQLite database" in runner.invoke(args=["restore", str(not_db), "--yes"]).output
    )


def test_backup_on_postgresql_points_to_pg_dump(tmp_path: Path, instance_path: Path) -> None:
    app = create_app(
        {"DATABASE_URL": "postgresql+psycopg://u@db.example/hilltrack", "SECRET_KEY": "x"}
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
