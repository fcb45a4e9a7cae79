"""The declarative base every model shares, and the column types for instants and for texts
read later in the reader's language."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import JSON, DateTime, MetaData, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from importers.said import from_json, to_json

# Alembic needs stable constraint names to alter them later, on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SaidText(TypeDecorator[str]):
    """Text a person reads later (a job's outcome, a letter's failure, an import's warning): a
    `Said` sentence is stored as its template and values and read back as one, so each reader
    sees it in their language (importers/said.py); any other text is stored as it is."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return to_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return from_json(value)


class SaidList(TypeDecorator[list[str]]):
    """A JSON list of such texts (an import run's warnings)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> list[str] | None:
        return None if value is None else [to_json(text) or "" for text in value]

    def process_result_value(self, value: list[str] | None, dialect: Dialect) -> list[str] | None:
        return None if value is None else [from_json(text) or "" for text in value]


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant stored as UTC and always read back timezone-aware (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use tracker.clock.utcnow() or an aware one")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The largest id a row can have: primary keys are INTEGER, 32 bits on PostgreSQL. Ids from a
# URL, a form or the command line are checked against it before they reach a query.
MAX_ID = 2**31 - 1


def as_id(text: str | int | None) -> int | None:
    """``text`` as a row id, or None when it is not one (not digits, zero, or too large)."""
    value = str(text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


# Dates Hilltrack accepts anywhere (a letter, a send, a due date, a report's period): a year
# outside these is a typo, and past them date arithmetic overflows.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def plausible_date(value: dt.date) -> bool:
    """True for a date between EARLIEST_DATE and LATEST_DATE."""
    return EARLIEST_DATE <= value <= LATEST_DATE


def new_revision() -> int:
    """A campaign's or an official's next revision (models/revisions.py): a random number
    rather than a count, so that a value is never seen twice for different contents, even
    after a restore from a backup or a row's id used again (caches key on it)."""
    return secrets.randbits(62)
