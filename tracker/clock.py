"""The one clock: every instant Hilltrack records is timezone-aware UTC."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Return the current instant as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)
