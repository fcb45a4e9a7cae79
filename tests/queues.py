"""The two queue engines the tests run on: huey on a SQLite file, and on the Redis server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.mailserver import free_port

ENGINES = ["sqlite", "redis"]

# Which database this run tests on, set by tests/conftest.py when the run starts.
RUN = {"database": "sqlite"}


def next_redis_database(url: str) -> str:
    """The same Redis server, the next of its 16 databases: .../15 -> .../0, none -> .../1."""
    parsed = urlparse(url)
    number = int(parsed.path.strip("/") or 0)
    return parsed._replace(path=f"/{(number + 1) % 16}").geturl()


def redis_url() -> str:
    """HILLTRACK_TEST_REDIS_URL (.ci/run sets it); without it the Redis runs are skipped.

    The PostgreSQL run takes the next database number: `make test` runs it beside the SQLite
    run, and the two must not take each other's jobs or share a rate limit's counts."""
    url = os.environ.get("HILLTRACK_TEST_REDIS_URL")
    if not url:
        pytest.skip("HILLTRACK_TEST_REDIS_URL is not set (.ci/run sets it)")
    if RUN["database"] == "postgres":
        url = next_redis_database(url)
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 2).close()
    except OSError:
        pytest.fail(f"Redis is not answering at {url}")
    return url


def queue_settings(engine: str, folder: Path) -> dict[str, Any]:
    """App settings for a real queue on ``engine`` (not the tests' in-request default)."""
    if engine == "redis":
        return {"QUEUE_IMMEDIATE": False, "REDIS_URL": redis_url()}
    return {"QUEUE_IMMEDIATE": False, "QUEUE_FILE": str(folder / "queue.sqlite3")}


class OwnRedis:
    """A Redis server of the test's own on a loopback port, which the test may stop and start
    (keeping nothing between runs: a restart loses the queue and its schedule)."""

    def __init__(self, folder: Path) -> None:
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        self.process = None
