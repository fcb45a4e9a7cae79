"""A change measured against an earlier version in one run: the pages of `bench/pages_bench.py`
served by two copies of Hilltrack side by side, each on its own copy of the 1x dataset, taking
turns round by round, with the reference loop timed between rounds. Two runs on different
minutes of this shared machine differ by a third; one run in turns does not.

Run with `python -m bench.compare --against 3a31551` (a commit, tag or branch: its tree is
exported with `git archive`). Prints the table and writes it into docs/performance.md. With
``--postgres URL`` each side serves from its own PostgreSQL database beside the one named (the
name with ``_before`` and ``_after``, made when missing and wiped), vacuumed and analysed after
the build as autovacuum would, whichever version built it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.report import machine, reference_loop_ms, write_section
from tracker import clock

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 15
WARM_UPS = 10  # as bench/pages_bench.py's: prepared statements settle after ten

# The side that serves: run as a file (`python bench/compare.py --serve`) with PYTHONPATH set
# to one tree, so that `bench` and `tracker` are that tree's own.
SERVE = "--serve"


def serve() -> None:
    """Build the dataset, then time one round of every page per line read on stdin."""
    import time

    from alembic import command

    import bench.pages_bench as pages
    from bench.dataset import build
    from tracker.cli import alembic_config
    from tracker.web.db import state

    url = os.environ.get(DATABASE) or (
        f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/compare.sqlite3"
    )
    if url.startswith("postgresql"):
        _wipe(url)
    else:
        command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    app = pages._app(url)
    marks = build(state(app).sessions, state(app).engine)
    if url.startswith("postgresql"):
        _settle(url)
    try:
        from tracker.web.serving import freeze_start_up_objects

        freeze_start_up_objects()
    except ImportError:  # a version from before it
        pass
    captured = {}

    def capture(actions: dict) -> dict:  # type: ignore[type-arg]
        captured.update(actions)
        return {}

    if os.environ.get(EXPORTS):
        captured.update(_export_actions(app, pages, marks))
        warm_ups = 1
    else:
        pages._interleaved = capture
        pages.page_times(app, marks)
        warm_ups = WARM_UPS
    for action in captured.values():
        for _ in range(warm_ups):
            action()  # warm caches, connection pools and prepared statements
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        times = {}
        for name, action in captured.items():
            start = time.perf_counter()
            action()
            times[name] = (time.perf_counter() - start) * 1000
        print(json.dumps(times), flush=True)


# The database a side serves from, when not its own SQLite file (--postgres).
DATABASE = "HILLTRACK_COMPARE_DATABASE_URL"
# Set: a side times the largest exports at full size instead of the pages (--exports).
EXPORTS = "HILLTRACK_COMPARE_EXPORTS"
EXPORT_KINDS = ("interactions", "follow-ups", "lobbying-report")
EXPORT_ROUNDS = 5


def _export_actions(app: Any, pages: Any, marks: Any) -> dict[str, Any]:
    """Each large export written whole, as a download streams it, and the interactions
    export's floor (the same rows through the driver and csv.writer): the same code on both
    sides, so its two figures show what the machine did meanwhile."""
    from tracker.queries.exports import ExportFilter, csv_chunks
    from tracker.web.db import state

    def export(kind: str) -> Any:
        def action() -> None:
            with app.app_context():
                session = state(app).sessions()
                try:
                    for _ in csv_chunks(session, kind, ExportFilter()):
                        pass
                finally:
                    session.close()

        return action

    def floor() -> None:
        with app.app_context():
            engine = state(app).engine
            sql = pages._floors(engine.dialect.name, marks.big_campaign_id)["interactions"][1]
            pages._floor(engine, sql)

    actions = {f"{kind} export": export(kind) for kind in EXPORT_KINDS}
    actions["interactions floor"] = floor
    return actions


def _wipe(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def _settle(url: str) -> None:
    """What autovacuum does after a bulk load (an older tree's build only analysed)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def _side_databases(url: str) -> dict[str, str]:
    """Each side's database beside ``url``'s, made when missing."""
    import sqlalchemy as sa

    base = sa.engine.make_url(url)
    engine = sa.create_engine(base.set(database="postgres"))
    made = {}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for side in ("before", "after"):
            name = f"{base.database}_{side}"
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            made[side] = base.set(database=name).render_as_string(hide_password=False)
    engine.dispose()
    return made


SCRATCH: list[str] = []  # folders made for the run, removed at its end


def _tree(revision: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix=f"hilltrack-{revision[:12]}-"))
    SCRATCH.append(str(target))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _start(tree: Path, database: str | None, exports: bool = False) -> subprocess.Popen[str]:
    instance = tempfile.mkdtemp(prefix="hilltrack-compare-")
    SCRATCH.append(instance)
    env = {**os.environ, "PYTHONPATH": str(tree), "TRACKER_INSTANCE_PATH": instance}
    if database:
        env[DATABASE] = database
    if exports:
        env[EXPORTS] = "1"
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "compare.py"), SERVE],
        cwd=tree,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "ready":
            return
    raise RuntimeError("a side of the comparison exited before it was ready")


def _round(process: subprocess.Popen[str]) -> dict[str, float]:
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write("round\n")
    process.stdin.flush()
    result: dict[str, float] = json.loads(process.stdout.readline())
    return result


def compare(
    revision: str, label: str, postgres: str | None = None, *, exports: bool = False
) -> str:
    databases = _side_databases(postgres) if postgres else {"before": None, "after": None}
    sides = {
        revision: _start(_tree(revision), databases["before"], exports),
        label: _start(ROOT, databases["after"], exports),
    }
    for process in sides.values():
        _ready(process)
    times: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    reference = []
    order = list(sides)
    try:
        for n in range(EXPORT_ROUNDS if exports else REPEAT):
            # Who goes first changes each round: neither side always follows the other.
            for side in order if n % 2 == 0 else reversed(order):
                for name, ms in _round(sides[side]).items():
                    times[side].setdefault(name, []).append(ms)
            reference.append(reference_loop_ms(repeat=1))
    finally:
        for process in sides.values():
            process.communicate("quit\n", timeout=60)
        for folder in SCRATCH:
            shutil.rmtree(folder, ignore_errors=True)
    before, after = times[revision], times[label]
    what = "Export, whole (ms, median)" if exports else "Page (server time, ms, median)"
    lines = [
        f"| {what} | {revision} | {label} | after / before |",
        "|---|---|---|---|",
    ]
    for name in before:
        old = statistics.median(before[name])
        new = statistics.median(after.get(name, [float("nan")]))
        lines.append(f"| {name} | {old:.0f} | {new:.0f} | {new / old:.2f}\u00d7 |")
    lines.append(
        f"| reference loop (processor speed) | {statistics.median(reference):.0f} | "
        f"{statistics.median(reference):.0f} | |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", required=True, help="the earlier commit, tag or branch")
    parser.add_argument("--label", default="this tree", help="the name of this side")
    parser.add_argument("--postgres", default=None, help="a scratch PostgreSQL database's URL")
    parser.add_argument(
        "--section",
        default=None,
        help="its block in docs/performance.md (compare, or compare-postgres with --postgres)",
    )
    parser.add_argument(
        "--exports",
        action="store_true",
        help="time the largest exports written whole instead of the pages",
    )
    args = parser.parse_args()
    table = compare(args.against, args.label, args.postgres, exports=args.exports)
    database = "PostgreSQL" if args.postgres else "SQLite"
    command = f"python -m bench.compare --against {args.against}" + (
        " --postgres URL" if args.postgres else ""
    )
    on_postgres = ", on PostgreSQL" if args.postgres else ""
    if args.exports:
        command += " --exports"
        body = f"""### Exports before and after, side by side{on_postgres}

Measured {clock.today()} on {machine()}, {database}, the 1\u00d7 dataset: `{command}` writes
the largest exports whole (every row, as a download streams them) from both versions in one
run, each on its own copy of the same seeded dataset, taking turns round by round
({EXPORT_ROUNDS} rounds, 1 warm-up), the reference loop timed between rounds. The floor is the
same code on both sides: the interactions' rows through the driver and `csv.writer`.

{table}
"""
        default = "compare-exports-postgres" if args.postgres else "compare-exports"
    else:
        body = f"""### Before and after, side by side{on_postgres}

Measured {clock.today()} on {machine()}, through the WSGI app in-process, {database}, the 1\u00d7
dataset: `{command}` serves the pages of
`bench/pages_bench.py` from both versions in one run, each on its own copy of the same
seeded dataset, taking turns round by round ({REPEAT} rounds, {WARM_UPS} warm-ups), the
reference loop timed between rounds.

{table}
"""
        default = "compare-postgres" if args.postgres else "compare"
    write_section(args.section or default, body)
    print(body)


if __name__ == "__main__":
    if SERVE in sys.argv:
        serve()
    else:
        main()
