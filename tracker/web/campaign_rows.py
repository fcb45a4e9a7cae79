"""A campaign page's recipient rows, built in Python from the rows' plain values.

A campaign has hundreds of recipients; written as Jinja, each row cost about ten template calls,
Jinja attribute reads and an escape per value (two thirds of the page). Here a row is one
string template filled in: its words and links are made once per request, what comes from
outside (names, address lines, assignees) is escaped as it goes in, and what we wrote (the
catalogue's words, the badges, the "said" line) goes in as the markup it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup, escape
from wtforms import SelectChoice

from tracker.catalogue import Plural, around, bound
from tracker.queries.campaigns import RecipientRow
from tracker.queries.outcomes import Outcome
from tracker.rules.status import RecipientStatus
from tracker.web.said_line import not_in_house_line, plural, said_lines, said_words
from tracker.web.templating import _per_request, badge, escaped, url_halves

# The row's words: the catalogue's (our markup), in the page's language.
WORDS = {
    "bounced": _l("not delivered: send it another way"),
    "sent": _l("Sent"),
    "waiting": _l("Waiting"),
    "next": _l("Next follow-up"),
    "log": _l("Log"),
    "letter": _l("Letter"),
    "mail": _l("Their mail"),
    "address": _l("Address"),
    "plan": _l("Plan"),
}
IN_ATTRIBUTES = ("sent", "waiting", "next")  # the cells' data-label
SELECT = _l("Select %(name)s")  # the row's checkbox, for screen readers
DAYS = plural("%(num)d day", "%(num)d days")  # waiting since the letter
LANGUAGE_NAMES = {
    "en": lazy_pgettext("language name", "English"),
    "fr": lazy_pgettext("language name", "French"),
}


def _memo(plural_of: Plural) -> Callable[[int], str]:
    """``plural_of(num)``, worked out once per number on this page (rows share their days)."""
    done: dict[int, str] = {}

    def filled(num: int) -> str:
        text = done.get(num)
        if text is None:
            text = done[num] = str(plural_of(num))
        return text

    return filled


def _row_words() -> dict[str, Any]:
    def make() -> dict[str, Any]:
        words: dict[str, Any] = {name: str(text) for name, text in WORDS.items()}
        # The cells' labels are attributes: their words are text there (escaped), as a
        # translation's quote would otherwise end the attribute.
        for name in IN_ATTRIBUTES:
            words[name] = str(escape(words[name]))
        # A language's name is text like any value (escaped), as the template had it.
        words["languages"] = {code: str(escape(name)) for code, name in LANGUAGE_NAMES.items()}
        # "Select %(name)s" split around the name once: a row puts its escaped name between.
        words["select_name"] = around(SELECT, "name", attribute=True)
        words["days"] = Plural(bound().translations, *DAYS, autoescape=True)
        words["said_label"] = str(escape(str(said_words()["label"]())))
        return words

    made: dict[str, Any] = _per_request("campaign rows", make)
    return made


def recipient_rows(
    rows: Iterable[RecipientRow],
    campaign_id: int,
    coordinator: bool,
    said_of: Mapping[int, Outcome[Any, Any]],
    mail_of: Mapping[int, int],
) -> Markup:
    """The ``<tr>`` of each row, as the page's table shows them (coordinators also get the
    address and plan links). ``said_of`` holds the outcomes of the members of the House and
    ministers: a recipient without one is not in the House record."""
    w = _row_words()
    # Each link's address before and after the row's id (an int from the database), built once:
    # the loop writes the id between them.
    official_0, official_1 = url_halves("officials.detail", "official_id")
    log_0, log_1 = url_halves("log.record", "official_id", campaign=campaign_id)
    letter_0, letter_1 = url_halves("letters.preview", "recipient_id", campaign_id=campaign_id)
    mail_0, mail_1 = url_halves("mail.message", "message_id")
    address_0, address_1 = url_halves(
        "recipients.edit_recipient", "recipient_id", campaign_id=campaign_id
    )
    plan_0, plan_1 = url_halves("campaigns.detail", "plan", campaign_id=campaign_id, _anchor="plan")
    languages, select_name, days = w["languages"], w["select_name"], _memo(w["days"])
    empty = '<td class="empty"></td>'
    sent_cell = f'<td data-label="{w["sent"]}">'
    waiting_cell = f'<td data-label="{w["waiting"]}">'
    next_cell = f'<td data-label="{w["next"]}">'
    said_cell = f'<td class="said" data-label="{w["said_label"]}">'
    not_member = not_in_house_line(campaign_id)
    said_line = said_lines(campaign_id)
    bounced = f' <small class="field-error">{w["bounced"]}</small>'
    log_word, letter_word = w["log"], w["letter"]
    mail_link = f'">{w["mail"]}</a>'
    address_word, plan_word = w["address"], w["plan"]
    # A status's slug and badge once per page, found with one look-up per row.
    # Plain strings: Markup + str would escape the "not delivered" words added below as text.
    statuses = {status: (status.slug, str(badge(status))) for status in RecipientStatus}
    parts: list[str] = []
    for row in rows:
        r, info, follow_up = row.recipient, row.info, row.next_follow_up
        rid, name = r.id, escaped(r.official.full_name)
        slug, status_cell = statuses[info.status]
        if info.bounced:
            status_cell += bounced
        sent = f"{sent_cell}{info.sent_on}</td>" if info.sent_on else empty
        waiting = (
            f"{waiting_cell}{days(info.days_waiting)}</td>"
            if info.days_waiting is not None
            else empty
        )
        if follow_up:
            who = follow_up.assignee_name
            who_part = f" <small>{escaped(who)}</small>" if who else ""
            next_up = f"{next_cell}{follow_up.due_on}{who_part}</td>"
        else:
            next_up = empty
        outcome = said_of.get(rid)
        # Only members of the House and ministers have an outcome (outcomes.by_recipient).
        said = f"{said_cell}{said_line(outcome) if outcome else not_member}</td>"
        mail_id = mail_of.get(rid)
        mail = f' · <a href="{mail_0}{mail_id}{mail_1}{mail_link}' if mail_id else ""
        extra = (
            f' · <a href="{address_0}{rid}{address_1}">{address_word}</a>'
            f' · <a href="{plan_0}{rid}{plan_1}">{plan_word}</a>'
            if coordinator
            else ""
        )
        parts.append(
            "\n        <tr>\n"
            f'          <td class="pick"><input type="checkbox" name="recipient" value="{rid}"'
            f' id="pick-{rid}" data-status="{slug}"'
            f' aria-label="{select_name(name)}"></td>\n'
            f'          <td class="who"><a href="{official_0}{r.official_id}{official_1}">'
            f"{name}</a>"
            f"<br><small>{escaped(r.addressed_as)} · {languages.get(r.language, '')}</small></td>\n"
            f'          <td class="status">{status_cell}</td>\n'
            f"          {sent}\n"
            f"          {waiting}\n"
            f"          {next_up}\n"
            "          \n"
            f"          {said}\n"
            f'          <td class="actions"><a href="{log_0}{r.official_id}{log_1}">{log_word}</a>'
            f' · <a href="{letter_0}{rid}{letter_1}">{letter_word}</a>{mail}{extra}</td>\n'
            "        </tr>\n      "
        )
    return Markup("".join(parts))  # noqa: S704 (every value above was escaped or is ours)


def plan_options(rows: Iterable[RecipientRow], chosen: str) -> Markup:
    """The "Plan a follow-up" list's ``<option>`` per recipient, ``chosen`` (an id, as the
    link from a row's "Plan" gives it) selected."""
    return Markup(  # noqa: S704 (the names are escaped)
        "".join(
            f'<option value="{row.recipient.id}" '
            f"{'selected' if chosen == str(row.recipient.id) else ''}>"
            f"{escaped(row.recipient.official.full_name)}</option>"
            for row in rows
        )
    )


def assignee_options(choices: Iterable[SelectChoice], chosen: str) -> Markup:
    """The follow-up form's "Assigned to" ``<option>`` per user, ``chosen`` (the signed-in
    user's id) selected: a hundred users, written in one pass rather than a Jinja loop."""
    return Markup(  # noqa: S704 (the values and names are escaped)
        "".join(
            f'<option value="{escaped(choice.value)}" '
            f"{'selected' if choice.value == chosen else ''}>{escaped(choice.label)}</option>"
            for choice in choices
        )
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals["recipient_rows"] = recipient_rows
    app.jinja_env.globals["assignee_options"] = assignee_options
    app.jinja_env.globals["plan_options"] = plan_options
