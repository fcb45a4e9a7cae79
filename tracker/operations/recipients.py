"""The language each recipient's letter is in: chosen when they are added, changed by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.errors import OperationError
from tracker.models import Campaign, Official, Recipient, RoleKind, User
from tracker.operations import audit
from tracker.queries.officials import role_titled
from tracker.rules.address import (
    Addressee,
    address_line,
    addressee_for,
    as_the_letter_names,
    kind_named_by,
    missing_french,
    salutation,
)
from tracker.rules.campaign_text import LANGUAGES
from tracker.rules.line_language import LINE_LANGUAGE, languages_after_change
from tracker.rules.status import RecipientStatus


def check_language(language: str) -> str:
    """``language`` if it is one a letter can be written in, else OperationError."""
    if language not in LANGUAGES:
        raise OperationError(_("Choose English or French."), field="language")
    return language


def language_for(campaign: Campaign, official: Official, chosen: str | None = None) -> str:
    """A new recipient's language: the one chosen for them, else the one the directory says
    the official prefers, else the campaign's default."""
    for language in (chosen, official.preferred_language, campaign.default_language):
        if language in LANGUAGES:
            return str(language)
    return "en"


@dataclass(frozen=True)
class Readdressed:
    """A recipient's lines written again in a language. ``untranslated``: the English texts of
    the letter's title that have no French form Hilltrack knows; the address line was then kept
    as it was (it is not in ``values``) for a person to check and write in French."""

    values: dict[str, str]
    untranslated: tuple[str, ...] = ()


def _on_the_letter(session: Session, recipient: Recipient) -> Addressee:
    """The recipient as the letter addresses them: in their linked role, else in the title the
    letter gave them, in French where the directory knows that title in French."""
    on = recipient.campaign.letter_on or clock.today()
    who = addressee_for(recipient.official, recipient.role, on)
    if recipient.role is not None or not recipient.role_title:
        return who
    known = role_titled(session, recipient.role_title)
    stated = RoleKind(recipient.role_kind) if recipient.role_kind else None
    kind = kind_named_by(recipient.role_title, stated or (known.kind if known else None))
    title_fr = known.title_fr if known else None
    return as_the_letter_names(who, recipient.role_title, kind, title_fr)


def readdressing(session: Session, recipient: Recipient, language: str) -> Readdressed:
    """The recipient's address line and salutation written again in ``language``."""
    who = _on_the_letter(session, recipient)
    greeting = salutation(who, language, recipient.campaign.french_opening)
    untranslated = tuple(missing_french(who)) if language == "fr" and not recipient.role else ()
    if untranslated:
        # No role of the directory to write its French on (the campaign page's way): a line
        # without its title would read as if the letter had none, so the old line stays.
        return Readdressed({"salutation": greeting}, untranslated)
    return Readdressed({"addressed_as": address_line(who, language), "salutation": greeting})


def readdressed(session: Session, recipient: Recipient, language: str) -> dict[str, str]:
    """The lines ``readdressing`` writes (the address line only where it could be written)."""
    return readdressing(session, recipient, language).values


def note_line_languages(recipient: Recipient, languages: dict[str, str | None]) -> None:
    """Record which language each line of the recipient's address block is written in."""
    for column, language in languages.items():
        setattr(recipient, column, language)


def kept_line_warning(recipient: Recipient, untranslated: tuple[str, ...]) -> str:
    """What the coordinator is told when a French letter kept its old address line."""
    warning: str = _(
        "%(name)s: the address line was kept as it was, because Hilltrack knows no French for "
        "“%(title)s”. Check that line and write it in French on the recipient's page.",
        name=recipient.official.full_name,
        title=", ".join(untranslated),
    )
    return warning


@dataclass
class LanguageChange:
    """What ``set_language`` did: how many letters changed, and those whose address line was
    kept (with the titles it found no French for)."""

    changed: int = 0
    kept: list[tuple[Recipient, tuple[str, ...]]] = field(default_factory=list)


def set_language(
    session: Session,
    recipients: Sequence[Recipient],
    language: str,
    *,
    actor: User,
    readdress: bool = True,
) -> LanguageChange:
    """Write these recipients' letters in ``language`` (and, with ``readdress``, their address
    line and salutation too)."""
    check_language(language)
    result = LanguageChange()
    for recipient in recipients:
        if recipient.language == language:
            continue
        values: dict[str, str | None] = {"language": language}
        if readdress:
            written = readdressing(session, recipient, language)
            values.update(written.values)
            if written.untranslated:
                result.kept.append((recipient, written.untranslated))
        # What the lines are now written in goes with them, not into the audit trail.
        note_line_languages(recipient, languages_after_change(recipient, values, language))
        before, after = audit.changes(recipient, values)
        session.flush()
        audit.record(
            session, "recipient.update", actor=actor, obj=recipient, before=before, after=after
        )
        result.changed += 1
    return result


def unsent_lines(session: Session, official: Official) -> dict[Recipient, dict[str, str]]:
    """The lines Hilltrack writes today for each of the official's letters not yet sent: taken
    before a change to how the official is addressed, to tell generated lines from typed ones."""
    recipients = session.scalars(
        select(Recipient).where(
            Recipient.official_id == official.id,
            Recipient.status == int(RecipientStatus.NOT_SENT),
        )
    )
    return {
        recipient: readdressed(session, recipient, recipient.language) for recipient in recipients
    }


def readdress_unsent(
    session: Session, generated_before: dict[Recipient, dict[str, str]], *, actor: User
) -> int:
    """Write again the address line and salutation of letters not yet sent that still read as
    Hilltrack wrote them before (a line a person typed stays as typed); returns how many
    letters changed."""
    changed = 0
    for recipient, before in generated_before.items():
        now = readdressed(session, recipient, recipient.language)
        values = {
            name: now[name]
            for name in now
            if name in before and getattr(recipient, name) == before[name]
        }
        old, new = audit.changes(recipient, values)
        if not new:
            continue
        note_line_languages(recipient, {LINE_LANGUAGE[line]: recipient.language for line in values})
        session.flush()
        audit.record(session, "recipient.update", actor=actor, obj=recipient, before=old, after=new)
        changed += 1
    return changed
