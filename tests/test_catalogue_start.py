"""Processes starting together on a fresh instance folder (gunicorn's workers, a worker and a
command) each compile the catalogue there, and every one of them starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Four on two cores: they overlap in every step of compiling the catalogue.
PROCESSES = 4
# Each child imports the app, then waits for the signal so that they all build it at once.
START = """
import sys, time
from pathlib import Path
from tracker import create_app
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
app = create_app()
with app.test_request_context(headers={"Accept-Language": "fr"}):
    from flask_babel import gettext
    print(gettext("Sign in"))
"""


def test_processes_starting_together_on_a_fresh_instance_folder_all_start(
    tmp_path: Path,
) -> None:
    go = tmp_path / "go"
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "TRACKER_SECRET_KEY": "start-test",
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-c", START, str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    go.touch()
    results = [child.communicate(timeout=120) for child in children]
    failures = [
        err for child, (_out, err) in zip(children, results, strict=True) if child.returncode
    ]
    assert failures == []
    assert {out.strip() for out, _err in results} == {"Connexion"}
    assert [p.name for p in (tmp_path / "instance" / "translations").rglob("*.part*")] == []
