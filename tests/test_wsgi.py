"""gunicorn's entry point serves the app with its start-up objects out of the collector's way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command

from tracker.cli import alembic_config

# Run in a child process: freezing the collector here would change the rest of the test run.
PROBE = """
import gc
from tracker.wsgi import app
response = app.test_client().get("/healthz")
print(response.status_code, response.json["database"], gc.get_freeze_count() > 10_000)
"""


def test_the_wsgi_entry_point_serves_the_app_with_start_up_objects_frozen(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "wsgi-test",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "ok", "True"]
