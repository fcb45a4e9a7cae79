"""Writing CSV for spreadsheets: a byte-order mark, RFC 4180 quoting, neutralised formulas.

A spreadsheet treats a cell starting with = + - @ (or a tab, carriage return, newline, NUL, or
their full-width look-alikes, after leading spaces) as a formula. Volunteers type the text we
export, so every text cell that could start one is prefixed with an apostrophe; numbers, dates
and booleans are written as they are, so -5 stays a number.

Every text cell is also rid of control, direction and zero-width codes first (a reply's summary
comes from mail, and a spreadsheet would keep an ESC or turn a name around), and a stored
sentence is written in the reader's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from tracker.formats.said import in_reader_language
from tracker.rules.text import HIDDEN_CODES, without_hidden_codes

BOM = "\ufeff"
# The full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) are read as formulas by some apps.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\0",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
ROWS_PER_CHUNK = 500
# A text cell needs a closer look only if it starts with one of these (a space may hide one).
RISKY_FIRST = frozenset(FORMULA_STARTS) | {" "}


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet should see it: text that could run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(getattr(value, "value", value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def stream_csv(
    header: list[str], rows: Iterable[Iterable[Any]], free_text: frozenset[int] | None = None
) -> Iterator[str]:
    """The CSV text in chunks of a few hundred rows: memory stays flat however many rows.

    With ``free_text`` (the positions of the only columns that can hold typed text, the others
    being plain text already, see plain.as_text) only those cells are checked; without it every
    cell goes through neutralise()."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    cleaned = _checked(rows, free_text) if free_text is not None else _neutralised(rows)
    for count, row in enumerate(cleaned, start=1):
        writer.writerow(row)
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def shown(text: str) -> str:
    """A text cell as its reader sees it: a stored sentence in their language, no hidden codes."""
    return without_hidden_codes(in_reader_language(text))


def _neutralised(rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [neutralise(shown(cell) if isinstance(cell, str) else cell) for cell in row]


def _checked(rows: Iterable[Iterable[Any]], free_text: frozenset[int]) -> Iterator[list[Any]]:
    """Only the free-text cells can hold hidden codes or a formula; the full log is 300,000
    rows, so a clean cell costs one test and one search, in one pass."""
    positions = sorted(free_text)
    hidden = HIDDEN_CODES.search
    for row in rows:
        cells = list(row)
        for position in positions:
            text = cells[position]
            if not text:
                continue
            if type(text) is not str or hidden(text):  # a stored sentence, or codes to remove
                text = cells[position] = shown(text)
            if text and text[0] in RISKY_FIRST:
                cells[position] = neutralise(text)
        yield cells
