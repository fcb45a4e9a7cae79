"""Long lists a page at a time: the page, and where it sits in the whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PAGE_SIZE = 50


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list, and where it sits in the whole."""

    items: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE

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


def paginate(session: Session, query: Select[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """The ``number``th page of a query's rows (clamped to the pages there are): two queries."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(1, number), max(1, -(-total // size)))
    items = session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(list(items), number, total, size)
