"""What a coordinator is warned of before a campaign's letters leave. Each warning needs a tick
on the confirmation page (or `--yes` on the command line); the page and `hilltrack letters send`
ask the same questions, from these functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from tracker.models import CampaignStatus, Recipient
from tracker.rules.dates import long_day
from tracker.rules.line_language import kept_lines_advice

# A letter dated further than this from the day it leaves reads as a mistake (or an old letter).
DATE_SLACK_DAYS = 14


@dataclass(frozen=True)
class SendWarning:
    """One thing to confirm. ``key`` names it in the confirmation form, the same on the page
    and in its POST, so a warning that appeared meanwhile is never taken as ticked."""

    key: str
    text: str
    # The recipient whose page fixes what the warning names (the page links to it).
    recipient_id: int | None = None


@dataclass(frozen=True)
class EndedRole:
    """A recipient addressed in a role they no longer hold, and who holds it now (as far as the
    directory knows)."""

    recipient_id: int
    name: str
    title: str
    ended_on: dt.date
    holders: tuple[str, ...]
    title_fr: str | None = None  # the feeds' French title, where they give one


def _title(role: EndedRole) -> str:
    """The role's title in the reader's language where the feeds give a French one (never a
    machine translation)."""
    locale = get_locale()
    french = locale is not None and locale.language == "fr"
    return role.title_fr if french and role.title_fr else role.title


def no_signatories(count: int) -> list[SendWarning]:
    """The letter would go out signed by nobody."""
    if count:
        return []
    return [SendWarning("signatories", _("The letter has no signatories: nobody signs it."))]


def date_far_from_today(letter_on: dt.date | None, today: dt.date) -> list[SendWarning]:
    """The letter's date is more than two weeks before or after the day it leaves. (A letter
    without a date is dated the day it leaves.)"""
    if letter_on is None or abs((letter_on - today).days) <= DATE_SLACK_DAYS:
        return []
    days = abs((letter_on - today).days)
    when = long_day(letter_on)
    if letter_on < today:
        text = ngettext(
            "The letter is dated %(when)s, %(num)d day ago: change its date, or send it as dated.",
            "The letter is dated %(when)s, %(num)d days ago: change its date, or send it as dated.",
            days,
            when=when,
        )
    else:
        text = ngettext(
            "The letter is dated %(when)s, %(num)d day from now: change its date, or send it as "
            "dated.",
            "The letter is dated %(when)s, %(num)d days from now: change its date, or send it as "
            "dated.",
            days,
            when=when,
        )
    return [SendWarning("date", text)]


def campaign_not_open(status: CampaignStatus) -> list[SendWarning]:
    """The campaign is closed. (An archived one sends nothing: see ``refusal``.)"""
    if status is not CampaignStatus.CLOSED:
        return []
    return [SendWarning("closed", _("The campaign is closed: reopen it, or send anyway."))]


def refusal(status: CampaignStatus) -> str | None:
    """Why nothing can be sent at all, whatever is ticked."""
    if status is CampaignStatus.ARCHIVED:
        return str(_("This campaign is archived; nothing can be sent from it."))
    return None


def roles_ended(ended: Iterable[EndedRole]) -> list[SendWarning]:
    """Each recipient addressed as holding a role that has ended since: one tick each."""
    warnings = []
    for role in ended:
        if role.holders:
            text = _(
                "%(name)s is no longer %(title)s (the role ended on %(when)s): send anyway, or "
                "add the current holder, %(holders)s.",
                name=role.name,
                title=_title(role),
                when=long_day(role.ended_on),
                holders=", ".join(role.holders),
            )
        else:
            text = _(
                "%(name)s is no longer %(title)s (the role ended on %(when)s): send anyway, or "
                "add whoever holds it now.",
                name=role.name,
                title=_title(role),
                when=long_day(role.ended_on),
            )
        warnings.append(SendWarning(f"role-{role.recipient_id}", text))
    return warnings


def has_ended(end_on: dt.date | None, today: dt.date) -> bool:
    """Whether a role with this last day is over by ``today``."""
    return end_on is not None and end_on < today


def recipients_without_text(
    recipients: Iterable[Recipient], languages: Collection[str]
) -> list[Recipient]:
    """The recipients whose language the campaign has no text in (none when it has no text at
    all: then nothing is sent to anyone)."""
    if not languages:
        return []
    return [r for r in recipients if r.language not in languages]


def missing_text(recipients: Sequence[Recipient]) -> list[SendWarning]:
    """One warning for every recipient in a language the campaign is not written in."""
    if not recipients:
        return []
    names = ", ".join(r.official.full_name for r in recipients)
    text = ngettext(
        "%(num)d recipient reads a language the campaign has no text in (%(names)s): send "
        "anyway, or write the letter in their language first.",
        "%(num)d recipients read a language the campaign has no text in (%(names)s): send "
        "anyway, or write the letter in their language first.",
        len(recipients),
        names=names,
    )
    return [SendWarning("language", text)]


def lines_in_another_language(recipients: Iterable[Recipient]) -> list[SendWarning]:
    """Each recipient whose address line or salutation is not in their letter's language (a
    French letter whose line was kept in English): one tick each, and a link to fix it."""
    warnings = []
    for recipient in recipients:
        advice = kept_lines_advice(recipient)
        if advice:
            warnings.append(SendWarning(f"lines-{recipient.id}", advice, recipient.id))
    return warnings


def unticked(warnings: Iterable[SendWarning], ticked: Collection[str]) -> list[SendWarning]:
    """The warnings a send would ignore: those not ticked."""
    return [warning for warning in warnings if warning.key not in ticked]
