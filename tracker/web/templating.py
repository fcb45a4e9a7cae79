"""Jinja filters and globals: dates shown in the coalition's time zone, links for long lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from markupsafe import Markup

from tracker.formats.markdown_html import markdown
from tracker.models import UserRole
from tracker.rules.status import KIND_DETAILS, RecipientStatus, next_step


def init_app(app: Flask) -> None:
    """Register the template filters."""
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(markdown)
    app.add_template_filter(badge)
    app.jinja_env.globals["UserRole"] = UserRole
    app.jinja_env.globals["url_pattern"] = url_pattern
    app.jinja_env.globals["RecipientStatus"] = RecipientStatus
    app.jinja_env.globals["next_step"] = next_step
    app.jinja_env.globals["kinds_asking"] = kinds_asking


# A value no row has, put where each row's own id goes.
_OPEN = 987_654_321_987


def url_pattern(endpoint: str, open_value: str, **fixed: Any) -> Callable[[int], str]:
    """The URL of ``endpoint`` with ``open_value`` left open, built once: the returned function
    fills in each row's id. A table of hundreds of rows calling url_for per link spends a third
    of its page time building URLs."""
    values: dict[str, Any] = {**fixed, open_value: _OPEN}
    built = url_for(endpoint, **values)
    head, marker, tail = built.partition(str(_OPEN))
    if not marker:
        raise ValueError(f"{open_value} does not appear in the URL of {endpoint}")
    return lambda row_id: f"{head}{int(row_id)}{tail}"


def badge(status: RecipientStatus) -> Markup:
    """A recipient's status as a labelled badge: words first, colour only as a help. (A filter,
    not a macro: a campaign page shows hundreds, and a Jinja macro call costs ten times more.)"""
    return Markup('<span class="badge badge-{}">{}</span>').format(status.slug, status.label)


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


def kinds_asking(*details: str) -> str:
    """The kinds of log entry that ask for any of these details, space-separated: the quick-log
    form shows a detail's fields only while one of them is chosen."""
    return " ".join(kind.value for kind, asked in KIND_DETAILS.items() if asked & set(details))
