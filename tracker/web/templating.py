"""Jinja filters and globals: dates shown in the coalition's time zone, links for long lists."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_decimal, format_percent, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup, escape

from tracker.catalogue import Sentence, around, language_key
from tracker.formats.markdown_html import markdown
from tracker.formats.said import in_reader_language
from tracker.models import (
    CampaignStatus,
    Channel,
    InteractionKind,
    LetterState,
    ReplyClass,
    RoleKind,
    UserRole,
)
from tracker.queries.pagination import Count
from tracker.rules.campaign_text import language_name
from tracker.rules.contact_source import contact_from
from tracker.rules.dates import long_day
from tracker.rules.line_language import kept_lines_advice
from tracker.rules.places import province_name
from tracker.rules.status import KIND_DETAILS, RecipientStatus, next_step
from tracker.web.i18n import current_language


def init_app(app: Flask) -> None:
    """Register the template filters."""
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    for extra in (
        percent,
        number,
        count_label,
        month_name,
        role_title,
        organisation_name,
        province,
        party,
        source_name,
        language_name,
        kept_lines_advice,
        role_kind_name,
        recipient_role,
    ):
        app.add_template_filter(read_at_render(extra), name=extra.__name__)
    app.add_template_filter(markdown)
    app.add_template_filter(in_reader_language, name="said")
    app.add_template_filter(badge)
    app.add_template_filter(contact_from)
    app.jinja_env.globals["UserRole"] = UserRole
    app.jinja_env.globals["url_pattern"] = url_pattern
    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["RecipientStatus"] = RecipientStatus
    app.jinja_env.globals["next_step"] = next_step
    app.jinja_env.globals["kinds_asking"] = kinds_asking
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["entry_words"] = entry_words
    app.jinja_env.globals["written_by"] = written_by
    app.jinja_env.globals["what_happened"] = what_happened
    app.jinja_env.globals["status_and_sent"] = status_and_sent
    app.jinja_env.globals["progress_bar"] = progress_bar
    app.jinja_env.globals["placed_as_buttons"] = placed_as_buttons


def read_at_render(filter_: Callable[..., Any]) -> Callable[..., Any]:
    """``filter_`` run when a page renders, never when its template compiles: Jinja folds a
    plain filter applied to a constant (``'en' | language_name``) once, in the language of the
    first page that compiled it, and every later reader would get that language."""

    @pass_context
    @functools.wraps(filter_)
    def at_render(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return filter_(*args, **kwargs)

    return at_render


# markupsafe.escape's five characters and what it writes for them, for ``escaped``.
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escaped(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a plain string, in one call: a table of hundreds of
    rows escapes a name or two per row, and ``escape`` builds a Markup for each
    (tests/test_hostile_official_names.py checks that both write the same)."""
    return text.translate(_HTML_ESCAPES)


# A value no row has, put where each row's own id goes.
_OPEN = 987_654_321_987


def url_halves(endpoint: str, open_value: str, **fixed: Any) -> tuple[str, str]:
    """The URL of ``endpoint`` before and after ``open_value``, built once: a row's id (an
    int) goes between. For a loop that writes the id in itself (see ``url_pattern``)."""
    values: dict[str, Any] = {**fixed, open_value: _OPEN}
    built = url_for(endpoint, **values)
    head, marker, tail = built.partition(str(_OPEN))
    if not marker:
        raise ValueError(f"{open_value} does not appear in the URL of {endpoint}")
    # The rows built in Python put it into href="..." as it is (url_for leaves the mount
    # point, SCRIPT_NAME, unquoted): nothing in it may end the attribute or open a tag.
    return head.translate(_NOT_IN_ATTRIBUTES), tail.translate(_NOT_IN_ATTRIBUTES)


def url_pattern(endpoint: str, open_value: str, **fixed: Any) -> Callable[[int], str]:
    """The URL of ``endpoint`` with ``open_value`` left open, built once: the returned function
    fills in each row's id. A table of hundreds of rows calling url_for per link spends a third
    of its page time building URLs."""
    head, tail = url_halves(endpoint, open_value, **fixed)
    return lambda row_id: f"{head}{int(row_id)}{tail}"


_NOT_IN_ATTRIBUTES = str.maketrans({'"': "%22", "'": "%27", "<": "%3C", ">": "%3E", "`": "%60"})


# The layout's own links (menu, style sheets, sign-out), by mount point, endpoint and values.
_FIXED_URLS: dict[tuple[str, str, tuple[tuple[str, Any], ...]], str] = {}
_ABSOLUTE = frozenset({"_external", "_scheme"})  # url_for's values that make it absolute


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` for an address that is the same on every page (no row
    id), built once per process: every page's layout shows some twenty such links, and each
    url_for walks the URL map again."""
    if not has_request_context() or _ABSOLUTE & values.keys():
        # An absolute address names the request's host (its Host header, which anyone can
        # send): kept, it would send every later reader to the first one's host.
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    found = _FIXED_URLS.get(key)
    if found is None:
        found = _FIXED_URLS[key] = url_for(endpoint, **values)
    return found


def badge(status: RecipientStatus) -> Markup:
    """A recipient's status as a labelled badge: words first, colour only as a help. (A filter,
    not a macro: a campaign page shows hundreds, and a Jinja macro call costs ten times more.)
    Each status's badge is built once per request and language, then reused for every row."""
    made: dict[tuple[RecipientStatus, object], Markup] = g.setdefault("_hilltrack_badges", {})
    key = (status, language_key())
    if key not in made:
        made[key] = Markup('<span class="badge badge-{}">{}</span>').format(
            status.slug, status.label
        )
    return made[key]


def progress_bar(counts: Mapping[RecipientStatus, int], total: int) -> Markup:
    """A campaign's progress: an SVG bar (no inline styles, so the CSP holds) and the counts in
    words, each status with its badge. (A function, not a macro: home shows ten, the campaigns
    list dozens, and a macro with its loops cost a tenth of home's render.)"""
    if not total:
        return Markup("\n  \n")
    shown = [(status, n) for status, n in counts.items() if n]
    said = ", ".join(f"{n} {escape(status.label.lower())}" for status, n in shown)
    bars, x = [], 0.0
    for status, n in shown:
        width = 100.0 * n / total
        bars.append(
            f'<rect class="fill-{escape(status.slug)}" x="{x:.3f}" y="0" '
            f'width="{width:.3f}" height="4"/>'
        )
        x += width
    legend = "".join(f"<span>{badge(status)} {n}</span> " for status, n in shown)
    return Markup(  # noqa: S704 (every value above is escaped or a number)
        "\n  \n  \n"
        f'  <svg class="progress-bar" viewBox="0 0 100 4" preserveAspectRatio="none" role="img"'
        f' aria-label="{said}">\n'
        f"    {''.join(bars)}\n"
        "  </svg>\n"
        f'  <p class="progress-legend">{legend}</p>\n'
        "  \n"
    )


SENT_ON = _l("letter sent on %(date)s")


def status_and_sent(status: RecipientStatus, sent_on: dt.date | None) -> Markup:
    """A letter's status and the day it went out, as one phrase: "Replied · letter sent on
    December 6, 2026". Every page that shows the two together (an official's letters, the
    letters a message could be placed on) calls this, so they read the same. (A function, not
    a macro: an official's page shows fifty.)"""
    line = badge(status)
    if not sent_on:
        return line
    sent = _per_request("letter sent on", lambda: around(SENT_ON, "date"))
    date = sent(escape(long_date(sent_on)))
    return line + Markup(f' <small class="muted status-sent">· {date}</small>')  # noqa: S704 (escaped)


def _per_request(name: str, make: Callable[[], Any]) -> Any:
    """``make()``, once per request and language (kept on flask.g)."""
    made: dict[tuple[str, object], Any] = g.setdefault("_hilltrack_per_request", {})
    key = (name, language_key())
    if key not in made:
        made[key] = make()
    return made[key]


def placed_as_buttons(message: Any, button: str) -> Markup:
    """The buttons that place ``message`` (mail/_placed_as.html), rendered once per request
    for each kind of message: they depend on its kind alone, and the triage list shows them
    for a hundred messages (an include per message took a seventh of its time)."""

    def make() -> Markup:
        template = current_app.jinja_env.get_template("mail/_placed_as.html")
        return Markup(template.render(msg=message, button=button))  # noqa: S704 (a template's)

    made: Markup = _per_request(f"placed as {message.kind.value} {button}", make)
    return made


def labels(kind: str) -> dict[Any, str]:
    """Every member of an enum by its label in the page's language, looked up once per
    request: ``{% set kind_label = labels('InteractionKind') %}`` before a loop, then
    ``kind_label[i.kind]`` on each row."""
    members = LABELLED[kind]
    made: dict[Any, str] = _per_request(kind, lambda: {m: m.label for m in members})
    return made


LABELLED: dict[str, Iterable[Any]] = {
    "CampaignStatus": CampaignStatus,
    "InteractionKind": InteractionKind,
    "Channel": Channel,
    "ReplyClass": ReplyClass,
    "LetterState": LetterState,
    "RecipientStatus": RecipientStatus,
}

# Who wrote a log entry (written_by, below), in words looked up once per request.
ENTRY_WORDS = {
    "mail": _l("logged from the e-mail that came back"),
    "read": _l("read the message"),
    "placed": _l("placed by %(name)s"),
    "sent": _l("sent by e-mail, at the request of %(name)s"),
    "refused": _l("refused by the mail server as Hilltrack sent it, at the request of %(name)s"),
    "file_by": _l("imported from a file of past outreach by %(name)s"),
    "file": _l("imported from a file of past outreach"),
    "recorded": _l("recorded by %(name)s"),
    "former": _l("a former user"),
}


def entry_words() -> dict[str, Any]:
    """The words of "who wrote this entry", each a Sentence to fill in, and the link to a
    message: a timeline of a hundred entries looks them up once."""

    def make() -> dict[str, Any]:
        words: dict[str, Any] = {
            name: Sentence(str(text), autoescape=True) for name, text in ENTRY_WORDS.items()
        }
        words["message_url"] = url_pattern("mail.message", "message_id")
        return words

    words: dict[str, Any] = _per_request("entry_words", make)
    return words


def written_by(i: Any, message_id: int | None = None) -> Markup:
    """Who wrote log entry ``i``, in words: a person, a file of past outreach, or Hilltrack
    itself, sending a letter at a coordinator's request or logging the mail that came back
    (with a link to it when the page knows which message). "A former user" only ever names a
    person. (A function, not a macro: a timeline shows a hundred entries.)"""
    w = entry_words()
    who = i.recorded_by.name if i.recorded_by else None
    if i.logged_from == "mail":
        line = w["mail"]()
        if message_id:
            link = Markup(' · <a href="{}">{}</a>')
            line += link.format(w["message_url"](message_id), w["read"]())
        if who:
            line += Markup(", ") + w["placed"](name=who)
        return Markup(line)  # noqa: S704 (our words, the name escaped as it went in)
    if i.logged_from == "sending":
        said = w["sent"] if i.kind == "sent" else w["refused"]
        return Markup(said(name=who or w["former"]()))  # noqa: S704 (as above)
    if i.logged_from == "file":
        return Markup(w["file_by"](name=who) if who else w["file"]())  # noqa: S704 (as above)
    return Markup(w["recorded"](name=who or w["former"]()))  # noqa: S704 (as above)


def what_happened(i: Any, channel: bool = False) -> Markup:
    """What log entry ``i`` is, in words: its kind, and for a reply what kind of reply ("Reply
    received · acknowledgement"), so that an out-of-office notice never reads as an answer."""
    line = escape(labels("InteractionKind")[i.kind])
    if channel and i.channel:
        line += Markup(" ({})").format(str(labels("Channel")[i.channel]).lower())
    if i.reply_class:
        line += Markup(" · {}").format(str(labels("ReplyClass")[i.reply_class]).lower())
    return line


def local_datetime(value: dt.datetime | None) -> str:
    """An instant in the coalition's zone, the zone named as the page's readers write it:
    '2026-01-09 14:05 EST', '2026-01-09 14:05 HNE'; where the language has no short name for
    the zone, its offset ('UTC+1'), never another language's abbreviation."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # as Babel reads an instant without a zone
    zone, locale = ZoneInfo(current_app.config["TIMEZONE"]), get_locale() or "en_CA"
    local = value.astimezone(zone)
    # The digits as Babel writes 'yyyy-MM-dd HH:mm' (the same in every language we have), and
    # the zone's name as Babel finds it, kept (a list of a hundred messages named the zone a
    # hundred times through Babel: a sixth of the mail triage page).
    key = (zone, str(locale), local.utcoffset(), bool(local.dst()))
    named = _ZONE_NAMES.get(key)
    if named is None:
        named = _ZONE_NAMES[key] = _zone_name(local, zone, locale)
    return f"{local:%Y-%m-%d %H:%M} {named}"


# Babel names a zone by the zone, the language, whether summer time is on and, where it has
# no name, the offset (babel.dates.get_timezone_name): the key above holds all four.
_ZONE_NAMES: dict[tuple[ZoneInfo, str, dt.timedelta | None, bool], str] = {}


def _zone_name(local: dt.datetime, zone: ZoneInfo, locale: Any) -> str:
    named = dates.format_datetime(local, "z", tzinfo=zone, locale=locale)
    if named[:1] in "+-":  # CLDR has no name for this zone in this language: 'UTC+1'
        named = utc_offset(local.utcoffset() or dt.timedelta())
    return str(named)


def utc_offset(offset: dt.timedelta) -> str:
    """An offset as people read it: 'UTC+1', 'UTC\u22125' (a minus sign), 'UTC+5:30'."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def long_date(value: dt.date | None) -> str:
    """A date as people write it in a letter, in the page's language: 'September 7, 2023',
    '7 septembre 2023'."""
    if value is None:
        return ""
    if type(value) is dt.date:  # a day, not an instant: the same words for every reader
        return _long_day(value, language_key())
    return long_day(to_user_timezone(value).date())  # an instant: the reader's day


@functools.lru_cache(maxsize=4096)
def _long_day(value: dt.date, _language: object) -> str:
    """A day in a language's words (rules/dates.py), kept: lists show the same days row after
    row, and Babel takes tens of microseconds to write one."""
    return long_day(value)


def month_name(value: dt.date) -> str:
    """A month as people write it, in the page's language: 'December 2025', 'décembre 2025'."""
    return str(format_date(value, "LLLL yyyy"))


def percent(value: float | None) -> str:
    """A share as a percentage in the page's language: '70%', '70 %'."""
    if value is None:
        return ""
    return _percent(value, language_key())


def number(value: float | None) -> str:
    """A number in the page's language: '12,345', '12 345'; '1.5', '1,5'."""
    if value is None:
        return ""
    return _number(value, language_key())


# Kept per value and language, as days are: a report shows hundreds of figures, most of them
# small counts and shares that repeat, and Babel takes tens of microseconds for each.
@functools.lru_cache(maxsize=4096)
def _percent(value: float, _language: object) -> str:
    return str(format_percent(value))


@functools.lru_cache(maxsize=4096)
def _number(value: float, _language: object) -> str:
    return str(format_decimal(value))


def count_label(count: Count) -> str:
    """A count that may have stopped short: '2,345', or 'more than 1,000'."""
    if count.more:
        return str(_("more than %(num)s", num=number(count.number)))
    return number(count.number)


def role_title(role: Any) -> str:
    """A role's title in the page's language where the feeds give a French one; never a
    machine translation."""
    if current_language() == "fr" and getattr(role, "title_fr", None):
        return str(role.title_fr)
    return str(role.title)


def recipient_role(recipient: Any) -> str:
    """The role a recipient held on the letter's date, in the page's language where the role
    still carries that title."""
    role, title = recipient.role, recipient.role_title
    if role is not None and title and role.title == title:
        return role_title(role)
    return str(title or "")


def organisation_name(organisation: Any) -> str:
    if current_language() == "fr" and getattr(organisation, "name_fr", None):
        return str(organisation.name_fr)
    return str(organisation.name)


def party(official: Any) -> str:
    """An official's caucus by its House short name in the page's language ("Libéral")."""
    if current_language() == "fr" and getattr(official, "party_fr", None):
        return str(official.party_fr)
    return str(official.party or "")


# Where a role came from, as a person names the source: the feed's own name otherwise.
SOURCE_NAMES = {
    "members": _l("List of members of the House of Commons"),
    "ministries": _l("House of Commons list of the ministry"),
    "ministry-titles-fr": _l("House of Commons list of the ministry, in French"),
    "parliamentary-secretaries": _l("House of Commons list of parliamentary secretaries"),
    "house-officers": _l("House of Commons list of House officers"),
    "chair-occupants": _l("House of Commons list of the Speaker and deputies"),
    "profiles": _l("Members' profiles, House of Commons"),
    "committees": _l("Committee membership pages, House of Commons"),
    "represent": _l("Represent (Open North)"),
    "manual": _l("entered by hand"),
}
LETTER_SOURCE = re.compile(r"^letter of (\d{4}-\d{2}-\d{2})$")


def source_name(source: str | None) -> str:
    """A role's or an entry's source as people name it: "List of members of the House of
    Commons", not "members"; a letter by its date in the page's language."""
    if not source:
        return ""
    if source in SOURCE_NAMES:
        return str(SOURCE_NAMES[source])
    letter = LETTER_SOURCE.match(source)
    if letter:
        on = dt.date.fromisoformat(letter.group(1))
        return str(_("the letter of %(date)s", date=long_date(on)))
    return source


def role_kind_name(value: str | None) -> str:
    """A kind of role as a spreadsheet writes it ("public_servant") in the page's language; a
    value that is no kind stays as typed, for the row's problem to name."""
    try:
        return RoleKind(value or "").label
    except ValueError:
        return value or ""


def province(name: str | None) -> str:
    """A province or territory by its name in the page's language."""
    if not name:
        return ""
    return province_name(name, current_language())


def kinds_asking(*details: str) -> str:
    """The kinds of log entry that ask for any of these details, space-separated: the quick-log
    form shows a detail's fields only while one of them is chosen."""
    return " ".join(kind.value for kind, asked in KIND_DETAILS.items() if asked & set(details))
