"""Throughput under gunicorn (4 workers) on the large dataset: requests per second and errors,
from wrk on 127.0.0.1 for 30 seconds per page. Writes its table into docs/performance.md.

Needs Debian's wrk (`apt-get install -y wrk`). Run with `python -m bench.load_bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from alembic import command

from bench.dataset import BENCH_PASSWORD, build
from bench.report import machine, write_section
from tracker import create_app
from tracker.cli import alembic_config
from tracker.web.db import state

PORT = 5099
SECONDS = 30
CONNECTIONS = 16


def _serve(instance: Path, url: str, **settings: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **{f"TRACKER_{name}": value for name, value in settings.items()},
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "bench",
        "TRACKER_PASSWORD_HASHER": "fast-insecure-for-tests",
    }
    if _listening():
        # Another server (a bench run that died, say) would answer in this one's place.
        sys.exit(f"port {PORT} is in use: stop whatever listens there and run again")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "--workers", "4", "--bind", f"127.0.0.1:{PORT}", "tracker.wsgi:app"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=2).ok:
                return process
        except requests.RequestException:  # not listening yet, or workers still starting
            time.sleep(0.2)
    process.terminate()
    process.wait(timeout=30)
    raise RuntimeError("gunicorn did not start")


def _listening() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) == 0


def _cookie(email: str) -> str:
    session = requests.Session()
    page = session.get(f"http://127.0.0.1:{PORT}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    response = session.post(
        f"http://127.0.0.1:{PORT}/login",
        timeout=10,
        allow_redirects=False,
        data={"email": email, "password": BENCH_PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302, response.status_code
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def _wrk(path: str, cookie: str) -> tuple[float, int, int]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in errors.groups()) if errors else 0
    )
    return rps, total, failures


def _load(
    instance: Path, url: str, email: str, pages: dict[str, str], **settings: str
) -> list[tuple[str, float, int, int]]:
    server = _serve(instance, url, **settings)
    try:
        cookie = _cookie(email)
        return [(name, *_wrk(path, cookie)) for name, path in pages.items()]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("bench-load needs the wrk load generator: apt-get install -y wrk")
    instance = Path(tempfile.mkdtemp(prefix="hilltrack-load-"))
    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    url = f"sqlite:///{instance / 'load.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    marks = build(state(app).sessions, state(app).engine)
    state(app).engine.dispose()
    pages = {
        "reports dashboard": "/reports/",
        "home": "/",
        "my follow-ups": "/follow-ups/",
        "officials directory": "/officials/",
        "health check": "/healthz",
    }
    rows = _load(instance, url, marks.coordinator_email, pages)
    # The dashboard again with its figures computed for every request, for comparison.
    rows += _load(
        instance,
        url,
        marks.coordinator_email,
        {"reports dashboard, figures recomputed every request": "/reports/"},
        REPORTS_CACHE_SECONDS="0",
    )
    lines = "\n".join(
        f"| {name} | {rps:.0f} | {total:,} | {failures} |" for name, rps, total, failures in rows
    )
    body = f"""## Throughput under gunicorn

Measured {dt.date.today()} on {machine()}: gunicorn with 4 sync workers on the SQLite large
dataset, `wrk -t2 -c{CONNECTIONS} -d{SECONDS}s` from the same machine (so client and server
share the 2 cores), signed in as a coordinator, default settings (the dashboard's figures reused
for up to 30 s, `REPORTS_CACHE_SECONDS`). Target: the dashboard sustains 200 requests/s with no
errors.

| Page | Requests/s | Requests in {SECONDS} s | Errors |
|---|---|---|---|
{lines}
"""
    write_section("load", body)
    print(body)


if __name__ == "__main__":
    main()
