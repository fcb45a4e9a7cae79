"""Server-side time of the main pages, the quick-log POST and the full exports, on the large
dataset (bench/dataset.py), at 1x and at ``--scale`` times the data in one run, with each page's
growth. Writes its tables into docs/performance.md.

Run with `make bench` or `python -m bench.pages_bench [--scale 10] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable

from alembic import command
from flask import Flask
from sqlalchemy import Engine

from bench.dataset import BENCH_PASSWORD, BUSY_OFFICIAL, SIZES, Landmarks, build, sizes
from bench.report import machine, reference_loop_ms, write_section
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.queries.exports import ExportFilter, csv_chunks
from tracker.web.db import state
from tracker.web.fragments import forget_drawn
from tracker.web.serving import freeze_start_up_objects

REPEAT = 15
# Requests of each page before timing starts. A server's connections reach their steady state
# after a few requests: psycopg prepares a statement run five times on a connection, and
# PostgreSQL settles on a plan for it after five more (SQLite's pages are warm after one).
WARM_UPS = 10
CAMPAIGN_PAGE = "campaign with 450 recipients"
OFFICIAL_PAGE = "busiest official (100 of their entries shown)"
# The same pages with their drawn rows forgotten first (as after a write to what they show):
# timed just before the page itself, which then finds them drawn (views' revision caches).
CAMPAIGN_COLD = "campaign with 450 recipients, rows recomputed"
OFFICIAL_COLD = "busiest official, entries recomputed"
# Each forgets only its own page's kept rows: forgetting them all (home's campaign lines too)
# measured home recomputed in every round.
COLD = {CAMPAIGN_COLD: "campaign rows", OFFICIAL_COLD: "official timeline"}
# Pages that show the same amount at every size: at 10x the data, within 1.5x of their time.
FLAT = {
    "home",
    "campaigns list",
    CAMPAIGN_PAGE,
    CAMPAIGN_COLD,
    OFFICIAL_PAGE,
    OFFICIAL_COLD,
    "my follow-ups",
    "everyone's follow-ups",
    "officials directory",
    "quick-log POST",
    "the campaign's letters",
    "queue",
    "mail triage",
}
# Reports read what happened in a period: bounded in time instead (median at 10x, ms).
BOUNDED = {
    "reports dashboard": 50,
    "reports dashboard, figures recomputed": 50,
    "responsiveness by party": 100,
    "responsiveness by official": 100,
    "responsiveness by official, figures recomputed": 100,
}
# Timed once per round beside the pages: the processor's speed at the time (bench/report.py).
REFERENCE = "reference loop (processor speed)"
# PostgreSQL beside SQLite: rounds of every page on each, and the target for their ratio.
SIDE_BY_SIDE_ROUNDS = 25
POSTGRES_WITHIN = 1.3


def _app(url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "PASSWORD_HASHER": "fast-insecure-for-tests",
            # The benchmark measures server work, not the browser's CSRF round trip.
            "WTF_CSRF_ENABLED": False,
        }
    )


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def page_times(app: Flask, marks: Landmarks) -> dict[str, list[float]]:
    return _interleaved(page_actions(app, marks))


def page_actions(app: Flask, marks: Landmarks) -> dict[str, Callable[[], object]]:
    """Each page's request, signed in as the dataset's coordinator, by the page's name."""
    client = app.test_client()
    assert (
        client.post(
            "/login", data={"email": marks.coordinator_email, "password": BENCH_PASSWORD}
        ).status_code
        == 302
    )
    pages = {
        "home": "/",
        "reports dashboard": "/reports/",
        # The same page computing its figures again (the first request of each 30 s).
        "reports dashboard, figures recomputed": "/reports/?fresh=1",
        "responsiveness by party": "/reports/responsiveness?by=party",
        "responsiveness by official": "/reports/responsiveness?by=official",
        # Kept for REPORTS_CACHE_SECONDS as the dashboard is; this is its first request of each.
        "responsiveness by official, figures recomputed": (
            "/reports/responsiveness?by=official&fresh=1"
        ),
        "campaigns list": "/campaigns/",
        CAMPAIGN_COLD: f"/campaigns/{marks.big_campaign_id}",
        CAMPAIGN_PAGE: f"/campaigns/{marks.big_campaign_id}",
        OFFICIAL_COLD: f"/officials/{marks.busy_official_id}",
        OFFICIAL_PAGE: f"/officials/{marks.busy_official_id}",
        "my follow-ups": "/follow-ups/",
        "everyone's follow-ups": "/follow-ups/?who=all",
        "officials directory": "/officials/",
        "the campaign's letters": f"/campaigns/{marks.big_campaign_id}/letters/",
        "queue": "/queue/",
        "mail triage": "/mail/triage",
    }
    actions: dict[str, Callable[[], object]] = {}
    for name, path in pages.items():

        def get(path: str = path, cold: str | None = COLD.get(name)) -> None:
            if cold:
                forget_drawn(app, cold)
            response = client.get(path)
            assert response.status_code == 200, path
            response.close()

        actions[name] = get
    counter = iter(range(10**6))
    run = uuid.uuid4().hex[:8]  # a later run on the same data logs new notes, not replays

    def log() -> None:
        response = client.post(
            f"/log/{marks.quick_log_official_id}",
            data={
                "recipient_id": str(marks.quick_log_recipient_id),
                "kind": "note",
                "occurred_on": clock.today().isoformat(),
                "channel": "",
                "reply_class": "",
                "summary": "Called the office",
                "submission_key": f"bench{run}-{next(counter)}",
            },
        )
        assert response.status_code == 302

    actions["quick-log POST"] = log
    return actions


def _interleaved(actions: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Each action REPEAT times, taking turns: the processor's speed drifts on this machine,
    and taking turns spreads a slow minute over every page instead of one."""
    for action in actions.values():
        for _ in range(WARM_UPS):
            action()  # warm caches, connection pools and prepared statements
    results: dict[str, list[float]] = {name: [] for name in actions}
    results[REFERENCE] = []
    for _ in range(REPEAT):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            results[name].append((time.perf_counter() - start) * 1000)
        results[REFERENCE].append(reference_loop_ms(repeat=1))
    return results


def side_by_side(
    sides: dict[str, tuple[Flask, Landmarks]], rounds: int = SIDE_BY_SIDE_ROUNDS
) -> dict[str, dict[str, list[float]]]:
    """Each page served by each database in turn, page by page and round by round: their ratio
    from one run. Timed one after the other, minutes apart, this machine's drift moved the
    ratio by a third."""
    actions = {db: page_actions(app, marks) for db, (app, marks) in sides.items()}
    for by_page in actions.values():
        for action in by_page.values():
            for _ in range(WARM_UPS):
                action()
    results: dict[str, dict[str, list[float]]] = {
        db: {name: [] for name in by_page} for db, by_page in actions.items()
    }
    for _ in range(rounds):
        for name in next(iter(actions.values())):
            for db, by_page in actions.items():
                start = time.perf_counter()
                by_page[name]()
                results[db][name].append((time.perf_counter() - start) * 1000)
    return results


def _side_by_side_table(results: dict[str, dict[str, list[float]]]) -> str:
    first, second = list(results)
    lines = [
        f"| Page (server time, ms, median) | {first} | {second} | {second} / {first} |",
        "|---|---|---|---|",
    ]
    for name, times in results[first].items():
        a, b = statistics.median(times), statistics.median(results[second][name])
        within = "" if b / a <= POSTGRES_WITHIN else " \u2190"
        lines.append(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f}\u00d7{within} |")
    return "\n".join(lines)


def write_side_by_side(results: dict[str, dict[str, list[float]]]) -> None:
    body = f"""### PostgreSQL beside SQLite, in one run

Measured {clock.today()} on {machine()}, through the WSGI app in-process: each page of the
large dataset's table served from the 1\u00d7 dataset on SQLite, then at once on PostgreSQL, page by
page and round by round ({SIDE_BY_SIDE_ROUNDS} rounds after {WARM_UPS} warm-ups), so that the
machine's drift moves both alike. Target: PostgreSQL within {POSTGRES_WITHIN}\u00d7 of SQLite
(\u2190 marks a page beyond it).

{_side_by_side_table(results)}
"""
    write_section("pages-postgres", body)
    print(body)


def _floors(dialect: str, big_campaign_id: int) -> dict[str, tuple[ExportFilter, str]]:
    """Each export at full size, and its floor: the same rows straight from the driver."""
    joined_titles = (
        "group_concat(ro.title, '; ')" if dialect == "sqlite" else "string_agg(ro.title, '; ')"
    )
    return {
        "interactions": (
            ExportFilter(),
            "SELECT i.occurred_on, i.kind, o.given_name, o.family_name, c.title, r.role_title, "
            "i.channel, i.reply_class, i.stance, i.summary, i.official_attendees, "
            "i.coalition_attendees, i.asks_made, i.commitments, u.name, i.created_at "
            "FROM interaction i JOIN official o ON o.id = i.official_id "
            "LEFT JOIN recipient r ON r.id = i.recipient_id "
            "LEFT JOIN campaign c ON c.id = r.campaign_id "
            "LEFT JOIN user_account u ON u.id = i.recorded_by_id ORDER BY i.occurred_on, i.id",
        ),
        "follow-ups": (
            ExportFilter(),
            "SELECT f.due_on, f.status, o.given_name, o.family_name, c.title, u.name, f.note, "
            "f.completion_note, f.completed_at FROM follow_up f "
            "JOIN official o ON o.id = f.official_id "
            "LEFT JOIN recipient r ON r.id = f.recipient_id "
            "LEFT JOIN campaign c ON c.id = r.campaign_id "
            "LEFT JOIN user_account u ON u.id = f.assignee_id ORDER BY f.due_on, f.id",
        ),
        "officials": (
            ExportFilter(),
            "SELECT o.honorific, o.given_name, o.family_name, o.party, o.constituency, "  # noqa: S608 (fixed text)
            f"o.province, o.email, o.phone, o.ourcommons_id, {joined_titles} "
            "FROM official o JOIN role ro ON ro.official_id = o.id AND ro.end_on IS NULL "
            "GROUP BY o.id ORDER BY o.family_name, o.given_name, o.id",
        ),
        "lobbying-report": (
            ExportFilter(),
            "SELECT i.occurred_on, o.given_name, o.family_name, r.role_title, h.title, "
            "org.name, c.title, i.kind FROM interaction i "
            "JOIN official o ON o.id = i.official_id "
            "LEFT JOIN recipient r ON r.id = i.recipient_id "
            "LEFT JOIN campaign c ON c.id = r.campaign_id "
            "LEFT JOIN role h ON h.id = r.role_id "
            "LEFT JOIN organisation org ON org.id = h.organisation_id "
            "WHERE i.kind IN ('meeting_held', 'call') ORDER BY i.occurred_on, i.id",
        ),
        "campaign-status": (
            ExportFilter(campaign_id=big_campaign_id),
            "SELECT o.given_name, o.family_name, o.party, r.role_title, r.addressed_as, "  # noqa: S608 (an int id)
            "r.salutation, r.status, r.sent_on, r.first_reply_on FROM recipient r "
            f"JOIN official o ON o.id = r.official_id WHERE r.campaign_id = {big_campaign_id} "
            "ORDER BY r.position",
        ),
    }


EXPORT_RUNS = 3


def _floor(engine: Engine, sql: str) -> None:
    """The rows straight from the driver into csv.writer, flushed like the app's stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with engine.connect() as conn:
        for row in conn.exec_driver_sql(sql):
            writer.writerow(row)
            if buffer.tell() > 1 << 20:
                buffer.seek(0)
                buffer.truncate()


def export_figures(app: Flask, big_campaign_id: int) -> dict[str, dict[str, float]]:
    """Every export at full size against its floor (the same rows through the driver and
    csv.writer, nothing else), and its peak memory."""
    figures = {}
    with app.app_context():
        engine = state(app).engine
        for kind, (flt, floor_sql) in _floors(engine.dialect.name, big_campaign_id).items():
            session = state(app).sessions()
            app_times, floor_times = [], []
            # Alternately, best of three: the processor's speed drifts (see bench/report.py).
            for _ in range(EXPORT_RUNS):
                start = time.perf_counter()
                rows = sum(chunk.count("\r\n") for chunk in csv_chunks(session, kind, flt))
                app_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                _floor(engine, floor_sql)
                floor_times.append(time.perf_counter() - start)
            app_seconds, floor_seconds = min(app_times), min(floor_times)
            tracemalloc.start()
            for _ in csv_chunks(session, kind, flt):
                pass
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            session.close()
            figures[kind] = {
                "rows": rows - 1,
                "app": app_seconds,
                "floor": floor_seconds,
                "peak_mb": peak / 2**20,
            }
    return figures


Exports = dict[str, dict[str, float]]
Result = tuple[dict[str, list[float]], Exports, float, Landmarks]


def run(url: str, scale: int = 1, exports: bool = True, timed: bool = True) -> Result:
    """Build the dataset at ``scale`` on a fresh database, time the pages (and the exports)."""
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    app = _app(url)
    start = time.perf_counter()
    marks = build(state(app).sessions, state(app).engine, scale=scale)
    built = time.perf_counter() - start
    print(f"built the {scale}x dataset in {built:.0f} s", flush=True)
    # Served as gunicorn serves it: tracker.wsgi freezes each worker's start-up objects.
    freeze_start_up_objects()
    pages = page_times(app, marks) if timed else {}
    figures = export_figures(app, marks.big_campaign_id) if exports else {}
    state(app).engine.dispose()
    return pages, figures, built, marks


def _target(name: str, scale: int) -> str:
    if name in FLAT:
        return f"\u2264 1.5\u00d7 at {scale}\u00d7" if scale > 1 else "flat"
    if name in BOUNDED:
        return f"\u2264 {BOUNDED[name]} ms at {scale}\u00d7"
    return "\u2014"


def _table(results: dict[str, dict[int, Result]], scale: int) -> str:
    """Medians at 1x and at the scale, and the growth, per database; then each p95."""
    some = next(iter(results.values()))
    names = list(some[1][0])
    header = "| Page (server time, ms) | "
    rule = "|---|"
    for db in results:
        header += f"{db} 1\u00d7 | {db} {scale}\u00d7 | growth | "
        rule += "---|---|---|"
    lines = [header + "Target |", rule + "---|"]
    for name in names:
        cells = []
        for by_scale in results.values():
            small = statistics.median(by_scale[1][0][name])
            large = statistics.median(by_scale[scale][0][name])
            cells += [f"{small:.0f}", f"{large:.0f}", f"{large / small:.2f}\u00d7"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_target(name, scale)} |")
    return "\n".join(lines)


def _p95_table(results: dict[str, dict[int, Result]], scale: int) -> str:
    header = "| Page (server time, ms) | " + " | ".join(
        f"{db} {s}\u00d7 p95" for db in results for s in (1, scale)
    )
    lines = [header + " |", "|---|" + "---|" * (2 * len(results))]
    for name in next(iter(results.values()))[1][0]:
        cells = [
            f"{_p95(by_scale[s][0][name]):.0f}" for by_scale in results.values() for s in (1, scale)
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _export_table(results: dict[str, Result]) -> str:
    lines = [
        "| Export | Database | Rows | Hilltrack | Floor | Ratio | Peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for db, (_, exports, _, _) in results.items():
        for kind, e in exports.items():
            lines.append(
                f"| {kind} | {db} | {e['rows']:,.0f} | {e['app']:.2f} s | {e['floor']:.2f} s | "
                f"{e['app'] / e['floor']:.2f}\u00d7 | {e['peak_mb']:.1f} MB |"
            )
    return "\n".join(lines)


def _sizes_line(scale: int) -> str:
    def line(size: dict[str, int]) -> str:
        return (
            f"{size['campaigns']:,} campaigns ({size['campaigns'] // 10 + 1} active), "
            f"{size['recipients']:,} recipients, {size['interactions']:,} interactions, "
            f"{size['follow_ups']:,} follow-ups, {size['users']:,} users, "
            f"{size['letters']:,} letters e-mailed, {size['messages']:,} messages received "
            f"({size['messages'] // 30:,} in triage) and {size['jobs']:,} jobs"
        )

    return f"at 1\u00d7, {line(sizes(1))}; at {scale}\u00d7, {line(sizes(scale))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    parser.add_argument(
        "--scale", type=int, default=10, help="the larger dataset, in times the first (10)"
    )
    parser.add_argument(
        "--side-by-side-only",
        action="store_true",
        help="with --postgres: build the 1x dataset on both, time them beside each other only",
    )
    args = parser.parse_args()
    os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-bench-")
    databases = {"SQLite": f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/large.sqlite3"}
    if args.postgres:
        databases["PostgreSQL"] = args.postgres
    elif args.side_by_side_only:
        parser.error("--side-by-side-only needs --postgres URL")
    results: dict[str, dict[int, Result]] = {}
    for name, url in databases.items():
        results[name] = {
            1: run(url, exports=not args.side_by_side_only, timed=not args.side_by_side_only)
        }
        if name == "PostgreSQL":  # both 1x datasets stand: time them beside each other
            write_side_by_side(
                side_by_side({db: (_app(databases[db]), results[db][1][3]) for db in databases})
            )
        if args.side_by_side_only:
            continue
        if args.scale > 1:
            if url.startswith("sqlite"):
                url = url.replace("large.sqlite3", f"large-{args.scale}x.sqlite3")
            results[name][args.scale] = run(url, args.scale, exports=False)
    if args.side_by_side_only:
        return
    scale = max(results[next(iter(results))])
    built = ", ".join(
        f"{db} {s}\u00d7 {r[2]:.0f} s"
        for db, by_scale in results.items()
        for s, r in by_scale.items()
    )
    body = f"""## Pages and exports on a large dataset, at 1\u00d7 and {scale}\u00d7

Measured {clock.today()} on {machine()}, through the WSGI app in-process (no network), median
of {REPEAT} requests per page after {WARM_UPS} warm-ups, the pages taking turns, signed in as a
coordinator; both sizes in one run, so that the growth (the {scale}\u00d7 median over the
1\u00d7 one) holds even when this shared machine's speed drifts. Dataset (`bench/dataset.py`,
seeded): the 1,231 officials of the bundled House export plus {SIZES["senators"]} senators and
{SIZES["others"]} other officials; {_sizes_line(scale)}. What each page shows is the same at both
sizes: the campaign page's 450 recipients, the busiest official's latest 100 entries (of
{BUSY_OFFICIAL:,} and more), the coordinator's 100 follow-ups, a page of 50 of everyone's, the
first 100 messages in triage. Building the datasets took {built}.

Flat pages show the same amount at both sizes and must stay within 1.5\u00d7; the reports read a
period's letters and must stay under their bound at {scale}\u00d7.

{_table(results, scale)}

The 95th percentiles of the same requests:

{_p95_table(results, scale)}

Each export at full size (1\u00d7), against its floor (the same rows through the driver and
`csv.writer`, nothing else), the best of {EXPORT_RUNS} runs of each taken in turns; peak memory
measured with tracemalloc. Targets for the interactions export: \u2264 1.5\u00d7 its floor,
under 256 MB.

{_export_table({db: by_scale[1] for db, by_scale in results.items()})}
"""
    write_section("pages", body)
    print(body)


if __name__ == "__main__":
    main()
