"""Jinja filters and globals: dates shown in the coalition's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from tracker.models import UserRole
from tracker.rendering import markdown


def init_app(app: Flask) -> None:
    """Register the template filters."""
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(markdown)
    app.jinja_env.globals["UserRole"] = UserRole


def local_datetime(value: dt.datetime | None) -> str:
    """An instant in the coalition's zone, e.g. '2026-01-09 14:05 EST'."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.strftime("%Y-%m-%d %H:%M %Z")


def long_date(value: dt.date | None) -> str:
    """A date as people write it in a letter, e.g. 'September 7, 2023'."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"
