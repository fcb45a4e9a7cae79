"""Rows written straight into a database as an older migration left it, for the tests of the
migrations that follow."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


def required_values(table: sa.Table, now: dt.datetime) -> dict[str, object]:
    """A value for each column the row cannot go without (not null, no default in the
    database) of a table as an older migration left it, by the column's type."""
    values: dict[str, object] = {}
    for column in table.columns:
        if column.nullable or column.server_default is not None or column.primary_key:
            continue
        kind = column.type
        if isinstance(kind, sa.JSON):
            values[column.name] = []
        elif isinstance(kind, sa.DateTime):
            values[column.name] = now
        elif isinstance(kind, sa.Date):
            values[column.name] = now.date()
        elif isinstance(kind, (sa.Integer, sa.Boolean)):
            values[column.name] = 0
        else:
            values[column.name] = "x"
    return values
