"""What marshmallow says of a field, in the reader's language: its messages are English only,
and a French user of the API reads every word of a refusal in French."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

# Each of marshmallow's messages the API's fields can give, as a pattern and its translation.
MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Missing data for required field\."), lambda m: _("Missing.")),
    (re.compile(r"Unknown field\."), lambda m: _("Not a field of this operation.")),
    (re.compile(r"Field may not be null\."), lambda m: _("May not be null.")),
    (re.compile(r"Invalid value\."), lambda m: _("Not a valid value.")),
    (re.compile(r"Not a valid integer\."), lambda m: _("Not a whole number.")),
    (re.compile(r"Not a valid string\."), lambda m: _("Not text.")),
    (re.compile(r"Not a valid date\."), lambda m: _("Not a date (YYYY-MM-DD).")),
    (
        re.compile(r"Not a valid (aware )?datetime\."),
        lambda m: _("Not an ISO 8601 instant with its offset (2026-01-31T09:00:00-05:00)."),
    ),
    (re.compile(r"Invalid JSON body\."), lambda m: _("Not valid JSON.")),
    (re.compile(r"Invalid input type\."), lambda m: _("Not a JSON object.")),
    (
        re.compile(r"Must be one of: (.*)\."),
        lambda m: _("Must be one of: %(values)s.", values=m.group(1)),
    ),
    (
        re.compile(r"Must be greater than or equal to (.+) and less than or equal to (.+)\."),
        lambda m: _("Must be from %(low)s to %(high)s.", low=m.group(1), high=m.group(2)),
    ),
    (
        re.compile(r"Length must be between (\d+) and (\d+)\."),
        lambda m: _(
            "Must be %(low)s to %(high)s characters long.", low=m.group(1), high=m.group(2)
        ),
    ),
    (
        re.compile(r"Shorter than minimum length (\d+)\."),
        lambda m: _("At least %(low)s characters.", low=m.group(1)),
    ),
    (
        re.compile(r"Longer than maximum length (\d+)\."),
        lambda m: _("At most %(high)s characters.", high=m.group(1)),
    ),
]


def in_reader_language(messages: Any) -> Any:
    """marshmallow's messages (a list, or a dict of them for a nested field), translated where
    known; any other message as it is."""
    if isinstance(messages, dict):
        return {key: in_reader_language(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [in_reader_language(message) for message in messages]
    if isinstance(messages, str):
        for pattern, translate in MESSAGES:
            if found := pattern.fullmatch(messages):
                return str(translate(found))
    return messages
