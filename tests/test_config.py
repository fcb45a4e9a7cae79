"""Configuration precedence and the secret key a fresh install generates for itself."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import create_app


def write_instance_config(instance: Path, text: str) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.py").write_text(text)


def test_defaults_give_an_sqlite_database_in_the_instance_folder(instance_path: Path) -> None:
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance_path / 'hilltrack.sqlite3'}"
    assert app.config["TIMEZONE"] == "America/Toronto"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.debug


def test_instance_config_overrides_defaults(instance_path: Path) -> None:
    write_instance_config(instance_path, 'TIMEZONE = "America/Vancouver"\n')
    assert create_app().config["TIMEZONE"] == "America/Vancouver"


def test_environment_overrides_instance_config(
    instance_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_instance_config(instance_path, 'TIMEZONE = "America/Vancouver"\n')
    monkeypatch.setenv("TRACKER_TIMEZONE", "America/Halifax")
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql+psycopg://u@db.example/hilltrack")
    app = create_app()
    assert app.config["TIMEZONE"] == "America/Halifax"
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u@db.example/hilltrack"


def test_test_mapping_overrides_environment(
    instance_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TIMEZONE", "America/Halifax")
    assert create_app({"TIMEZONE": "America/Regina"}).config["TIMEZONE"] == "America/Regina"


def test_secret_key_is_generated_once_into_a_private_file(instance_path: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(instance_path.stat().st_mode) == 0o700
    assert create_app().config["SECRET_KEY"] == first


def test_configured_secret_key_wins_and_writes_no_file(
    instance_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (instance_path / "secret_key").exists()


def test_https_setting_gives_secure_host_prefixed_session_cookie(instance_path: Path) -> None:
    app = create_app({"HTTPS": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_the_suite_ignores_tracker_settings_in_the_shell_that_runs_it(tmp_path: Path) -> None:
    """With TRACKER_DATABASE_URL naming an operator's database, running the tests that migrate a
    database and read the configuration neither touches it nor fails."""
    production = tmp_path / "production.sqlite3"
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{production}",
        "TRACKER_SECRET_KEY": "the-operators-key",
        "TRACKER_TIMEZONE": "America/Vancouver",
    }
    tests = Path(__file__).resolve().parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(tests / "test_migrations.py"),
            str(tests / "test_config.py"),
            "-k",
            "(db_upgrade or config or secret or overrides) and not ignores_tracker_settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout
    assert not production.exists()
