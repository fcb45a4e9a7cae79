"""Opaque cursors: the last id a page held, wrapped so that no client builds one by hand."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask_babel import gettext as _

from tracker.models.base import as_id
from tracker.queries.api import Filters, Window
from tracker.web.problems import ApiProblem

PREFIX = "after:"


def encode(after: int | None) -> str | None:
    if after is None:
        return None
    return base64.urlsafe_b64encode(f"{PREFIX}{after}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int | None:
    """The id a cursor stands for; a cursor Hilltrack did not give is a 400 that says so."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    after = as_id(text.removeprefix(PREFIX)) if text.startswith(PREFIX) else None
    if after is None:
        raise ApiProblem(
            400,
            _(
                "This cursor is not one Hilltrack gave. Start again without it, then follow "
                "next_cursor."
            ),
        )
    return after


def filters(args: dict[str, Any], **fixed: Any) -> Filters:
    """The list's filters from its validated query arguments."""
    return Filters(
        after=decode(args.get("cursor")),
        limit=args["limit"],
        updated_since=args.get("updated_since"),
        campaign=fixed.get("campaign", args.get("campaign")),
        official=args.get("official"),
        status=args.get("status"),
    )


def page(window: Window[Any], items: list[Any]) -> dict[str, Any]:
    return {"items": items, "next_cursor": encode(window.next_after)}
