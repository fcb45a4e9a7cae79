"""Whether a recipient's address line or salutation is still in another language than their
letter's: kept through a change of the letter's language (Hilltrack knew no French for the
title the letter gave them), or a line left as it was while its neighbour was rewritten. The
confirmation before a send, the Letters page and the recipient's page all ask these functions.

Each line's language is recorded when Hilltrack writes it, and kept when the letter's language
changes without the line; a line a person writes is theirs, for the letter's language."""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext as _

from tracker.models import Recipient
from tracker.rules.campaign_text import language_name

# Each line of the address block, with the column that says which language it is written in.
LINE_LANGUAGE = {"addressed_as": "address_line_language", "salutation": "salutation_language"}


def kept_lines(recipient: Recipient) -> tuple[str, ...]:
    """The recipient's lines ("addressed_as", "salutation") written in another language than
    their letter's."""
    # Plain comparisons: the Letters page asks this of every row (hundreds).
    language = recipient.language
    line, greeting = recipient.address_line_language, recipient.salutation_language
    kept: tuple[str, ...] = ()
    if line and line != language:
        kept += ("addressed_as",)
    if greeting and greeting != language:
        kept += ("salutation",)
    return kept


def languages_after_change(
    recipient: Recipient, written: Collection[str], language: str
) -> dict[str, str | None]:
    """The lines' languages once the letter is in ``language``: the lines ``written`` again
    are in it; the others stay in the language they were in (the letter's, before)."""
    return {
        column: language if line in written else getattr(recipient, column) or recipient.language
        for line, column in LINE_LANGUAGE.items()
    }


def kept_lines_advice(recipient: Recipient) -> str | None:
    """What to do about lines kept in another language, naming the person; None when there are
    none."""
    kept = kept_lines(recipient)
    if not kept:
        return None
    column = LINE_LANGUAGE[kept[0]]
    words = {
        "name": recipient.official.full_name,
        "letter": language_name(recipient.language),
        "kept": language_name(getattr(recipient, column)),
    }
    if len(kept) == 2:
        text = _(
            "%(name)s's letter is in %(letter)s, but its address line and salutation are still "
            "in %(kept)s: write them in %(letter)s on the recipient's page.",
            **words,
        )
    elif kept[0] == "addressed_as":
        text = _(
            "%(name)s's letter is in %(letter)s, but its address line is still in %(kept)s: "
            "write the address line in %(letter)s on the recipient's page.",
            **words,
        )
    else:
        text = _(
            "%(name)s's letter is in %(letter)s, but its salutation is still in %(kept)s: "
            "write the salutation in %(letter)s on the recipient's page.",
            **words,
        )
    return str(text)
