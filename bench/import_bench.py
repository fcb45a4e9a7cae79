"""Time the House import from the bundled files, against the floor of parsing the XML alone.

Run with `make bench` (or `python -m bench.import_bench [--postgres URL]`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import tempfile
from pathlib import Path

from alembic import command
from lxml import etree

from bench.report import machine, median_ms, timed, write_section
from importers import ourcommons
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.web.db import state

REPEAT = 5


def _fresh_app(url: str) -> object:
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})


def measure(url: str, folder: Path, as_of: dt.datetime) -> dict[str, list[float]]:
    options = ImportOptions(from_dir=folder, as_of=as_of)
    first: list[float] = []
    rerun: list[float] = []
    for _ in range(REPEAT):
        app = _fresh_app(url)
        sessions = state(app).sessions  # type: ignore[arg-type]
        for bucket in (first, rerun):
            bucket += timed(functools.partial(run_officials_import, sessions, options), 1)
        state(app).engine.dispose()  # type: ignore[arg-type]
    return {"first": first, "rerun": rerun}


def floors(folder: Path) -> dict[str, list[float]]:
    """The raw XML parse of every file the import reads (the floor), and of members.xml alone
    into records."""
    files = [path.read_bytes() for path in sorted(folder.glob("*.xml"))]
    members = (folder / "members.xml").read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def parse_all() -> None:
        for data in files:
            etree.fromstring(data, parser)

    return {
        "raw_parse": timed(parse_all, REPEAT * 4),
        "records": timed(lambda: ourcommons.parse_members(members), REPEAT * 4),
    }


def _ratio(app: list[float], floor: list[float]) -> str:
    return f"{statistics.median(app) / statistics.median(floor):.0f}\u00d7"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    folder, as_of = bundled_snapshot()
    os.environ["TRACKER_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="hilltrack-bench-")
    databases = {"SQLite": f"sqlite:///{os.environ['TRACKER_INSTANCE_PATH']}/bench.sqlite3"}
    if args.postgres:
        databases["PostgreSQL"] = args.postgres
    results = {name: measure(url, folder, as_of) for name, url in databases.items()}
    floor = floors(folder)
    rows = [
        "| Step | " + " | ".join(results) + " | Target |",
        "|---|" + "---|" * len(results) + "---|",
        "| House import from files, first run | "
        + " | ".join(median_ms(r["first"]) for r in results.values())
        + " | ≤ 2 s |",
        "| Re-import of the same files (no-op) | "
        + " | ".join(median_ms(r["rerun"]) for r in results.values())
        + " | ≤ 1 s |",
        "| First run / floor | "
        + " | ".join(_ratio(r["first"], floor["raw_parse"]) for r in results.values())
        + " | |",
        "| No-op re-run / floor | "
        + " | ".join(_ratio(r["rerun"], floor["raw_parse"]) for r in results.values())
        + " | |",
    ]
    body = f"""## House import from files

Measured {clock.today()} on {machine()}; median of {REPEAT} runs, each on a freshly migrated
database. Input: the bundled snapshot (1,231 members, 38 ministers, 12 House officers,
4 chair occupants). Reproduce with `make bench`.

{chr(10).join(rows)}

Floor: parsing the four XML files with lxml alone takes {median_ms(floor["raw_parse"])};
parsing `members.xml` into records takes {median_ms(floor["records"])}. The rest of an import
is matching and writing rows: one INSERT per new official and role on a first run, and none on
a re-run, which only reads every official and role and compares.
"""
    write_section("import", body)
    print(body)


if __name__ == "__main__":
    main()
