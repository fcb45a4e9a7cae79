"""Whether the House sat in a week, from the House's own numbering of its debates.

The House publishes one Hansard per sitting day, numbered one after another within a session
("Hansard - 368", "Hansard - 369"…). Hilltrack only stores the debates in which someone it
follows spoke, so a week with nothing stored may be a week the House sat and nobody we follow
spoke. The numbering settles it: when the last sitting known before a week and the first known
after it have consecutive numbers in the same session, no sitting falls between them, so the
House did not sit that week. When the numbers leave a gap, the week is "not known", never
"did not sit" and never "did not speak".
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_NUMBER = re.compile(r"\bHansard\s*[-\u2013\u2014]\s*(\d+)\b", re.IGNORECASE)


class Week(StrEnum):
    SAT = "sat"
    DID_NOT_SIT = "did_not_sit"
    NOT_KNOWN = "not_known"


@dataclass(frozen=True, order=True)
class Sitting:
    """One sitting day of the House, as one of its debates is numbered."""

    on: dt.date
    parliament: int | None
    session: int | None
    number: int | None


def hansard_number(title: str) -> int | None:
    """The sitting's number in its session from a debate's title ("Hansard - 368" → 368)."""
    found = _NUMBER.search(title)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Period:
    """A run of weeks (Monday to Sunday) in which the House did the same thing."""

    start: dt.date
    end: dt.date
    state: Week
    sitting_days: int
    said: int  # interventions on the subject in the period


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _consecutive(before: Sitting, after: Sitting) -> bool:
    return (
        before.number is not None
        and after.number is not None
        and (before.parliament, before.session) == (after.parliament, after.session)
        and after.number == before.number + 1
    )


def days_state(sittings: list[Sitting], first_day: dt.date, last_day: dt.date) -> tuple[Week, int]:
    """What the House did from ``first_day`` to ``last_day``, and on how many of those days it
    is known to have sat; ``sittings`` sorted by date, one per day."""
    days = [s.on for s in sittings]
    first = bisect.bisect_left(days, first_day)
    last = bisect.bisect_right(days, last_day)
    if last > first:
        return Week.SAT, last - first
    if 0 < first < len(sittings) and _consecutive(sittings[first - 1], sittings[first]):
        return Week.DID_NOT_SIT, 0
    return Week.NOT_KNOWN, 0


def one_per_day(sittings: Iterable[Sitting]) -> list[Sitting]:
    """The sittings sorted by date, one per day (a day's debates all carry one number)."""
    by_day: dict[dt.date, Sitting] = {}
    for sitting in sorted(sittings):
        if sitting.on not in by_day or by_day[sitting.on].number is None:
            by_day[sitting.on] = sitting
    return [by_day[day] for day in sorted(by_day)]


def periods(
    sittings: Iterable[Sitting], start: dt.date, end: dt.date, said_on: Iterable[dt.date] = ()
) -> list[Period]:
    """The weeks from ``start`` to ``end`` as periods: each week with something said on the
    subject stands alone; neighbouring quiet weeks in the same state are joined into one."""
    known = one_per_day(sittings)
    said_by_week: dict[dt.date, int] = {}
    for day in said_on:
        said_by_week[monday_of(day)] = said_by_week.get(monday_of(day), 0) + 1
    found: list[Period] = []
    monday = monday_of(start)
    while monday <= end:
        first_day, last_day = max(monday, start), min(monday + dt.timedelta(days=6), end)
        state, days = days_state(known, first_day, last_day)
        week = Period(
            first_day,
            last_day,
            state,
            days,
            said_by_week.get(monday, 0),
        )
        previous = found[-1] if found else None
        if previous and previous.state == week.state and not previous.said and not week.said:
            found[-1] = Period(
                previous.start,
                week.end,
                week.state,
                previous.sitting_days + week.sitting_days,
                0,
            )
        else:
            found.append(week)
        monday += dt.timedelta(days=7)
    return found


def never_sat(sittings: Iterable[Sitting], start: dt.date, end: dt.date) -> bool:
    """Whether the House is known not to have sat on any day from ``start`` to ``end``."""
    return days_state(one_per_day(sittings), start, end)[0] is Week.DID_NOT_SIT
