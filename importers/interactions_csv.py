"""Past outreach from a coalition's spreadsheet: who was sent what, when, and what came back.

Pure: reads the file with pandas, guesses which column is which, and checks every row. Matching
names to officials is passed in, so the same checks serve the upload page and the CLI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from importers.errors import FeedError
from importers.names import fold
from importers.said import said
from importers.spreadsheet import read_frame

if TYPE_CHECKING:  # pandas loads in a second: only where a CSV is read
    import pandas as pd

SOURCE = "spreadsheet"
FIELDS = ("official", "date", "kind", "channel", "reply", "summary")
REQUIRED = ("official", "date")
GUESSES = {
    "official": ("official", "name", "recipient", "mp", "minister", "to", "who"),
    "date": ("date", "sent", "sent on", "when", "date sent"),
    "kind": ("kind", "what", "type", "action", "status"),
    "channel": ("channel", "how", "method", "via"),
    "reply": ("reply", "response", "reply type", "outcome"),
    "summary": ("summary", "notes", "note", "comments", "details"),
}
KINDS = {
    "sent": "sent",
    "send": "sent",
    "letter sent": "sent",
    "emailed": "sent",
    "mailed": "sent",
    "delivered": "delivery_confirmed",
    "delivery confirmed": "delivery_confirmed",
    "bounced": "bounced",
    "undeliverable": "bounced",
    "reply": "reply_received",
    "replied": "reply_received",
    "reply received": "reply_received",
    "response": "reply_received",
    "meeting requested": "meeting_requested",
    "meeting": "meeting_held",
    "met": "meeting_held",
    "meeting held": "meeting_held",
    "call": "call",
    "phone call": "call",
    "note": "note",
}
CHANNELS = {
    "email": "email",
    "e-mail": "email",
    "mail": "post",
    "post": "post",
    "letter": "post",
    "hand": "hand_delivery",
    "hand delivery": "hand_delivery",
    "fax": "fax",
    "web form": "web_form",
    "webform": "web_form",
    "online form": "web_form",
    "social media": "social_media",
    "twitter": "social_media",
    "x": "social_media",
}
REPLIES = {
    "substantive": "substantive",
    "form letter": "form_letter",
    "form": "form_letter",
    "acknowledgement": "acknowledgement",
    "acknowledgment": "acknowledgement",
    "ack": "acknowledgement",
    "declined": "declined",
    "not expected": "not_expected",
}
MAX_ROWS = 20_000


@dataclass
class PastRow:
    """One spreadsheet row, checked: what it would record, or why it cannot."""

    line: int
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    official_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Given a name: the matching official ids (none, one, or several).
Resolver = Callable[[str], list[int]]


def read(data: bytes, encoding: str | None = None) -> pd.DataFrame:
    """The spreadsheet as text cells (read as ``encoding``, else as detected); FeedError if it
    is not a usable CSV."""
    return read_frame(data, SOURCE, MAX_ROWS, encoding)


def _header_key(header: str) -> str:
    """A header as compared: case, accents and punctuation ignored ("Ce qui s'est passé" and
    "ce qui s est passe" are one)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(header)).split())


def guess_mapping(
    columns: list[str], labels: Mapping[str, Iterable[str]] | None = None
) -> dict[str, str]:
    """Which column most likely holds each field, from the header names: first a header that
    is a field's label as the upload page shows it (``labels``: field → its label in each
    language), then the usual names spreadsheets give (GUESSES)."""
    folded: dict[str, str] = {}
    for column in columns:
        folded.setdefault(_header_key(column), column)
    mapping: dict[str, str] = {}
    for name, words in (labels or {}).items():
        for word in words:
            found = folded.get(_header_key(word))
            if found is not None and found not in mapping.values():
                mapping[name] = found
                break
    for name, hints in GUESSES.items():
        if name in mapping:
            continue
        for hint in hints:
            found = folded.get(hint)
            if found is not None and found not in mapping.values():
                mapping[name] = found
                break
    return mapping


def fingerprint(data: bytes) -> str:
    """A short id for the file's content: importing the same file twice records nothing new."""
    return hashlib.sha256(data).hexdigest()[:16]


def check(
    frame: pd.DataFrame, mapping: dict[str, str], resolve: Resolver, today: dt.date
) -> list[PastRow]:
    """Every row with its problems: unknown or ambiguous officials, bad dates or values."""
    missing = [f for f in REQUIRED if not mapping.get(f) or mapping[f] not in frame.columns]
    if missing:
        raise FeedError(
            SOURCE, said("choose the column for: %(fields)s", fields=", ".join(missing))
        )
    rows = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        cells = {f: str(record.get(mapping.get(f, ""), "") or "").strip() for f in FIELDS}
        rows.append(_check_row(line, cells, resolve, today))
    return rows


def _check_row(line: int, cells: dict[str, str], resolve: Resolver, today: dt.date) -> PastRow:
    row = PastRow(line, cells["official"])
    if not row.name:
        row.errors.append(said("no official named"))
    else:
        found = resolve(row.name)
        if not found:
            row.errors.append(said("no official called %(name)s", name=repr(row.name)))
        elif len(found) > 1:
            row.errors.append(
                said(
                    "%(num)d officials are called %(name)s; add them by hand from the campaign "
                    "page",
                    num=len(found),
                    name=repr(row.name),
                )
            )
        else:
            row.official_id = found[0]
    row.values["occurred_on"] = _date(cells["date"], today, row.errors)
    row.values["kind"] = _lookup(cells["kind"] or "sent", KINDS, said("what happened"), row.errors)
    row.values["channel"] = _lookup(cells["channel"], CHANNELS, said("channel"), row.errors)
    row.values["reply_class"] = _lookup(cells["reply"], REPLIES, said("reply"), row.errors)
    if row.values["kind"] == "sent" and not row.values["channel"]:
        row.values["channel"] = "email" if not cells["channel"] else None
    if row.values["kind"] == "reply_received" and not row.values["reply_class"]:
        row.values["reply_class"] = "substantive" if not cells["reply"] else None
    row.values["summary"] = cells["summary"] or None
    return row


def _date(text: str, today: dt.date, errors: list[str]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors.append(
            said("date %(text)s is not a date like 2023-09-07", text=repr(text))
            if text
            else said("no date")
        )
        return None
    if day > today:
        errors.append(said("date %(text)s is in the future", text=text))
    return day


def _lookup(text: str, table: dict[str, str], what: str, errors: list[str]) -> str | None:
    if not text:
        return None
    found = table.get(text.casefold().strip())
    if found is None:
        errors.append(
            said(
                "%(what)s %(text)s is not one of: %(known)s",
                what=what,
                text=repr(text),
                known=", ".join(sorted(set(table))),
            )
        )
    return found
