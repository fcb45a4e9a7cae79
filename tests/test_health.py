"""/healthz tells monitors whether Hilltrack and its database are up, whether the job queue
answers, and when a worker last showed a sign of life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy.orm import Session

from tests.queues import OwnRedis
from tracker import create_app
from tracker.jobs.queue import queue
from tracker.models import ImportRun, ImportStatus, Official, WorkerBeat


def test_health_is_public_and_reports_counts(client: FlaskClient, db: Session) -> None:
    db.add(Official(given_name="Ali", family_name="Ehsassi", name_key="ali ehsassi"))
    finished = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    db.add(ImportRun(source="ourcommons", status=ImportStatus.SUCCEEDED, finished_at=finished))
    db.add(
        ImportRun(
            source="ourcommons",
            status=ImportStatus.FAILED,
            finished_at=finished + dt.timedelta(days=1),
        )
    )
    db.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "officials": 1,
        "last_import": "2026-01-10T12:00:00+00:00",
        "queue": "in-process",  # the tests' in-request queue needs no worker
        "worker": "in-process",
        "worker_heartbeat": None,
    }


def test_health_without_any_import_says_null(client: FlaskClient) -> None:
    assert client.get("/healthz").json["last_import"] is None  # type: ignore[index]


def test_health_is_503_when_the_database_cannot_be_reached(
    tmp_path: Path, instance_path: Path
) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    app = create_app({"DATABASE_URL": unreachable, "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "error"}


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def test_config(test_config: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    """The tests that start a Redis of their own run the app on it, as a server would."""
    if "own_redis" not in request.fixturenames:
        return test_config
    server: OwnRedis = request.getfixturevalue("own_redis")
    return {**test_config, "QUEUE_IMMEDIATE": False, "REDIS_URL": server.url}


def test_health_shows_the_queue_and_the_workers_last_heartbeat_and_stays_200_when_redis_is_down(
    app: Flask, client: FlaskClient, db: Session, own_redis: OwnRedis
) -> None:
    assert client.get("/healthz").json == {
        "status": "degraded",  # no worker has ever run
        "database": "ok",
        "officials": 0,
        "last_import": None,
        "queue": "ok",
        "worker": "never",
        "worker_heartbeat": None,
    }

    queue(app).rescan("worker-host:4242")  # what the worker does every QUEUE_RESCAN_SECONDS
    (beat,) = db.query(WorkerBeat).all()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json is not None
    assert answer.json["status"] == "ok"
    assert (answer.json["queue"], answer.json["worker"]) == ("ok", "ok")
    assert answer.json["worker_heartbeat"] == beat.beat_at.isoformat()

    own_redis.stop()
    # Pages still work and jobs wait in the database: a load balancer keeps sending traffic.
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json is not None
    assert (answer.json["status"], answer.json["queue"]) == ("degraded", "unreachable")
    assert answer.json["worker_heartbeat"] == beat.beat_at.isoformat()


def test_health_says_a_worker_is_silent_when_its_heartbeat_is_old(
    client: FlaskClient, db: Session, own_redis: OwnRedis
) -> None:
    long_ago = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    db.add(WorkerBeat(worker="old-host:1", started_at=long_ago, beat_at=long_ago))
    db.commit()
    answer = client.get("/healthz").json
    assert answer is not None
    assert (answer["status"], answer["worker"]) == ("degraded", "silent")
    assert answer["worker_heartbeat"] == "2026-01-10T12:00:00+00:00"


def test_a_monitor_polling_health_does_not_open_a_connection_to_redis_each_time(
    client: FlaskClient, own_redis: OwnRedis
) -> None:
    def connections_received() -> int:
        with Redis.from_url(own_redis.url) as probe:
            return int(probe.info("stats")["total_connections_received"])

    assert client.get("/healthz").json["queue"] == "ok"  # type: ignore[index]
    before = connections_received()
    for _ in range(10):
        assert client.get("/healthz").json["queue"] == "ok"  # type: ignore[index]
    assert connections_received() == before + 1  # the probe's own connection only
