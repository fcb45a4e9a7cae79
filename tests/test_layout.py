"""The layout a newcomer relies on: a file's path says its layer, and views build no SQL."""

from __future__ import annotations

import re
from pathlib import Path

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
SQL_IN_VIEWS = re.compile(r"\bselect\(|\.execute\(|\.scalars?\(")


def test_views_build_no_sql_and_call_queries_and_operations_instead() -> None:
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((TRACKER / "views").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SQL_IN_VIEWS.search(line)
    ]
    assert offenders == []


def test_every_blueprint_lives_in_the_views_package() -> None:
    outside = [
        str(path.relative_to(TRACKER))
        for path in TRACKER.rglob("*.py")
        if "Blueprint(" in path.read_text() and "views" not in path.relative_to(TRACKER).parts
    ]
    assert outside == []


def test_the_top_of_tracker_holds_at_most_twelve_modules() -> None:
    assert len(list(TRACKER.glob("*.py"))) <= 12


def test_no_two_modules_have_names_that_differ_only_by_a_suffix() -> None:
    stems = sorted({path.stem for path in TRACKER.rglob("*.py")} - {"__init__"})
    pairs = [
        (a, b)
        for a in stems
        for b in stems
        if a != b and b.startswith(a) and b[len(a) :].lstrip("_") in {"s", "views", "view", "es"}
    ]
    assert pairs == []
