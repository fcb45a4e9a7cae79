"""Time and peak memory of reading what a member said: parsing the House's two search answers
for one member over a whole Parliament (770 interventions), and storing them.

Run with `make bench` (or `python -m bench.outcomes_bench [--postgres URL]`).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command

from bench.report import machine, median_ms, timed, write_section
from importers import hansard
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.operations.outcomes import store_interventions
from tracker.web.db import state

REPEAT = 5
FILES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "feeds" / "hansard"
PERSON = 89156


def _parse_both() -> list[hansard.Intervention]:
    found = []
    for pub_type in hansard.PUB_TYPES:
        found += hansard.read_member(FILES, PERSON, pub_type) or []
    return found


def _peak_mib(action: Callable[[], object]) -> str:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return f"{peak / 2**20:.0f} MiB"


def _store(url: str, items: list[hansard.Intervention]) -> dict[str, list[float]]:
    first: list[float] = []
    again: list[float] = []
    for _ in range(REPEAT):
        command.downgrade(alembic_config(url), "base")
        command.upgrade(alembic_config(url), "head")
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})

        def store(app: Any = app) -> None:
            with state(app).sessions() as session:
                store_interventions(session, items)
                session.commit()

        first += timed(store, 1)
        again += timed(store, 1)
        state(app).engine.dispose()
    return {"first": first, "again": again}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-bench-")
    databases = {"SQLite": f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/bench.sqlite3"}
    if args.postgres:
        databases["PostgreSQL"] = args.postgres
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = _parse_both()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    parse = timed(_parse_both, REPEAT * 2)
    parse_peak = _peak_mib(_parse_both)
    results = {name: _store(url, items) for name, url in databases.items()}
    names = list(results)
    rows = [
        "| Step | " + " | ".join(names) + " | Target |",
        "|---|" + "---|" * len(names) + "---|",
        f"| Parse both answers ({len(items)} interventions) | "
        + " | ".join(median_ms(parse) for _ in names)
        + " | ≤ 1 s |",
        "| Store them, first time | "
        + " | ".join(median_ms(r["first"]) for r in results.values())
        + " | ≤ 2 s |",
        "| Store them again (nothing changed) | "
        + " | ".join(median_ms(r["again"]) for r in results.values())
        + " | ≤ 1 s |",
        "| Peak Python memory while parsing (tracemalloc) | "
        + " | ".join(parse_peak for _ in names)
        + " | ≤ 100 MiB |",
        "| Growth of the process's peak memory on the first parse (lxml included) | "
        + " | ".join(f"{rss_growth:.0f} MiB" for _ in names)
        + " | ≤ 100 MiB |",
    ]
    size = sum(p.stat().st_size for p in FILES.glob(f"{PERSON}-*.xml")) / 2**20
    body = f"""## What a member said: parsing and storing the House's search answers

Measured {clock.today()} on {machine()}; median of {REPEAT} runs, each store on a freshly
migrated database. Input: the real search answers for PersonId 89156 over the 44th Parliament
(House debates and committee evidence, {size:.1f} MiB, `tests/fixtures/feeds/hansard/`).
Reproduce with `make bench`.

{chr(10).join(rows)}

Parsing is the same work for every database (it happens before any transaction). The first
memory figure counts Python's own allocations while both files are parsed; the second, how
much the process's peak resident memory grew on the first parse, which includes libxml2's tree.
A re-read compares every stored field and writes nothing.
"""
    write_section("outcomes", body)
    print(body)


if __name__ == "__main__":
    main()
