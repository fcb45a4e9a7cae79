"""Mail that comes back: stored once, placed on its letter when Hilltrack can tell which, logged
as a reply, an acknowledgement or a bounce, and otherwise kept in triage for a person.

Inbound mail never creates an official and never sends anything back (no auto-reply, no
bounce: backscatter reaches innocent addresses, alaveteli#217).
"""

from __future__ import annotations

import hashlib
import re
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
from tracker.mail.inbound import ParsedMail, Unreadable, parse_mail
from tracker.mail.tokens import TOKEN, letter_id_from_token, token_in_address
from tracker.models import (
    Campaign,
    CampaignStatus,
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
    Official,
    Recipient,
    ReplyClass,
    User,
)
from tracker.operations import audit
from tracker.operations.interactions import record_interaction

THREAD_ID = re.compile(r"^<hilltrack\.(?P<token>[^@>]+)@")
OPEN = (CampaignStatus.ACTIVE, CampaignStatus.DRAFT)
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


def _store_file(folder: Path, name: str, data: bytes) -> str:
    """Write ``data`` under ``folder`` (mode 0600) and return the path relative to it."""
    relative = Path(name[:2]) / name
    target = folder / relative
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.chmod(0o600)
    temporary.replace(target)
    return str(relative)


def _letter_by_token(session: Session, secret: str, token: str) -> Letter | None:
    letter_id = letter_id_from_token(secret, token)
    return session.get(Letter, letter_id) if letter_id else None


def _near_miss(session: Session, token: str) -> Letter | None:
    """A token of the right shape whose check fails: a guess for triage, never a placement."""
    match = TOKEN.match(token.lower())
    return session.get(Letter, int(match["id"])) if match else None


def _officials_for_sender(session: Session, address: str) -> list[int]:
    found = set(
        session.scalars(select(Official.id).where(func.lower(Official.email) == address.lower()))
    )
    found |= set(
        session.scalars(select(KnownSender.official_id).where(KnownSender.address == address))
    )
    return sorted(found)


def _open_recipients(session: Session, official_id: int) -> list[Recipient]:
    return list(
        session.scalars(
            select(Recipient)
            .join(Campaign, Campaign.id == Recipient.campaign_id)
            .where(Recipient.official_id == official_id, Campaign.status.in_(OPEN))
            .order_by(Campaign.letter_on.desc().nulls_last(), Recipient.id.desc())
        )
    )


def place(session: Session, mail: ParsedMail, secret: str) -> Placement:
    """Which letter ``mail`` answers: its own reply address first, then threading, then a
    sender who is exactly one official with exactly one open letter. Else a guess, if any."""
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
    if mail.bounce and mail.bounce.final_recipient:
        sent = session.scalars(
            select(Letter)
            .where(
                func.lower(Letter.to_address) == mail.bounce.final_recipient,
                Letter.state == LetterState.SENT,
            )
            .order_by(Letter.id.desc())
        ).all()
        if len(sent) == 1:
            return Placement(sent[0], sent[0].recipient, "bounce")
    if mail.from_address and not mail.bounce:
        officials = _officials_for_sender(session, mail.from_address)
        if len(officials) == 1:
            open_letters = _open_recipients(session, officials[0])
            if len(open_letters) == 1:
                return Placement(None, open_letters[0], "sender")
            if open_letters and placement.guess is None:
                placement.guess = open_letters[0]
                placement.guess_reason = said(
                    "sent from the address of %(name)s, who has %(num)d open letters: the "
                    "latest is shown",
                    name=open_letters[0].official.full_name,
                    num=len(open_letters),
                )
    return placement


def _from_elsewhere(mail: ParsedMail, recipient: Recipient, letter: Letter | None) -> bool:
    """True when the sender is neither the official's known address nor their office's domain
    (Zammad filed follow-ups on the wrong ticket by not checking this, zammad#5064)."""
    sender = (mail.from_address or "").lower()
    known = {
        a.lower() for a in (recipient.official.email, letter.to_address if letter else None) if a
    }
    if sender in known:
        return False
    domains = {a.rpartition("@")[2] for a in known}
    return sender.rpartition("@")[2] not in domains


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
    on = (message.sent_at or message.received_at).astimezone(ZoneInfo(limits.timezone)).date()
    on = min(on, utcnow().astimezone(ZoneInfo(limits.timezone)).date())
    summary = (message.text or message.subject or "")[:SUMMARY_LIMIT]
    values: dict[str, object] = {"occurred_on": on, "channel": Channel.EMAIL}
    if message.kind is InboundKind.BOUNCE:
        values.update(kind=InteractionKind.BOUNCED, summary=message.bounce_diagnostic)
        if letter is not None and letter.state in (LetterState.SENT, LetterState.UNKNOWN):
            letter.state = LetterState.BOUNCED
            letter.error = message.bounce_diagnostic
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
    session: Session, raw: bytes, *, source: str, secret: str, limits: MailLimits
) -> tuple[InboundMessage, bool]:
    """Store one message (once: the same one again is found, not stored) and place it, in the
    caller's transaction. Returns (message, whether it is new). Never raises on bad mail: what
    cannot be read is kept raw in triage with the reason."""
    digest = hashlib.sha256(raw).hexdigest()
    oversized = len(raw) > limits.max_bytes
    mail: ParsedMail | None = None
    problem: str | None = None
    if oversized:
        problem = said(
            "The message is %(size)s bytes, over the %(cap)s-byte cap: only its first 256 KB "
            "are kept.",
            size=f"{len(raw):,}",
            cap=f"{limits.max_bytes:,}",
        )
    else:
        try:
            mail = parse_mail(raw)
        except Unreadable as error:
            problem = said("Could not be read: %(error)s", error=str(error))
    found = _existing(session, mail.message_id if mail else None, digest)
    if found is not None:
        return found, False
    kept = raw[: 256 * 1024] if oversized else raw
    message = InboundMessage(
        message_id=mail.message_id if mail else None,
        digest=digest,
        raw_path=_store_file(limits.folder / "raw", f"{digest}.eml", kept),
        size=len(raw),
        source=source[:200],
        received_at=utcnow(),
        kind=_kind(mail) if mail else InboundKind.UNREADABLE,
        state=InboundState.TRIAGE,
        note=problem,
    )
    if mail is not None:
        message.sent_at = mail.sent_at
        message.from_address = (mail.from_address or "")[:254] or None
        message.from_name = (mail.from_name or "")[:300] or None
        message.subject = mail.subject
        message.text = mail.reply
        message.full_text = mail.text
        message.html = mail.html
        if mail.bounce is not None:
            message.bounce_diagnostic = mail.bounce.words()
    session.add(message)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # The same message, stored meanwhile by another process: theirs is the record.
        session.expunge(message)
        again = _existing(session, message.message_id, digest)
        if again is None:
            raise
        return again, False
    if mail is not None:
        _keep_attachments(session, message, mail, limits)
        _place_new(session, message, mail, secret, limits)
    return message, True


def _place_new(
    session: Session, message: InboundMessage, mail: ParsedMail, secret: str, limits: MailLimits
) -> None:
    placement = place(session, mail, secret)
    if mail.bounce is not None and not mail.bounce.failed:
        message.note = said("A delivery delay report: the mail server is still trying.")
        message.state = InboundState.NOT_OUTREACH
        return
    if placement.recipient is None:
        message.guess_recipient_id = placement.guess.id if placement.guess else None
        message.guess_reason = placement.guess_reason
        return
    message.placed_by = placement.how
    message.letter_id = placement.letter.id if placement.letter else None
    if message.kind is not InboundKind.BOUNCE:
        message.from_other_address = _from_elsewhere(mail, placement.recipient, placement.letter)
    _log(session, message, placement.recipient, placement.letter, limits, None)


# What a person does in triage.


def _handled(message: InboundMessage, actor: User) -> None:
    if message.state is not InboundState.TRIAGE:
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
    one places itself."""
    _handled(message, actor)
    if message.kind is InboundKind.UNREADABLE:
        raise OperationError(_("An unreadable message cannot be logged; mark it not outreach."))
    message.placed_by = "person"
    _log(session, message, recipient, None, limits, actor, placed_as)
    if remember_sender and message.from_address:
        remember(session, message.from_address, recipient.official_id, actor=actor)
    audit.record(
        session,
        "inbound.placed",
        actor=actor,
        obj=message,
        after={"recipient_id": recipient.id, "remember_sender": remember_sender},
    )


def remember(session: Session, address: str, official_id: int, *, actor: User) -> None:
    address = address.strip().lower()
    if session.scalar(select(KnownSender).where(KnownSender.address == address)) is None:
        session.add(KnownSender(address=address, official_id=official_id, created_by_id=actor.id))


def mark_not_outreach(session: Session, message: InboundMessage, *, actor: User) -> None:
    _handled(message, actor)
    message.state = InboundState.NOT_OUTREACH
    audit.record(session, "inbound.not_outreach", actor=actor, obj=message)
