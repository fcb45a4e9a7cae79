"""The House of Commons ministries export as CSV, in English and in French: read together, they
give each ministerial title its French form. Pure parsers, no I/O.

The copies' quirks: a byte-order mark (two, in saved copies), CRLF line ends, the honorific
"L'hon." with a curly or a straight apostrophe, French times written "10 h 45 min 00 s", a
first name "Lena Metlege". The two
files list the same people in the same order for the same date, so rows pair by position, and
only where the names agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from importers.errors import FeedError
from importers.names import fold
from importers.records import Person, TitleInFrench
from importers.said import said

SOURCE = "ministry-titles-fr"
BASE_URL = "https://www.ourcommons.ca"
EN_URL = f"{BASE_URL}/Members/en/ministries/csv"
FR_URL = f"{BASE_URL}/Members/fr/ministries/csv"
COLUMNS = 8  # precedence, honorific, first name, last name, title, province, start, end


@dataclass(frozen=True)
class MinistryRow:
    given_name: str
    family_name: str
    title: str
    start_on: dt.date | None


def _date(value: str, where: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])  # "2025-05-13 10:45:00 a.m." or "... 10 h 45"
    except ValueError:
        raise FeedError(where, said("%(value)s is not a date", value=repr(value))) from None


def read_rows(data: bytes, language: str) -> list[MinistryRow]:
    """The ministers of one export, in its order; FeedError when it is not that export."""
    where = f"{SOURCE} ({language})"
    try:
        text = data.decode("utf-8").lstrip("\ufeff")  # saved copies carry the mark twice
    except UnicodeDecodeError:
        raise FeedError(where, said("the file is not UTF-8 text")) from None
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2 or len(rows[0]) < COLUMNS or "precedence" not in rows[0][0].casefold():
        raise FeedError(where, said("this is not the ministries export (no Precedence header)"))
    return [
        MinistryRow(
            given_name=row[2].strip(),
            family_name=row[3].strip(),
            title=" ".join(row[4].split()),
            start_on=_date(row[6], where),
        )
        for row in rows[1:]
        if len(row) >= COLUMNS and row[3].strip()
    ]


def pair_titles(
    english: list[MinistryRow], french: list[MinistryRow]
) -> tuple[list[TitleInFrench], list[str]]:
    """Each English title with its French form, row by row where the names agree; every row
    left unpaired becomes a warning."""
    pairs: list[TitleInFrench] = []
    warnings: list[str] = []
    for n in range(max(len(english), len(french))):
        en = english[n] if n < len(english) else None
        fr = french[n] if n < len(french) else None
        if en and fr and _same_person(en, fr):
            pairs.append(
                TitleInFrench(
                    person=Person(given_name=en.given_name, family_name=en.family_name),
                    title=en.title,
                    title_fr=fr.title,
                    start_on=en.start_on,
                )
            )
            continue
        who = en or fr
        assert who is not None  # noqa: S101  (n is below one of the lengths)
        warnings.append(
            said(
                "row %(row)d (%(name)s, %(title)s) has no matching row in the other language; "
                "its title stays in English",
                row=n + 1,
                name=f"{who.given_name} {who.family_name}",
                title=who.title,
            )
        )
    return pairs, warnings


def _same_person(en: MinistryRow, fr: MinistryRow) -> bool:
    return fold(en.given_name) == fold(fr.given_name) and fold(en.family_name) == fold(
        fr.family_name
    )
