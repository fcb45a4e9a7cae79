"""Mail that comes back: read in full before any lock is taken, stored once, placed on its
letter only by a token whose keyed hash checks, logged as a reply, an acknowledgement or a
bounce, and otherwise kept in triage for a person with Hilltrack's guess.

Anyone can write any From: or forge a delivery report, so the sender's address and a report's
bounced address are only ever guesses a person confirms in one click.
Inbound mail never creates an official and never sends anything back (no auto-reply, no
bounce: backscatter reaches innocent addresses, alaveteli#217).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from importers.said import Said, said, said_together
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.mail.files import sniffed_type
from tracker.mail.inbound import Bounce, ParsedMail, TooLarge, Unreadable, parse_mail
from tracker.mail.tokens import TOKEN, letter_id_from_token, token_in_address
from tracker.models import (
    Channel,
    InboundAttachment,
    InboundKind,
    InboundMessage,
    InboundState,
    InteractionKind,
    KnownSender,
    Letter,
    LetterState,
    LoggedFrom,
    Recipient,
    ReplyClass,
    User,
    WebhookEvent,
)
from tracker.operations import audit, events
from tracker.operations.interactions import record_interaction
from tracker.queries.inbound import officials_for_sender, open_recipients_of
from tracker.rules.text import single_line

THREAD_ID = re.compile(r"^<hilltrack\.(?P<token>[^@>]+)@")
SUMMARY_LIMIT = 4000


@dataclass(frozen=True)
class MailLimits:
    folder: Path  # raw messages and attachments live here, under the instance folder
    max_bytes: int = 25 * 1024 * 1024
    max_attachment_bytes: int = 10 * 1024 * 1024
    timezone: str = "America/Toronto"


@dataclass
class Placement:
    letter: Letter | None = None
    recipient: Recipient | None = None
    how: str | None = None
    guess: Recipient | None = None
    guess_reason: str | None = None


@dataclass(frozen=True)
class Reading:
    """A message read before any lock is taken: its bytes, their digest, and what was read
    from them (or why nothing could be)."""

    raw: bytes
    digest: str
    mail: ParsedMail | None
    problem: str | None
    oversized: bool = False


def read_message(raw: bytes, limits: MailLimits) -> Reading:
    """Read ``raw`` completely, touching no database: the caller does this before it takes
    the write lock, so a slow message never makes every other save wait."""
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > limits.max_bytes:
        problem = said(
            "The message is %(size)s bytes, over the %(cap)s-byte cap: only its first 256 KB "
            "are kept.",
            size=f"{len(raw):,}",
            cap=f"{limits.max_bytes:,}",
        )
        return Reading(raw, digest, None, problem, oversized=True)
    try:
        return Reading(raw, digest, parse_mail(raw), None)
    except TooLarge as error:
        why = error.args[0] if error.args else str(error)  # a Said: read in the reader's language
        return Reading(raw, digest, None, said("Too large to read: %(why)s.", why=why))
    except Unreadable as error:
        return Reading(raw, digest, None, said("Could not be read: %(error)s", error=str(error)))


def unread(raw: bytes, why: str) -> Reading:
    """``raw`` kept as it came, unread, with the reason (a message that kept failing)."""
    problem = said("Could not be read: %(error)s", error=why)
    return Reading(raw, hashlib.sha256(raw).hexdigest(), None, problem)


def _store_file(folder: Path, name: str, data: bytes) -> str:
    """Write ``data`` under ``folder`` (mode 0600) and return the path relative to it. Each
    writer has its own temporary file, so the same message taken in twice at once is safe."""
    relative = Path(name[:2]) / name
    target = folder / relative
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)  # mkstemp made it 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return str(relative)


def _letter_by_token(session: Session, secret: str, token: str) -> Letter | None:
    letter_id = letter_id_from_token(secret, token)
    return session.get(Letter, letter_id) if letter_id else None


def _near_miss(session: Session, token: str) -> Letter | None:
    """A token of the right shape whose check fails: a guess for triage, never a placement."""
    match = TOKEN.match(token.lower())
    return session.get(Letter, int(match["id"])) if match else None


def place(session: Session, mail: ParsedMail, secret: str) -> Placement:
    """Which letter ``mail`` answers, by a checked token only: in its reply or bounce address,
    else in a letter's Message-ID that its thread or its delivery report quotes. Otherwise a
    guess for triage: a near-miss token, the bounced address of one sent letter, or a sender
    who is one official's address (anyone can write those)."""
    placement = Placement()
    for address in mail.addresses:
        token = token_in_address(address)
        if not token:
            continue
        letter = _letter_by_token(session, secret, token)
        if letter is not None:
            return Placement(letter, letter.recipient, "token")
        near = _near_miss(session, token)
        if near is not None and placement.guess is None:
            placement.guess = near.recipient
            placement.guess_reason = said(
                "its address names letter %(id)d, but fails the check", id=near.id
            )
    thread = [*mail.in_reply_to, *mail.references]
    if mail.bounce and mail.bounce.original_message_id:
        thread.insert(0, mail.bounce.original_message_id)
    for message_id in thread:
        match = THREAD_ID.match(message_id)
        letter = _letter_by_token(session, secret, match["token"]) if match else None
        if letter is not None:
            return Placement(letter, letter.recipient, "thread")
    if placement.guess is None:
        _guess_by_sender(session, mail, placement)
    return placement


def _guess_by_sender(session: Session, mail: ParsedMail, placement: Placement) -> None:
    """A guess from what anyone can forge: the address a delivery report says bounced, or the
    From: of an official (or of an address a person said is theirs)."""
    if mail.bounce:
        _guess_by_bounced_address(session, mail.bounce, placement)
        return
    if not mail.from_address:
        return
    officials = officials_for_sender(session, mail.from_address)
    if len(officials) != 1:
        return
    open_letters = open_recipients_of(session, officials[0])
    if not open_letters:
        return
    placement.guess = open_letters[0]
    if len(open_letters) == 1:
        placement.guess_reason = said(
            "sent from the address of %(name)s, who has one open letter; it carries no token "
            "of ours",
            name=open_letters[0].official.full_name,
        )
    else:
        placement.guess_reason = said(
            "sent from the address of %(name)s, who has %(num)d open letters: the latest is shown",
            name=open_letters[0].official.full_name,
            num=len(open_letters),
        )


def _guess_by_bounced_address(session: Session, bounce: Bounce, placement: Placement) -> None:
    """The one letter sent to an address the report says failed: the addresses the letter was
    sent to (a report's Original-Recipient) are tried before those a remote server rewrote."""
    for address in bounce.addresses or (bounce.final_recipient or "",):
        if not address:
            continue
        sent = session.scalars(
            select(Letter)
            .where(func.lower(Letter.to_address) == address, Letter.state == LetterState.SENT)
            .order_by(Letter.id.desc())
            .limit(2)
        ).all()
        if len(sent) == 1:
            placement.guess = sent[0].recipient
            placement.guess_reason = said(
                "a delivery report for %(address)s, where one letter was sent; it carries no "
                "token of ours, so check it is real",
                address=address,
            )
            return


def _from_elsewhere(
    session: Session, mail: ParsedMail, recipient: Recipient, letter: Letter | None
) -> bool:
    """True when the sender is none of the official's own addresses: the directory's, the one
    the letter went to, or one a person said is theirs. Whole addresses are compared, never
    domains: on parl.gc.ca every member shares one (Zammad filed follow-ups on the wrong
    ticket by not checking the sender, zammad#5064)."""
    sender = (mail.from_address or "").lower()
    known = {
        a.lower() for a in (recipient.official.email, letter.to_address if letter else None) if a
    }
    known |= set(
        session.scalars(
            select(KnownSender.address).where(KnownSender.official_id == recipient.official_id)
        )
    )
    return sender not in known


def _kind(mail: ParsedMail) -> InboundKind:
    if mail.bounce is not None:
        return InboundKind.BOUNCE
    return InboundKind.AUTO_REPLY if mail.auto_reply else InboundKind.REPLY


# What a person placing a message from triage says it is (a bounce stays a bounce).
PLACED_AS: dict[str, dict[str, object]] = {
    "reply": {"kind": InteractionKind.REPLY_RECEIVED, "reply_class": None},
    "meeting_request": {"kind": InteractionKind.MEETING_REQUESTED, "reply_class": None},
    "acknowledgement": {
        "kind": InteractionKind.REPLY_RECEIVED,
        "reply_class": ReplyClass.ACKNOWLEDGEMENT,
    },
}


def _log(
    session: Session,
    message: InboundMessage,
    recipient: Recipient,
    letter: Letter | None,
    limits: MailLimits,
    actor: User | None,
    placed_as: str | None = None,
) -> None:
    """Log what the message means on the recipient: a reply, an acknowledgement or a bounce."""
    on = _logged_on(message, recipient, letter, ZoneInfo(limits.timezone))
    summary = (message.text or message.subject or "")[:SUMMARY_LIMIT]
    values: dict[str, object] = {"occurred_on": on, "channel": Channel.EMAIL}
    bounced = None
    if message.kind is InboundKind.BOUNCE:
        values.update(kind=InteractionKind.BOUNCED, summary=message.bounce_diagnostic)
        if letter is not None and letter.state in (LetterState.SENT, LetterState.UNKNOWN):
            letter.state = LetterState.BOUNCED
            letter.error = message.bounce_diagnostic
            bounced = letter
    elif message.kind is InboundKind.AUTO_REPLY:
        values.update(
            kind=InteractionKind.REPLY_RECEIVED,
            reply_class=ReplyClass.ACKNOWLEDGEMENT,
            summary=summary,
        )
    else:
        values.update(kind=InteractionKind.REPLY_RECEIVED, summary=summary)
    if placed_as in PLACED_AS and message.kind is not InboundKind.BOUNCE:
        values.update(PLACED_AS[placed_as], summary=summary)
    interaction, _created = record_interaction(
        session,
        recipient,
        values,
        actor=actor,
        submission_key=f"inbound:{message.id}",
        today=on,
        logged_from=LoggedFrom.MAIL,
        unclassified=True,
    )
    message.interaction_id = interaction.id
    message.recipient_id = recipient.id
    message.letter_id = letter.id if letter else message.letter_id
    message.state = InboundState.PLACED
    if bounced is not None:
        events.letter_finished(session, bounced, WebhookEvent.LETTER_BOUNCED)


def _logged_on(
    message: InboundMessage, recipient: Recipient, letter: Letter | None, zone: ZoneInfo
) -> dt.date:
    """The day the message is logged on: its Date, never after today and never before the
    letter it answers was sent (a back-dated Date: would make the reply come first)."""
    on = (message.sent_at or message.received_at).astimezone(zone).date()
    on = min(on, utcnow().astimezone(zone).date())
    floors = [recipient.last_sent_on]
    if letter is not None and letter.finished_at is not None:
        floors.append(letter.finished_at.astimezone(zone).date())
    return max([on, *(f for f in floors if f is not None)])


def _existing(session: Session, message_id: str | None, digest: str) -> InboundMessage | None:
    if message_id:
        found = session.scalar(
            select(InboundMessage).where(InboundMessage.message_id == message_id)
        )
        if found is not None:
            return found
    return session.scalar(select(InboundMessage).where(InboundMessage.digest == digest))


def _keep_attachments(
    session: Session, message: InboundMessage, mail: ParsedMail, limits: MailLimits
) -> None:
    for attachment in mail.attachments:
        kept = len(attachment.data) <= limits.max_attachment_bytes
        digest = hashlib.sha256(attachment.data).hexdigest()
        session.add(
            InboundAttachment(
                message_id=message.id,
                filename=attachment.filename,
                declared_type=attachment.declared_type,
                content_type=sniffed_type(attachment.data, attachment.declared_type),
                size=len(attachment.data),
                path=_store_file(limits.folder / "attachments", digest, attachment.data)
                if kept
                else None,
            )
        )
        if not kept:
            left_out = said(
                "The attachment %(name)s (%(size)s bytes) is over the %(cap)s-byte cap and was "
                "not kept.",
                name=repr(attachment.filename),
                size=f"{len(attachment.data):,}",
                cap=f"{limits.max_attachment_bytes:,}",
            )
            earlier = message.note
            if earlier and not isinstance(earlier, Said):
                earlier = Said(earlier)  # a text of its own, shown as it is
            message.note = said_together([earlier, left_out], " ") if earlier else left_out


def receive(
    session: Session, reading: Reading, *, source: str, secret: str, limits: MailLimits
) -> tuple[InboundMessage, bool]:
    """Store one message read by ``read_message`` (once: the same one again is found, not
    stored) and place it, in the caller's transaction. Returns (message, whether it is new).
    Never raises on bad mail: what cannot be read is kept raw in triage with the reason."""
    mail, digest = reading.mail, reading.digest
    found = _existing(session, mail.message_id if mail else None, digest)
    if found is not None:
        return found, False
    kept = reading.raw[: 256 * 1024] if reading.oversized else reading.raw
    message = InboundMessage(
        message_id=mail.message_id if mail else None,
        digest=digest,
        raw_path=_store_file(limits.folder / "raw", f"{digest}.eml", kept),
        size=len(reading.raw),
        source=single_line(source)[:200],
        received_at=utcnow(),
        kind=_kind(mail) if mail else InboundKind.UNREADABLE,
        state=InboundState.TRIAGE,
        note=reading.problem,
    )
    if mail is not None:
        message.sent_at = mail.sent_at
        message.from_address = mail.from_address
        message.from_name = mail.from_name
        message.subject = mail.subject
        message.text = mail.reply
        message.full_text = mail.text
        message.html = mail.html
        if mail.bounce is not None:
            message.bounce_diagnostic = mail.bounce.words()
            message.note = _bounce_note(mail.bounce)
    session.add(message)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # The same message, stored meanwhile by another process: theirs is the record. The
        # savepoint's rollback has already taken ours out of the session.
        if message in session:
            session.expunge(message)
        again = _existing(session, message.message_id, digest)
        if again is None:
            raise
        return again, False
    if mail is not None:
        _keep_attachments(session, message, mail, limits)
        _place_new(session, message, mail, secret, limits)
    if message.state is InboundState.TRIAGE:
        events.message_in_triage(session, message)
    return message, True


def _bounce_note(bounce: Bounce) -> Said:
    """What a bounce says, for triage and the message page: the addresses that failed and
    whether the server gave up or is still trying."""
    addresses = ", ".join(bounce.addresses[:20]) or "?"
    if bounce.failed:
        return said(
            "A bounce: the mail server gave up delivering to %(addresses)s.", addresses=addresses
        )
    return said(
        "A delivery delay report: the mail server is still trying to deliver to %(addresses)s.",
        addresses=addresses,
    )


def _place_new(
    session: Session, message: InboundMessage, mail: ParsedMail, secret: str, limits: MailLimits
) -> None:
    placement = place(session, mail, secret)
    if mail.bounce is not None and not mail.bounce.failed:
        message.state = InboundState.NOT_OUTREACH
        return
    if placement.recipient is None:
        message.guess_recipient_id = placement.guess.id if placement.guess else None
        message.guess_reason = placement.guess_reason
        return
    message.placed_by = placement.how
    message.letter_id = placement.letter.id if placement.letter else None
    if message.kind is not InboundKind.BOUNCE:
        message.from_other_address = _from_elsewhere(
            session, mail, placement.recipient, placement.letter
        )
    _log(session, message, placement.recipient, placement.letter, limits, None)


# What a person does in triage.


# A message a person said was not outreach can still be placed, after all.
PLACEABLE = (InboundState.TRIAGE, InboundState.NOT_OUTREACH)


def _handled(
    message: InboundMessage, actor: User, states: tuple[InboundState, ...] = (InboundState.TRIAGE,)
) -> None:
    if message.state not in states:
        raise OperationError(_("Someone already dealt with this message; reload the page."))
    message.handled_by_id = actor.id
    message.handled_at = utcnow()


def place_by_hand(
    session: Session,
    message: InboundMessage,
    recipient: Recipient,
    *,
    actor: User,
    limits: MailLimits,
    remember_sender: bool = False,
    placed_as: str | None = None,
) -> None:
    """A person places a message from triage on a letter's recipient, as what they say it is
    (PLACED_AS: a reply, a meeting request, an acknowledgement; by default what the message
    looks like); optionally the sender's address is remembered as the official's, so the next
    one places itself. A message marked not outreach can be placed too: the mark was wrong."""
    _handled(message, actor, PLACEABLE)
    if message.kind is InboundKind.UNREADABLE:
        raise OperationError(_("An unreadable message cannot be logged; mark it not outreach."))
    message.placed_by = "person"
    letter = _bounced_letter(session, message, recipient)
    _log(session, message, recipient, letter, limits, actor, placed_as)
    if remember_sender and message.from_address:
        remember(session, message.from_address, recipient.official_id, actor=actor)
    audit.record(
        session,
        "inbound.placed",
        actor=actor,
        obj=message,
        after={"recipient_id": recipient.id, "remember_sender": remember_sender},
    )


def _bounced_letter(
    session: Session, message: InboundMessage, recipient: Recipient
) -> Letter | None:
    """For a delivery report a person places: the recipient's latest letter sent by e-mail,
    which the report marks bounced."""
    if message.kind is not InboundKind.BOUNCE:
        return None
    return session.scalars(
        select(Letter)
        .where(
            Letter.recipient_id == recipient.id,
            Letter.state.in_((LetterState.SENT, LetterState.UNKNOWN)),
        )
        .order_by(Letter.id.desc())
        .limit(1)
    ).first()


def remember(session: Session, address: str, official_id: int, *, actor: User) -> None:
    address = address.strip().lower()
    if session.scalar(select(KnownSender).where(KnownSender.address == address)) is None:
        session.add(KnownSender(address=address, official_id=official_id, created_by_id=actor.id))


def mark_not_outreach(session: Session, message: InboundMessage, *, actor: User) -> None:
    _handled(message, actor)
    message.state = InboundState.NOT_OUTREACH
    audit.record(session, "inbound.not_outreach", actor=actor, obj=message)


def undo_not_outreach(session: Session, message: InboundMessage, *, actor: User) -> None:
    """Put a message a person said was not outreach back with the mail waiting to be placed."""
    _handled(message, actor, (InboundState.NOT_OUTREACH,))
    message.state = InboundState.TRIAGE
    audit.record(session, "inbound.not_outreach_undone", actor=actor, obj=message)
