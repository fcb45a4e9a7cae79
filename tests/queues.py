"""The two queue engines the tests run on: huey on a SQLite file, and on the Redis server."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ENGINES = ["sqlite", "redis"]


def redis_url() -> str:
    """HILLTRACK_TEST_REDIS_URL (.ci/run sets it); without it the Redis runs are skipped."""
    url = os.environ.get("HILLTRACK_TEST_REDIS_URL")
    if not url:
        pytest.skip("HILLTRACK_TEST_REDIS_URL is not set (.ci/run sets it)")
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
