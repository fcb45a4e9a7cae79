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

from typing import Any, TypeVar

from sqlalchemy import BindParameter, literal
from sqlalchemy.types import TypeEngine

T = TypeVar("T")


def inline(value: T, type_: TypeEngine[Any] | None = None) -> BindParameter[T]:
    """``value`` as a literal of ``type_`` in the SQL (rendered as the statement runs)."""
    return literal(value, type_, literal_execute=True)
