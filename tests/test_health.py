"""/healthz tells monitors whether Hilltrack and its database are up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker import create_app
from tracker.models import ImportRun, ImportStatus, Official


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
