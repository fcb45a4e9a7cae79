"""Where a page's time goes: cProfile over repeated requests of one page of the 1x dataset, the
top entries by own time and by cumulative time, and the page's counts (SQL statements,
translation look-ups, url_for calls) as tests/test_page_costs.py counts them.

Run with `python -m bench.profile_page campaign` (or any other page of ``_paths``, and
quick-log-post, the quick-log form's POST); ``--database FILE`` keeps the SQLite dataset between
runs; ``--as volunteer`` signs in as the volunteer of `make bench-load`'s mix;
``--postgres URL`` profiles on a PostgreSQL scratch database instead (built when empty, wiped
with ``--rebuild``); ``--scale N`` builds N times the data (when it builds: a new SQLite file,
an empty or rebuilt PostgreSQL database); ``--statements`` lists the page's
SQL statements by their total time, which is where PostgreSQL's pages differ from SQLite's.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import itertools
import json
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bench.dataset import BENCH_PASSWORD, Landmarks, build, sizes
from bench.pages_bench import WARM_UPS, _app
from bench.report import reference_loop_ms
from tracker import clock
from tracker.cli import alembic_config
from tracker.web.db import state
from tracker.web.fragments import forget_drawn
from tracker.web.serving import freeze_start_up_objects


def _paths(
    big_campaign_id: int, busy_official_id: int, quick_log_official_id: int
) -> dict[str, str]:
    return {
        "home": "/",
        "campaigns": "/campaigns/",
        "campaign": f"/campaigns/{big_campaign_id}",
        "letters": f"/campaigns/{big_campaign_id}/letters/",
        "follow-ups": "/follow-ups/",
        "follow-ups-all": "/follow-ups/?who=all",
        "mail-triage": "/mail/triage",
        "official": f"/officials/{busy_official_id}",
        "responsiveness": "/reports/responsiveness?by=official",
        "responsiveness-fresh": "/reports/responsiveness?by=official&fresh=1",
        "dashboard-fresh": "/reports/?fresh=1",
        "quick-log": f"/log/{quick_log_official_id}",
        "find": "/log/?q=family1",
        "directory": "/officials/",
    }


# The quick-log POST of the benchmarks (bench/pages_bench.py): a note, a new submission key each.
QUICK_LOG_POST = "quick-log-post"


def _request(client: FlaskClient, marks: Landmarks, page: str) -> Callable[[], int]:
    """One request of ``page``, returning its status."""
    if page != QUICK_LOG_POST:
        target = _paths(marks.big_campaign_id, marks.busy_official_id, marks.quick_log_official_id)[
            page
        ]
        return lambda: _status(client.get(target))
    keys = itertools.count()

    def post() -> int:
        return _status(
            client.post(
                f"/log/{marks.quick_log_official_id}",
                data={
                    "recipient_id": str(marks.quick_log_recipient_id),
                    "kind": "note",
                    "occurred_on": clock.today().isoformat(),
                    "channel": "",
                    "reply_class": "",
                    "summary": "Called the office",
                    "submission_key": f"profile{os.getpid()}-{next(keys)}",
                },
            )
        )

    return post


def _status(response: TestResponse) -> int:
    response.close()
    return response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page", default="campaign", nargs="?")
    parser.add_argument("--database", default=None, help="a SQLite file, built when missing")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="the median time only")
    parser.add_argument("--as", dest="who", choices=("coordinator", "volunteer"), default=None)
    parser.add_argument(
        "--cold", action="store_true", help="drawn rows forgotten before each request"
    )
    parser.add_argument("--postgres", default=None, help="a scratch PostgreSQL database's URL")
    parser.add_argument("--rebuild", action="store_true", help="wipe --postgres and build again")
    parser.add_argument("--scale", type=int, default=1, help="times the 1x dataset, when built")
    parser.add_argument(
        "--statements", action="store_true", help="the SQL statements by their total time"
    )
    parser.add_argument(
        "--explain", action="store_true", help="each statement's plan, as the page ran it"
    )
    args = parser.parse_args()
    if not os.environ.get("TRACKER_INSTANCE_PATH"):
        os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-profile-")
    url, saved, fresh = _database(args)
    if fresh:
        command.upgrade(alembic_config(url), "head")
    app = _app(url)
    if fresh:
        marks = build(state(app).sessions, state(app).engine, scale=args.scale)
        saved.write_text(json.dumps(dataclasses.asdict(marks)))
    marks = Landmarks(**json.loads(saved.read_text()))
    freeze_start_up_objects()
    client = app.test_client()
    # The volunteer who logs in `make bench-load`'s mix (bench/load_bench.py).
    email = (
        f"user{sizes()['users'] // 10}@bench.example"
        if args.who == "volunteer"
        else marks.coordinator_email
    )
    client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
    request = _request(client, marks, args.page)
    expected = 302 if args.page == QUICK_LOG_POST else 200
    for _ in range(WARM_UPS):
        assert request() == expected

    def get() -> None:
        if args.cold:  # the cost of drawing the page's rows afresh (a write just changed them)
            forget_drawn(app)
        request()

    times, cpu = [], []
    for _ in range(args.requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        get()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    # The processor time as well: on a shared machine it drifts far less than the wall clock.
    print(
        f"{args.page}: median {statistics.median(times):.1f} ms, processor "
        f"{statistics.median(cpu):.1f} ms, of {args.requests} requests "
        f"(reference loop {reference_loop_ms():.0f} ms)"
    )
    if args.statements:
        _print_statements(state(app).engine, get, args.requests, args.top)
        return
    if args.explain:
        _print_plans(state(app).engine, get)
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        get()
    profile.disable()
    # Python function calls per request: a measure of the work that the machine's load
    # does not move (the timings above drift with the other processes on it).
    calls = pstats.Stats(profile).total_calls / args.requests  # type: ignore[attr-defined]
    print(f"{args.page}: {calls:,.0f} function calls per request")
    if args.no_profile:
        return
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(order).print_stats(args.top)
        print(f"--- {args.page}, {args.requests} requests, by {order}")
        print(out.getvalue().split("\n", 6)[-1])


def _database(args: argparse.Namespace) -> tuple[str, Path, bool]:
    """The database's URL, the file keeping its landmarks, and whether it is to be built."""
    if args.postgres:
        url = args.postgres
        name = sa.engine.make_url(url).database
        saved = Path(tempfile.gettempdir()) / f"hilltrack-profile-{name}.landmarks.json"
        engine = sa.create_engine(url)
        if args.rebuild:
            with engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        built = sa.inspect(engine).has_table("official")
        engine.dispose()
        if built and not saved.exists():
            raise SystemExit(f"{name} holds tables but not this tool's dataset: add --rebuild")
        return url, saved, not built
    folder = Path(os.environ["TRACKER_INSTANCE_PATH"])
    path = Path(args.database or folder / "profile.sqlite3")
    return f"sqlite:///{path}", path.with_suffix(".landmarks.json"), not path.exists()


def _print_statements(engine: sa.Engine, get: Callable[[], None], requests: int, top: int) -> None:
    """Each statement the page runs, by its total time over ``requests`` (its first line and
    its count per request): on PostgreSQL every statement is a round trip."""
    spent: dict[str, float] = {}
    count: dict[str, int] = {}
    started: list[float] = []

    def before(*_: object) -> None:
        started.append(time.perf_counter())

    def after(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        key = " ".join(statement.split())  # printed cut short
        spent[key] = spent.get(key, 0.0) + time.perf_counter() - started.pop()
        count[key] = count.get(key, 0) + 1

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    start = time.perf_counter()
    for _ in range(requests):
        get()
    whole = (time.perf_counter() - start) * 1000 / requests
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    total = sum(spent.values()) * 1000 / requests
    statements = sum(count.values()) / requests
    print(f"{statements:.0f} statements per request, {total:.1f} ms of {whole:.1f} ms")
    for key, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:top]:
        shown = key[:150]
        print(f"{seconds * 1000 / requests:6.2f} ms  {count[key] / requests:4.1f} times  {shown}")


def _print_plans(engine: sa.Engine, get: Callable[[], None]) -> None:
    """Each statement of one request with its plan, run again with the same parameters: where
    a statement costs far more on one database than on the other, the plan says why."""
    ran: list[tuple[str, Any]] = []

    def after(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        ran.append((statement, parameters))

    sa.event.listen(engine, "after_cursor_execute", after)
    get()
    sa.event.remove(engine, "after_cursor_execute", after)
    postgres = engine.dialect.name == "postgresql"
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        for statement, parameters in ran:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("=" * 100)
            print(statement)
            print(parameters)
            cursor = driver.cursor()  # type: ignore[union-attr]
            cursor.execute(explain + statement, parameters)
            for row in cursor.fetchall():
                print("   ", " ".join(str(cell) for cell in row))
            cursor.close()
        connection.rollback()


if __name__ == "__main__":
    main()
