"""One recipient's line in "said since the letter" (a campaign's column, an official's page,
the said page's list), built in Python from words looked up once per request: the campaign
page shows one per recipient, and a Jinja macro per row with its own look-ups cost a fifth of
the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Flask, g, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from tracker.catalogue import Plural, Sentence, bound, language_key
from tracker.formats.said import in_reader_language
from tracker.queries.outcomes import Outcome
from tracker.web.templating import long_date, url_pattern


def plural(singular: str, plural_text: str) -> tuple[str, str]:
    """Marks a message with a number for the catalogue (extracted as ``plural``)."""
    return singular, plural_text


WORDS = {
    "label": _l("Said since the letter"),
    "not_member": _l("Not a member of the House: not in the House record"),
    "no_subject": _l("No subject words yet: nothing can match"),
    "last": _l("last %(date)s, %(where)s"),
    "house": _l("the House"),
    "silent": _l("Did not speak on it since the letter"),
    "did_not_sit": _l("The House has not sat since the letter"),
    "checked": _l("checked up to %(date)s"),
    "unchecked": _l("Not checked yet"),
    "failed": _l("The last reading failed: %(why)s"),
}
PLURALS = {
    "spoke": plural(
        "Spoke on it %(num)d time since the letter", "Spoke on it %(num)d times since the letter"
    ),
    "interjections": plural("and %(num)d interjection", "and %(num)d interjections"),
    "answered": plural(
        "answered in the House by their parliamentary secretary (%(num)d time)",
        "answered in the House by their parliamentary secretary (%(num)d times)",
    ),
}


def said_words() -> dict[str, Any]:
    """The line's words in the page's language, looked up once per request."""
    made: dict[object, dict[str, Any]] = g.setdefault("_hilltrack_said_words", {})
    key = language_key()
    if key not in made:
        translations = bound().translations
        words: dict[str, Any] = {
            name: Sentence(str(text), autoescape=True) for name, text in WORDS.items()
        }
        for name, (singular, plural_text) in PLURALS.items():
            words[name] = Plural(translations, singular, plural_text, autoescape=True)
        made[key] = words
    return made[key]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["said_line"] = said_line
    app.jinja_env.globals["said_words"] = said_words


def _said_url(campaign_id: int) -> Callable[[int | None], str]:
    """The campaign's "what was said" page, whole (None) or for one recipient: its links
    built once per request."""
    made: dict[int, Callable[[int | None], str]] = g.setdefault("_hilltrack_said_urls", {})
    if campaign_id not in made:
        whole = url_for("outcomes.said", campaign_id=campaign_id)
        one = url_pattern("outcomes.said", "recipient", campaign_id=campaign_id)
        made[campaign_id] = lambda recipient_id: (
            whole if recipient_id is None else one(recipient_id)
        )
    return made[campaign_id]


def _fixed_lines(campaign_id: int) -> dict[str, Markup]:
    """The lines that hold no value of their own (most rows of a campaign show one of them),
    made once per request, language and campaign."""
    made: dict[tuple[object, int], dict[str, Markup]] = g.setdefault("_hilltrack_said_fixed", {})
    key = (language_key(), campaign_id)
    if key not in made:
        w = said_words()
        made[key] = {
            "not_member": Markup('<span class="muted">{}</span>').format(w["not_member"]()),
            "no_subject": Markup('<a href="{}">{}</a>').format(
                _said_url(campaign_id)(None), w["no_subject"]()
            ),
            "unchecked": Markup('<span class="muted">{}</span>').format(w["unchecked"]()),
        }
    return made[key]


def not_in_house_line(campaign_id: int) -> Markup:
    """The line of a recipient who is not in the House record (nothing more to say)."""
    return _fixed_lines(campaign_id)["not_member"]


def said_line(o: Outcome[Any, Any], campaign_id: int) -> Markup:
    """The line for outcome ``o`` of campaign ``campaign_id``."""
    return said_lines(campaign_id)(o)


def said_lines(campaign_id: int) -> Callable[[Outcome[Any, Any]], Markup]:
    """The line for each outcome of campaign ``campaign_id``: its words, links and fixed lines
    looked up once, for a page that shows one line per recipient (the campaign page's 450)."""
    w = said_words()
    said_url = _said_url(campaign_id)
    fixed = _fixed_lines(campaign_id)
    # A line that holds only a date and the House's sittings is the same for every recipient
    # with the same ones (most of a campaign, read the same day): made once.
    quiet_lines: dict[tuple[bool, dt.date | None], Markup] = {}

    def quiet_line(o: Outcome[Any, Any]) -> Markup:
        key = (o.house_did_not_sit, o.checked_to)
        line = quiet_lines.get(key)
        if line is None:
            # A recess is not a silence (rules/sittings.py).
            quiet = w["did_not_sit"] if o.house_did_not_sit else w["silent"]
            line = quiet_lines[key] = Markup('{} · <span class="muted">{}</span>').format(
                quiet(), w["checked"](date=long_date(o.checked_to))
            )
        return line

    def line(o: Outcome[Any, Any]) -> Markup:
        parts: list[str] = []
        if not o.in_house:
            parts.append(fixed["not_member"])
        elif not o.has_subject:
            parts.append(fixed["no_subject"])
        elif o.spoken:
            last = o.spoken[0].intervention
            where = w["house"]() if last.is_house else last.organization
            parts.append(
                Markup('<a href="{}">{}</a> · {}').format(
                    said_url(o.recipient.id),
                    w["spoke"](len(o.spoken)),
                    w["last"](date=long_date(last.spoken_on), where=where),
                )
            )
        elif o.checked:
            parts.append(quiet_line(o))
        else:
            parts.append(fixed["unchecked"])
        if not (o.said or o.answered_for or (o.failed and o.in_house)):
            return Markup(parts[0])  # noqa: S704 (one of the lines above)
        if o.interjections:
            parts.append(
                Markup('<br><small class="muted">{}</small>').format(
                    w["interjections"](len(o.interjections))
                )
            )
        if o.answered_for:
            parts.append(
                Markup('<br><small><a href="{}">{}</a></small>').format(
                    said_url(o.answered_for[0].recipient.id), w["answered"](len(o.answered_for))
                )
            )
        if o.failed and o.in_house:
            parts.append(
                Markup('<br><small class="field-error">{}</small>').format(
                    w["failed"](why=in_reader_language(o.failed))
                )
            )
        return Markup("").join(parts)

    return line
