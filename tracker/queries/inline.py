"""Values written into a statement's SQL instead of sent beside it.

On PostgreSQL a statement run often on a connection is prepared, and once it has no parameter
left PostgreSQL plans it once and keeps the plan. A value that is the same for every request of
a page (a kind, a state, a page's length, today's date) is therefore written into the SQL, so
that the statement's text says all the planner needs: a parameter in its place made PostgreSQL
plan the statement afresh on every request (0.8 ms for everyone's follow-ups), or choose a plan
that could not use a partial index. What varies from one request to the next (an id, a search)
stays a parameter: written in, it would make a new statement, and a new plan, for each value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import BindParameter, ColumnElement, literal
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeEngine

T = TypeVar("T")


def inline(value: T, type_: TypeEngine[Any] | None = None) -> BindParameter[T]:
    """``value`` as a literal of ``type_`` in the SQL (rendered as the statement runs)."""
    return literal(value, type_, literal_execute=True)


def inline_in(column: InstrumentedAttribute[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (...)`` with each of ``values`` written into the SQL as ``column``'s type."""
    return column.in_([inline(value, column.type) for value in values])


def inline_limit(rows: int | None) -> BindParameter[int] | None:
    """A LIMIT written into the SQL (None: no limit). With a parameter there, PostgreSQL's
    plan for any limit guessed a tenth of the table, costlier than each request's own plan,
    so it planned the statement afresh on every request."""
    return None if rows is None else inline(rows)
