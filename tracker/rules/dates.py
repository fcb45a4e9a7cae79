"""How a day is written out in words, in either language: one rule for the pages, the letters
and the checks before a send."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from flask_babel import get_locale

from tracker.rules.campaign_text import LOCALES


def long_day(value: dt.date, locale: str | None = None) -> str:
    """'December 1, 2026'; '7 septembre 2023'. ``locale`` defaults to the request's. French
    writes the first of a month as an ordinal ('1er décembre 2026'), which Babel's French
    pattern leaves out: a letter to a French minister dated the first said '1 décembre'."""
    where = locale or str(get_locale() or "en")
    text = str(format_date(value, format="long", locale=LOCALES.get(where, where)))
    if where.startswith("fr") and value.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text
