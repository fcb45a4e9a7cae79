"""The one clock: every instant Hilltrack records is timezone-aware UTC, and "today" is the
date where the coalition works (TRACKER_TIMEZONE), never the server's."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

# The installation's zone when no app is running (config.DEFAULTS holds the same).
DEFAULT_TIMEZONE = "America/Toronto"


def utcnow() -> dt.datetime:
    """Return the current instant as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in the installation's timezone. A server usually keeps UTC, where at 7 p.m.
    in Ottawa it is already tomorrow: a reply logged in the evening would be dated a day late,
    and a follow-up due today would show as overdue."""
    return local_date(utcnow())


def local_date(instant: dt.datetime) -> dt.date:
    """The date an instant falls on in the installation's timezone."""
    return instant.astimezone(local_zone()).date()


def local_zone() -> ZoneInfo:
    """The installation's timezone."""
    return ZoneInfo(timezone_name())


def timezone_name() -> str:
    """The installation's timezone: the running app's TIMEZONE, else the setting's environment
    variable, else the default (a script or test outside the app reckons as the app would)."""
    if has_app_context():
        return str(current_app.config["TIMEZONE"])
    return os.environ.get("TRACKER_TIMEZONE") or DEFAULT_TIMEZONE
