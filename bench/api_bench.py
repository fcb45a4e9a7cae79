"""A page of 100 recipients through the JSON API beside the campaign page that shows all 450,
on the 1x dataset (bench/dataset.py): median of interleaved requests, in-process (no network).
Writes its table into docs/performance.md."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable

from alembic import command
from flask import Flask
from sqlalchemy import select

from bench.dataset import BENCH_PASSWORD, build
from bench.pages_bench import _app, _interleaved
from bench.report import machine, write_section
from tracker import clock
from tracker.cli import alembic_config
from tracker.models import ApiScope, User
from tracker.operations.api_tokens import create_token
from tracker.web.db import state


def _token(app: Flask, email: str) -> str:
    with state(app).sessions() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        _token, secret = create_token(
            session, user, name="bench", scope=ApiScope.READ, expires_in_days=None, actor=user
        )
        session.commit()
    return secret


def times(app: Flask, campaign_id: int, email: str) -> dict[str, list[float]]:
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": BENCH_PASSWORD}).status_code
    api = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, email)}"}
    recipients = f"/api/v1/campaigns/{campaign_id}/recipients?limit=100"
    second = api.get(recipients, headers=headers).get_json()["next_cursor"]

    def get(the_client: object, path: str, **kw: object) -> Callable[[], None]:
        def action() -> None:
            response = the_client.get(path, **kw)  # type: ignore[attr-defined]
            assert response.status_code == 200, path
            response.close()

        return action

    return _interleaved(
        {
            "campaign page (450 recipients, HTML)": get(client, f"/campaigns/{campaign_id}"),
            "API: first 100 recipients": get(api, recipients, headers=headers),
            "API: next 100 (cursor)": get(api, f"{recipients}&cursor={second}", headers=headers),
            "API: the campaign with its counts": get(
                api, f"/api/v1/campaigns/{campaign_id}", headers=headers
            ),
        }
    )


def main() -> None:
    os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-bench-")
    url = f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/api.sqlite3"
    command.upgrade(alembic_config(url), "head")
    app = _app(url)
    marks = build(state(app).sessions, state(app).engine)
    results = times(app, marks.big_campaign_id, marks.coordinator_email)
    rows = "\n".join(
        f"| {name} | {statistics.median(values):.0f} ms |" for name, values in results.items()
    )
    write_section(
        "api",
        f"""## The API beside the campaign page

Measured {clock.today()} on {machine()}, SQLite, the 1\u00d7 dataset, in-process, median of
interleaved requests (`python -m bench.api_bench`). A page of the API reads `limit + 1` of the
campaign's recipients after the cursor's id, with their stored status facts (the campaign page's
own rule, no aggregate over the log), then their latest letters' states: the page costs the same
at any depth, and a fifth of the campaign page's rows cost far less than a fifth of its time
since no HTML is rendered.

| Request | Median |
|---|---|
{rows}
""",
    )
    state(app).engine.dispose()


if __name__ == "__main__":
    main()
