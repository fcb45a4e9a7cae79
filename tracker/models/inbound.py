"""Mail that came back: replies, acknowledgements and bounces, kept whole, placed or in triage."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, SaidText, UTCDateTime
from tracker.models.enums import InboundKind, InboundState, enum_column
from tracker.models.officials import Official
from tracker.models.outreach import Interaction, Recipient
from tracker.models.queue import Letter


class InboundMessage(Base):
    """One message received at the capture address: its raw bytes on disk, what was read from
    it, and where it was placed (or why it waits in triage)."""

    __tablename__ = "inbound_message"
    # The Mail page lists newest first: all messages, by state, or the unreadable ones.
    __table_args__ = (
        Index("ix_inbound_message_state_received", "state", "received_at", "id"),
        Index("ix_inbound_message_kind_received", "kind", "received_at", "id"),
        Index("ix_inbound_message_received", "received_at", "id"),
        # The dashboard's count of replies logged from mail, from this index alone: it read
        # every message's row, and the log of mail only grows (migration 0034).
        Index("ix_inbound_message_state_kind", "state", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same message (by Message-ID, else by its bytes) is stored once, however often it comes.
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    raw_path: Mapped[str] = mapped_column(String(300))
    size: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))  # "ingest", "imap:INBOX"
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    from_address: Mapped[str | None] = mapped_column(String(254), index=True)
    from_name: Mapped[str | None] = mapped_column(String(300))
    subject: Mapped[str | None] = mapped_column(String(998))
    text: Mapped[str | None] = mapped_column(Text)  # the reply, its quoted letter stripped
    full_text: Mapped[str | None] = mapped_column(Text)  # the whole text part, as it came
    html: Mapped[str | None] = mapped_column(Text)  # sanitised: no script, no remote images
    kind: Mapped[InboundKind] = mapped_column(enum_column(InboundKind))
    state: Mapped[InboundState] = mapped_column(enum_column(InboundState))
    # How it was placed: "token", "thread", "sender", "bounce" or "person"; and why not.
    placed_by: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(SaidText)
    from_other_address: Mapped[bool] = mapped_column(default=False)
    letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter.id", ondelete="SET NULL"), index=True
    )
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipient.id", ondelete="RESTRICT"), index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"), index=True
    )
    # Hilltrack's best guess for a message in triage, and what it rests on.
    guess_recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipient.id", ondelete="SET NULL"), index=True
    )
    guess_reason: Mapped[str | None] = mapped_column(SaidText)
    bounce_diagnostic: Mapped[str | None] = mapped_column(Text)
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    letter: Mapped[Letter | None] = relationship()
    recipient: Mapped[Recipient | None] = relationship(foreign_keys=[recipient_id])
    guess: Mapped[Recipient | None] = relationship(foreign_keys=[guess_recipient_id])
    interaction: Mapped[Interaction | None] = relationship()
    handled_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[InboundAttachment]] = relationship(
        back_populates="message", order_by="InboundAttachment.id"
    )


class InboundAttachment(Base):
    """A file that came with a message, stored under the instance folder, its type checked."""

    __tablename__ = "inbound_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    declared_type: Mapped[str] = mapped_column(String(120))
    # What the bytes are (PDF, PNG...), or application/octet-stream: served as that, as a download.
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    path: Mapped[str | None] = mapped_column(String(300))  # None: over the size cap, not kept

    message: Mapped[InboundMessage] = relationship(back_populates="attachments")


class KnownSender(Base):
    """An address a person said belongs to an official (a chief of staff's, a scheduler's)."""

    __tablename__ = "known_sender"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("official.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    official: Mapped[Official] = relationship()
