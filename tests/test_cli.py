"""The hilltrack command: help, creating users from a terminal or a script."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.cli import main
from tracker.models import User, UserRole


def test_help_lists_every_command(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("db", "users", "routes", "run"):
        assert f"  {name} " in result.output


def test_users_create_reads_the_password_from_stdin(app: Flask, db: Session) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "Coord@Example.org",
            "--name",
            "Cora",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        input="a perfectly long password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "coord@example.org"))
    assert user is not None and user.role is UserRole.COORDINATOR and user.name == "Cora"
    assert user.must_change_password is False  # typed by its owner: not a one-time password


def test_the_first_admins_generated_password_is_one_time(app: Flask, db: Session) -> None:
    result = app.test_cli_runner().invoke(args=["users", "ensure-admin"])
    assert result.exit_code == 0, result.output
    assert "One-time password" in result.output
    admin = db.scalars(select(User)).one()
    assert admin.role is UserRole.ADMIN and admin.must_change_password is True


def test_users_create_prompts_twice_for_the_password(app: Flask, db: Session) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "v@example.org", "--name", "Vi"],
        input="a perfectly long password\na perfectly long password\n",
    )
    assert result.exit_code == 0, result.output
    assert db.scalar(select(User).where(User.email == "v@example.org")) is not None


def test_users_create_refuses_a_short_password_with_a_clear_error(app: Flask, db: Session) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "v@example.org", "--name", "Vi", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 1
    assert "Use at least 12 characters." in result.output
    assert db.scalar(select(User).where(User.email == "v@example.org")) is None


def test_a_campaign_id_too_large_for_any_row_is_refused_by_the_command_line(
    app: Flask, tmp_path: Path
) -> None:
    sheet = tmp_path / "past.csv"
    sheet.write_text("official,date\nA,2026-01-01\n")
    for args in (
        ["import", "interactions", str(sheet), "--campaign", "99999999999999999999"],
        ["export", "campaign-status", "--campaign", "99999999999999999999", "-o", "-"],
    ):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 2, result.output
        assert "Invalid value for '--campaign'" in result.output
        assert "Traceback" not in result.output
