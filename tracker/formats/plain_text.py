"""Reading an export's columns as the text the CSV will hold, formatted by the database.

The full log is hundreds of thousands of rows: turning each stored date, enum and instant into a
Python object only to turn it back into text costs more than reading it. Only free-text columns
are left for Python, which must still neutralise them (see csvsafe).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Enum, Select, String, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from tracker.models.base import UTCDateTime


class iso_instant(FunctionElement[str]):
    """A stored instant as ISO 8601 text in UTC, to the second: 2026-01-05T14:03:09+00:00."""

    type = String()
    inherit_cache = True
    name = "iso_instant"


@compiles(iso_instant, "sqlite")
def _iso_instant_sqlite(element: iso_instant, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite holds instants as naive UTC text (tracker.models.base.UTCDateTime).
    return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {compiler.process(element.clauses, **kw)})"


@compiles(iso_instant, "postgresql")
def _iso_instant_postgresql(element: iso_instant, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


def as_text(query: Select[Any]) -> tuple[Select[Any], frozenset[int]]:
    """The query with its dates, enums and instants read as text, and the positions of the
    free-text columns (the only ones a spreadsheet could take for a formula)."""
    columns: list[Any] = []
    free_text = set()
    for position, column in enumerate(query.selected_columns):
        kind = column.type
        if isinstance(kind, UTCDateTime):
            columns.append(iso_instant(column))
        elif isinstance(kind, Enum | Date):  # Enum before String: an Enum is a String
            columns.append(type_coerce(column, String))
        else:
            # A stored-sentence column (SaidText) holds people's text too.
            if isinstance(getattr(kind, "impl_instance", kind), String):
                free_text.add(position)
            columns.append(column)
    return query.with_only_columns(*columns), frozenset(free_text)
