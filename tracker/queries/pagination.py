"""Long lists a page at a time: the page, and where it sits in the whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import Session

from tracker.queries.inline import inline

PAGE_SIZE = 50
# Lists that grow with the log are counted this far, then said to hold "more than" it.
COUNT_CAP = 1000
# Past any real list: a page number beyond it is taken for the last page.
MAX_PAGE = 1_000_000


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list, and where it sits in the whole."""

    items: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE
    # True when the list was counted no further than ``total`` and goes on: a long log is
    # counted a few pages ahead, so that the first page costs the same whatever its length.
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of the page's first item in the whole list, from 1."""
        return (self.number - 1) * self.size + 1


def page_of(items: list[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """The ``number``th page of a list already in memory (clamped to the pages there are)."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    return Page(items[(number - 1) * size : number * size], number, len(items), size)


@dataclass(frozen=True)
class Count:
    """How many rows, counted no further than a cap: ``more`` when there are more than that."""

    number: int
    more: bool = False


def bounded_count(session: Session, query: Select[Any], cap: int) -> Count:
    """Count ``query``'s rows, reading at most cap + 1 of them: what a page says of a list
    that grows with the log ("more than 1,000") costs the same at any size."""
    return bounded_counts(session, [query], cap)[0]


def bounded_counts(session: Session, queries: Sequence[Select[Any]], cap: int) -> list[Count]:
    """``bounded_count`` of each query, in one statement (none when there is none): on
    PostgreSQL each statement is a round trip."""
    if not queries:
        return []
    found = session.execute(select(*(counted_up_to(query, cap) for query in queries))).one()
    return [capped(number, cap) for number in found]


def counted_up_to(query: Select[Any], cap: int) -> ScalarSelect[int]:
    """How many rows ``query`` has, reading at most cap + 1 of them, as a column to select
    (read it with ``capped``)."""
    limited = query.order_by(None).limit(inline(cap + 1)).subquery()  # queries/inline.py
    return select(func.count()).select_from(limited).scalar_subquery()


def capped(number: int | None, cap: int) -> Count:
    """A count read by ``counted_up_to``."""
    return Count(min(number or 0, cap), (number or 0) > cap)


def paginate(
    session: Session,
    query: Select[T],
    number: int,
    size: int = PAGE_SIZE,
    *,
    count_ahead: int | None = None,
) -> Page[T]:
    """The ``number``th page of a query's rows (clamped to the pages there are): two queries.
    With ``count_ahead``, the rows are counted only that many pages past this one."""
    number = max(1, min(number, MAX_PAGE))
    if count_ahead is None:
        count = Count(
            session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        )
    else:
        count = bounded_count(session, query, (number - 1 + count_ahead) * size)
    number = min(number, max(1, -(-count.number // size)))
    items = session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(list(items), number, count.number, size, count.more)
