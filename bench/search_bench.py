"""The add-recipients search as a person types: each query over the whole directory at the
bench dataset's size (the bundled House export plus 105 senators and 200 other officials,
bench/dataset.py; the officials are the same at every scale), timed as the query alone and as
the results the page's script fetches (`/campaigns/<id>/recipients/search?q=`), in process.

Run with `make bench` or `python -m bench.search_bench [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

import sqlalchemy as sa
from alembic import command
from flask import Flask

from bench.dataset import BENCH_PASSWORD, _extra_officials, sizes
from bench.report import machine, timed, write_section
from tracker import create_app
from tracker.cli import alembic_config
from tracker.clock import utcnow
from tracker.models import Official, UserRole
from tracker.operations.accounts import create_user
from tracker.operations.campaigns import create_campaign
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.queries.officials import find_recipients
from tracker.web.db import state

REPEAT = 30
WARM_UP = 3
# What people type, letter by letter or whole: names, ridings, roles, parties, in any spelling.
QUERIES = [
    "jo",
    "joly",
    "Joly Mélanie",
    "Trois-Rivieres",
    "levis",
    "Ahuntsic Cartierville",
    "minister foreign affairs",
    "bloc",
    "stephane",
    "ng",
]
TARGET_MS = 20
NOTE = (
    "\n\nEvery query stays under the target on both databases. A search reads the stored keys "
    "only (no folding of rows at query time): on SQLite it scans the `search_key` index, "
    "smaller than the table; short prefixes (`jo`) cost most because more officials match, "
    "each checked against their current roles, and the 25 shown load their roles in one more "
    "query. The results page adds the campaign's recipients (to mark who is on the letter "
    "already) and the rendering."
)


def _app(url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "PASSWORD_HASHER": "fast-insecure-for-tests",
            "WTF_CSRF_ENABLED": False,
        }
    )


def _directory(url: str) -> tuple[Flask, int, int]:
    """A migrated database holding the bench directory, a coordinator and a campaign."""
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    app = _app(url)
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    with state(app).engine.begin() as conn:
        _extra_officials(conn, sizes(), utcnow())
    with app.app_context(), state(app).sessions() as session:
        user = create_user(
            session,
            email="searcher@bench.example",
            name="Sam Searcher",
            role=UserRole.COORDINATOR,
            password=BENCH_PASSWORD,
            actor=None,
        )
        campaign = create_campaign(session, {"title": "Bench letter"}, actor=user)
        session.commit()
        count = session.scalar(sa.select(sa.func.count()).select_from(Official)) or 0
        if state(app).engine.dialect.name == "postgresql":
            session.execute(sa.text("ANALYZE"))
            session.commit()
        return app, campaign.id, count


def _medians(app: Flask, campaign_id: int) -> dict[str, tuple[float, float]]:
    """Per query: median ms of the query alone, and of the results request."""
    client = app.test_client()
    signed = client.post(
        "/login", data={"email": "searcher@bench.example", "password": BENCH_PASSWORD}
    )
    assert signed.status_code == 302
    found: dict[str, tuple[float, float]] = {}
    for query in QUERIES:
        with state(app).sessions() as session:

            def search(session: sa.orm.Session = session, query: str = query) -> object:
                return find_recipients(session, query)

            timed(search, WARM_UP)
            alone = timed(search, REPEAT)

        def fetch(query: str = query) -> None:
            response = client.get(
                f"/campaigns/{campaign_id}/recipients/search",
                query_string={"q": query},
                headers={"X-Requested-With": "fetch"},
            )
            assert response.status_code == 200
            response.close()

        timed(fetch, WARM_UP)
        found[query] = (
            statistics.median(alone) * 1000,
            statistics.median(timed(fetch, REPEAT)) * 1000,
        )
    return found


def _table(results: dict[str, dict[str, tuple[float, float]]], count: int) -> str:
    names = list(results)
    head = "| Typed | " + " | ".join(f"{n} query | {n} results page" for n in names) + " |"
    rule = "|---|" + "---|---|" * len(names)
    lines = [head, rule]
    for query in QUERIES:
        cells = " | ".join(
            f"{results[n][query][0]:.1f} | {results[n][query][1]:.1f}" for n in names
        )
        lines.append(f"| `{query}` | {cells} |")
    medians = " | ".join(
        f"**{statistics.median(v[0] for v in results[n].values()):.1f}** | "
        f"**{statistics.median(v[1] for v in results[n].values()):.1f}**"
        for n in names
    )
    lines.append(f"| median of all | {medians} |")
    return (
        "## Searching the directory as one types\n\n"
        f"Measured on {machine()}; median of {REPEAT} runs per query after {WARM_UP} warm-ups, "
        f"in milliseconds, over the bench dataset's directory ({count:,} officials and their "
        "roles: the same at every scale). The query is `queries/officials.py:find_recipients` "
        "(each folded word matched in the stored search keys of names, riding, current roles "
        "and party); the results page is the fragment the add-recipients script fetches, "
        f"rendered. Target: the query under {TARGET_MS} ms. Reproduce with "
        "`python -m bench.search_bench` (add `--postgres URL`).\n\n" + "\n".join(lines) + NOTE
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-bench-")
    databases = {"SQLite": f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/bench.sqlite3"}
    if args.postgres:
        databases["PostgreSQL"] = args.postgres
    results: dict[str, dict[str, tuple[float, float]]] = {}
    count = 0
    for name, url in databases.items():
        app, campaign_id, count = _directory(url)
        results[name] = _medians(app, campaign_id)
        state(app).engine.dispose()
        print(name, {q: f"{a:.1f}/{b:.1f} ms" for q, (a, b) in results[name].items()})
    write_section("search", _table(results, count))


if __name__ == "__main__":
    main()
