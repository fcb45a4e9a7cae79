"""The Letters page's rows (one per recipient), built in Python from each line's values.

As a Jinja loop, a campaign of 450 recipients cost two thirds of the page in template calls,
attribute reads and escapes. Here each row is one string filled in: the words and links are
made once per request; what comes from outside (names, address lines, addresses, errors) is
escaped as it goes in. The parts few rows have (a French title to write, a letter whose fate is
unknown) stay Jinja macros of the page, called for those rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup, escape

from tracker.catalogue import around
from tracker.formats.said import in_reader_language
from tracker.models import LetterState
from tracker.queries.letters import SendLine
from tracker.rules.line_language import kept_lines_advice
from tracker.rules.status import RecipientStatus
from tracker.web.templating import _per_request, badge, labels, local_datetime, url_pattern

WORDS = {
    "by_hand": _l("sent by e-mail (logged by hand)"),
    "no_fr": _l("no French version yet"),
    "no_en": _l("no English version yet"),
    "not_sent": _l("not sent"),
    "bounced": _l("not delivered: send it another way"),
    "preview": _l("Preview"),
    "pdf": _l("PDF"),
    "email": _l("E-mail"),
    "letter": _l("Letter"),
    "set_here": _l("(set on this letter)"),
    "no_address": _l("none: print the PDF"),
    "recipient_page": _l("The recipient's page"),
}
IN_ATTRIBUTES = ("email", "letter")  # the cells' data-label
LANGUAGE_NAMES = {
    "en": lazy_pgettext("language name", "English"),
    "fr": lazy_pgettext("language name", "French"),
}
ADDRESS_OF = _l("E-mail address of %(name)s")  # the inline form's label, for screen readers
NEXT_TRY = _l("next try %(when)s")
UNSETTLED = (LetterState.UNKNOWN, LetterState.RESTORED)  # a coordinator says what happened
ERROR_STATES = ("bounced", "failed", "unknown", "restored")


def _row_words() -> dict[str, Any]:
    def make() -> dict[str, Any]:
        words: dict[str, Any] = {name: str(text) for name, text in WORDS.items()}
        # The cells' labels are attributes: their words are text there (escaped).
        for name in IN_ATTRIBUTES:
            words[name] = str(escape(words[name]))
        words["languages"] = {code: str(escape(name)) for code, name in LANGUAGE_NAMES.items()}
        words["address_of"] = around(ADDRESS_OF, "name")
        words["next_try"] = around(NEXT_TRY, "when")
        state_labels = labels("LetterState").items()
        words["states"] = {state: str(escape(label)) for state, label in state_labels}
        words["bounced_badge"] = str(badge(RecipientStatus.BOUNCED))
        return words

    made: dict[str, Any] = _per_request("letter rows", make)
    return made


def letter_rows(
    lines: Iterable[SendLine],
    campaign_id: int,
    email_csrf: str,
    email_inputs: str,
    missing_french: Callable[..., str],
    settle_buttons: Callable[..., str],
) -> Markup:
    """Each recipient's ``<tr>``: who, the address (or a form to add one), the letter's state,
    and its links. ``email_csrf`` and ``email_inputs`` are the inline form's inputs rendered
    once with "@row@" for the row's id; ``missing_french(recipient, titles)`` and
    ``settle_buttons(letter)`` are the page's macros for the rows that need them."""
    w = _row_words()
    preview_url = url_pattern("letters.preview", "recipient_id", campaign_id=campaign_id)
    pdf_url = url_pattern("letters.pdf", "recipient_id", campaign_id=campaign_id)
    add_email_url = url_pattern("letters.add_email", "recipient_id", campaign_id=campaign_id)
    recipient_url = url_pattern(
        "recipients.edit_recipient", "recipient_id", campaign_id=campaign_id
    )
    languages, states = w["languages"], w["states"]
    address_of, next_try = w["address_of"], w["next_try"]
    email_csrf, email_inputs = str(email_csrf), str(email_inputs)
    set_here = f' <small class="muted">{w["set_here"]}</small>'
    bounced_words = f'<small class="field-error">{w["bounced"]}</small>'
    parts: list[str] = []
    for line in lines:
        r, letter = line.recipient, line.letter
        rid, name = r.id, escape(r.official.full_name)
        french = (
            "\n          " + str(missing_french(r, line.missing_french))
            if line.missing_french
            else ""
        )
        kept = kept_lines_advice(r)  # a line left in the other language (rules.line_language)
        if kept:
            french += (
                f'\n          <div class="kept-lines"><small class="field-error">{escape(kept)}'
                f'</small> <small><a href="{recipient_url(rid)}">{w["recipient_page"]}</a>'
                "</small></div>"
            )
        if line.address:
            address = f"{escape(line.address)}{set_here if r.email_override else ''}"
        else:
            eid = f"email-{rid}"
            address = (
                f'<span class="muted">{w["no_address"]}</span>\n'
                f'          <form method="post" action="{add_email_url(rid)}"'
                ' class="inline-email" novalidate>\n'
                f"            {email_csrf.replace('@row@', eid)}\n"
                f'            <label for="{eid}" class="visually-hidden">'
                f"{address_of(name)}</label>\n"
                f"            {email_inputs.replace('@row@', eid)}\n"
                "          </form>"
            )
        if letter:
            value = letter.state.value
            state_attr = f' data-state="{value}"'
            state = f'<span class="badge badge-letter-{value}">{states[letter.state]}</span>'
            if letter.state == LetterState.QUEUED and letter.next_attempt_at:
                when = escape(local_datetime(letter.next_attempt_at))
                state += f"\n            <small>{next_try(when)}</small>"
            if letter.state == LetterState.SENT and letter.finished_at:
                finished = escape(local_datetime(letter.finished_at))
                state += f"\n            <small>{finished}</small>"
            if letter.error:
                css = "field-error" if value in ERROR_STATES else "muted"
                error = escape(in_reader_language(letter.error))
                state += f'\n            <br><small class="{css}">{error}</small>'
        else:
            state_attr = ""
            if line.emailed:
                state = f'<span class="muted">{w["by_hand"]}</span>'
            elif line.waits_for_text:
                words = w["no_fr"] if r.language == "fr" else w["no_en"]
                state = f'<span class="field-error">{words}</span>'
            else:
                state = f'<span class="muted">{w["not_sent"]}</span>'
        if r.status == RecipientStatus.BOUNCED:
            shown = not letter or letter.state != LetterState.BOUNCED
            state += f"\n          <br>{w['bounced_badge'] + ' ' if shown else ''}{bounced_words}"
        settle = (
            "\n          " + str(settle_buttons(letter))
            if letter and letter.state in UNSETTLED
            else ""
        )
        parts.append(
            f'\n      <tr data-recipient="{rid}" id="recipient-{rid}">\n'
            f'        <td class="who">{name}<br><small>{escape(r.addressed_as)} · '
            f"{languages['fr'] if r.language == 'fr' else languages['en']}</small>{french}\n"
            "        </td>\n"
            f'        <td data-label="{w["email"]}">{address}</td>\n'
            f'        <td data-label="{w["letter"]}" class="letter-state"{state_attr}>\n'
            f"          {state}\n"
            "        </td>\n"
            f'        <td class="actions"><a href="{preview_url(rid)}">{w["preview"]}</a>'
            f' · <a href="{pdf_url(rid)}">{w["pdf"]}</a>{settle}\n'
            "        </td>\n"
            "      </tr>\n    "
        )
    return Markup("".join(parts))  # noqa: S704 (every value above was escaped or is ours)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["letter_rows"] = letter_rows
