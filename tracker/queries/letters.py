"""Reads for letters: each recipient's letter, where it goes, and where its sending stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload

from tracker.formats.letters import LetterText, split_title
from tracker.models import (
    Campaign,
    Channel,
    Interaction,
    InteractionKind,
    Letter,
    LetterState,
    Official,
    Recipient,
    Role,
    Signatory,
)
from tracker.rules import send_checks as checks
from tracker.rules.address import french_title_of, missing_french_of
from tracker.rules.campaign_text import campaign_text, has_text, languages_written

# A letter in one of these states is on its way or arrived: sending again skips its recipient.
ACTIVE_STATES = (
    LetterState.QUEUED,
    LetterState.SENDING,
    LetterState.SENT,
    LetterState.UNKNOWN,
    LetterState.RESTORED,
)


def mailing_address(official: Official) -> tuple[str, ...]:
    """The official's Hill office address, as Represent gives it, one line per line."""
    offices = official.offices or []
    hill = next((o for o in offices if o.get("type") == "legislature" and o.get("postal")), None)
    if hill is None:
        return ()
    return tuple(line.strip() for line in str(hill["postal"]).splitlines() if line.strip())


def email_address(recipient: Recipient) -> str | None:
    """Where the recipient's letter goes: the recipient's own override, else the directory's.
    Never an address found in the letter's text."""
    return recipient.email_override or recipient.official.email or None


def signatory_names(session: Session, campaign_id: int) -> tuple[str, ...]:
    """The campaign's signatories in signing order, the lead author first."""
    rows = session.execute(
        select(Signatory.name)
        .where(Signatory.campaign_id == campaign_id)
        .order_by(Signatory.is_lead.desc(), Signatory.position)
    ).scalars()
    return tuple(rows)


def letter_text(
    campaign: Campaign, recipient: Recipient, signatories: tuple[str, ...], today: dt.date
) -> LetterText:
    """``recipient``'s letter, in the recipient's language."""
    french = (
        french_title_of(recipient.official, recipient.role) if recipient.language == "fr" else None
    )
    lines = split_title(recipient.addressed_as, recipient.role_title, french)
    language = recipient.language if recipient.language in ("en", "fr") else "en"
    text = campaign_text(campaign, language)  # that language's text only, never the other's
    return LetterText(
        language=language,
        dated=campaign.letter_on or today,
        subject=text.subject,
        address_lines=lines + mailing_address(recipient.official),
        salutation=recipient.salutation,
        body=text.body,
        signatories=signatories,
        recipient_name=recipient.official.full_name,
    )


def missing_in_french(recipient: Recipient) -> tuple[str, ...]:
    """What a French recipient's address lacks in French (nothing for an English letter)."""
    if recipient.language != "fr":
        return ()
    return tuple(missing_french_of(recipient.official, recipient.role))


def recipients_with_officials(
    session: Session, campaign_id: int, ids: Iterable[int] | None = None
) -> Sequence[Recipient]:
    query = (
        select(Recipient)
        .where(Recipient.campaign_id == campaign_id)
        .options(joinedload(Recipient.official))
        .order_by(Recipient.position, Recipient.id)
    )
    if ids is not None:
        query = query.where(Recipient.id.in_(list(ids)))
    return session.scalars(query).all()


# What a send review never reads of a recipient's official (the letter's address block is
# written by the sending job, from its own read): loading them cost the Letters page a JSON
# decode and a time zone conversion for each of hundreds of rows.
UNREVIEWED = (
    Official.offices,
    Official.edited_fields,
    Official.notes,
    Official.search_key,
    Official.sort_key,
    Official.name_key,
    Official.photo_url,
    Official.last_seen_in_feed_at,
    Official.created_at,
    Official.updated_at,
)


def reviewed_recipients(session: Session, campaign_id: int) -> Sequence[Recipient]:
    """The campaign's recipients in order, with what a send review reads of their officials
    (any other column is read when asked for, a query per official)."""
    query = (
        select(Recipient)
        .where(Recipient.campaign_id == campaign_id)
        .options(
            defer(Recipient.created_at),
            joinedload(Recipient.official).options(*(defer(c) for c in UNREVIEWED)),
        )
        .order_by(Recipient.position, Recipient.id)
    )
    return session.scalars(query).all()


def latest_letters(session: Session, campaign_id: int) -> dict[int, Letter]:
    """Each recipient's most recent letter by e-mail in the campaign."""
    newest = (
        select(func.max(Letter.id))
        .where(Letter.campaign_id == campaign_id)
        .group_by(Letter.recipient_id)
    )
    letters = session.scalars(select(Letter).where(Letter.id.in_(newest))).all()
    return {letter.recipient_id: letter for letter in letters}


def emailed_recipients(session: Session, campaign_id: int) -> set[int]:
    """Recipients whose log already holds a send by e-mail (by Hilltrack or typed in)."""
    # Looked up recipient by recipient (the interaction's recipient and kind index): joined
    # the other way, SQLite walked every send in the log by kind, 60,000 on the bench dataset.
    rows = session.scalars(
        select(Interaction.recipient_id).where(
            Interaction.recipient_id.in_(
                select(Recipient.id).where(Recipient.campaign_id == campaign_id)
            ),
            Interaction.kind == InteractionKind.SENT,
            Interaction.channel == Channel.EMAIL,
        )
    )
    return {rid for rid in rows if rid is not None}


@dataclass(frozen=True)
class SendLine:
    recipient: Recipient
    address: str | None
    letter: Letter | None
    emailed: bool
    # A French letter's title or department that has no French form yet: left out of the
    # address until a coordinator writes it (once, for every letter to that role).
    missing_french: tuple[str, ...] = ()
    has_text: bool = True  # the campaign is written in the recipient's language

    @property
    def will_send(self) -> bool:
        active = self.letter is not None and self.letter.state in ACTIVE_STATES
        return self.address is not None and not self.emailed and not active and self.has_text

    @property
    def waits_for_text(self) -> bool:
        """Not sent (nor sendable) because the campaign is not written in their language."""
        active = self.letter is not None and self.letter.state in ACTIVE_STATES
        return not self.has_text and not self.emailed and not active


@dataclass(frozen=True)
class SendReview:
    """Who a send would reach, who cannot be reached by e-mail, and who already has it."""

    lines: list[SendLine]
    has_text: bool

    @property
    def ready(self) -> list[SendLine]:
        return [line for line in self.lines if line.will_send]

    @property
    def without_address(self) -> list[SendLine]:
        return [
            line
            for line in self.lines
            if line.address is None and not line.emailed and line.has_text
        ]

    @property
    def already(self) -> list[SendLine]:
        return [
            line
            for line in self.lines
            if line.address is not None and not line.will_send and not line.waits_for_text
        ]

    def without_text(self, language: str) -> list[SendLine]:
        """Recipients in ``language`` held back because the campaign is not written in it."""
        return [
            line
            for line in self.lines
            if line.waits_for_text and line.recipient.language == language
        ]

    def count(self, state: LetterState) -> int:
        return sum(1 for line in self.lines if line.letter and line.letter.state is state)

    @property
    def in_flight(self) -> int:
        """Letters queued or being handed over: the page follows them until none is left."""
        return sum(
            1
            for line in self.lines
            if line.letter and line.letter.state in (LetterState.QUEUED, LetterState.SENDING)
        )

    @property
    def waiting(self) -> list[SendLine]:
        """The recipients still waiting for the letter: not e-mailed it, none on its way (those
        this send e-mails, those whose PDF is printed, and any it must leave out)."""
        return [
            line
            for line in self.lines
            if not line.emailed and not (line.letter and line.letter.state in ACTIVE_STATES)
        ]


def send_review(session: Session, campaign: Campaign) -> SendReview:
    """What the campaign's letters page shows before a send, and what a send acts on."""
    letters = latest_letters(session, campaign.id)
    emailed = emailed_recipients(session, campaign.id)
    lines = [
        SendLine(
            r,
            email_address(r),
            letters.get(r.id),
            r.id in emailed,
            missing_in_french(r),
            has_text(campaign, r.language),
        )
        for r in reviewed_recipients(session, campaign.id)
    ]
    return SendReview(lines, any(has_text(campaign, language) for language in ("en", "fr")))


def letters_in_flight(session: Session, job_id: int) -> dict[LetterState, int]:
    """How many of a send job's letters are in each state (for `letters send --wait`)."""
    rows = session.execute(
        select(Letter.state, func.count()).where(Letter.job_id == job_id).group_by(Letter.state)
    ).all()
    return {LetterState(state): count for state, count in rows}


@dataclass(frozen=True)
class SendChecks:
    """What the confirmation before a send shows: how many letters go by e-mail in each
    language, how many to print, what to confirm, and what forbids sending at all."""

    by_language: dict[str, int]
    to_print: int
    warnings: list[checks.SendWarning]
    refusal: str | None

    @property
    def by_email(self) -> int:
        return sum(self.by_language.values())


def ended_roles(
    session: Session, recipients: Sequence[Recipient], today: dt.date
) -> list[checks.EndedRole]:
    """The recipients whose role on the letter has ended by ``today``, each with the officials
    holding the same office now (two queries, however many recipients)."""
    role_ids = [r.role_id for r in recipients if r.role_id is not None]
    roles = {role.id: role for role in session.scalars(select(Role).where(Role.id.in_(role_ids)))}
    over = {
        r.id: roles[r.role_id]
        for r in recipients
        if r.role_id in roles and checks.has_ended(roles[r.role_id].end_on, today)
    }
    holders = current_holders(session, list(over.values()), today)
    return [
        checks.EndedRole(
            recipient_id=recipient.id,
            name=recipient.official.full_name,
            title=over[recipient.id].title,
            title_fr=over[recipient.id].title_fr,
            ended_on=over[recipient.id].end_on or today,
            holders=tuple(
                name
                for official_id, name in holders.get(_office(over[recipient.id]), ())
                if official_id != over[recipient.id].official_id
            ),
        )
        for recipient in recipients
        if recipient.id in over
    ]


def _office(role: Role) -> tuple[str, str, int | None]:
    """What makes two roles the same office: kind, title and organisation."""
    return (str(role.kind), role.title, role.organisation_id)


def current_holders(
    session: Session, roles: Sequence[Role], today: dt.date
) -> dict[tuple[str, str, int | None], list[tuple[int, str]]]:
    """Who holds each of ``roles``' offices on ``today``: (official id, name), by office."""
    if not roles:
        return {}
    rows = session.execute(
        select(Role, Official)
        .join(Official, Role.official_id == Official.id)
        .where(
            Role.title.in_({role.title for role in roles}),
            (Role.end_on.is_(None)) | (Role.end_on >= today),
            (Role.start_on.is_(None)) | (Role.start_on <= today),
        )
        .order_by(Official.sort_key, Official.id)
    ).all()
    by_office: dict[tuple[str, str, int | None], list[tuple[int, str]]] = {}
    for role, official in rows:
        held = by_office.setdefault(_office(role), [])
        if all(official.id != known for known, _ in held):
            held.append((official.id, official.full_name))
    return by_office


def send_checks(
    session: Session, campaign: Campaign, review: SendReview, today: dt.date
) -> SendChecks:
    """Everything the confirmation before a send asks, for the page and the command line."""
    by_language: dict[str, int] = {}
    for line in review.ready:
        by_language[line.recipient.language] = by_language.get(line.recipient.language, 0) + 1
    waiting = [line.recipient for line in review.waiting]
    without_text = checks.recipients_without_text(waiting, languages_written(campaign))
    warnings = [
        *checks.no_signatories(len(signatory_names(session, campaign.id))),
        *checks.date_far_from_today(campaign.letter_on, today),
        *checks.campaign_not_open(campaign.status),
        *checks.roles_ended(ended_roles(session, waiting, today)),
        *checks.missing_text(without_text),
        *checks.lines_in_another_language(waiting),
    ]
    return SendChecks(
        by_language=dict(sorted(by_language.items())),
        to_print=len(review.without_address),
        warnings=warnings,
        refusal=checks.refusal(campaign.status),
    )
