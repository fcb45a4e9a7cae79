"""Campaigns (letters), who signed them, who they went to, and everything that happened next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, SaidText, UTCDateTime, new_revision
from tracker.models.enums import (
    CampaignStatus,
    Channel,
    FollowUpStatus,
    FrenchOpening,
    InteractionKind,
    LoggedFrom,
    ReplyClass,
    SignatoryKind,
    enum_column,
)
from tracker.models.officials import Official, Organisation, Role


class Campaign(Base):
    """A letter sent by the coalition, with its asks and its owner."""

    __tablename__ = "campaign"
    __table_args__ = (
        # Campaign lists run newest letter first (undated drafts before them): read in that
        # order from an index, a page at a time, however many campaigns there are.
        Index("ix_campaign_letter_on_id", "letter_on", "id"),
        Index("ix_campaign_status_letter_on_id", "status", "letter_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The letter in English, then in French (rules/campaign_text.py reads them): a version
    # exists when its body does. ``title`` is also the name every list shows, so a campaign
    # written in French only keeps its French title there too.
    title: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str | None] = mapped_column(String(300))  # the "Re:" line; else the title
    summary: Mapped[str | None] = mapped_column(Text)
    asks: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    title_fr: Mapped[str | None] = mapped_column(String(300))
    subject_fr: Mapped[str | None] = mapped_column(String(300))
    summary_fr: Mapped[str | None] = mapped_column(Text)
    asks_fr: Mapped[str | None] = mapped_column(Text)
    body_fr: Mapped[str | None] = mapped_column(Text)
    # The language new recipients get when the directory does not know the official's.
    default_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    letter_on: Mapped[dt.date | None]
    link_url: Mapped[str | None] = mapped_column(String(500))
    attachment_path: Mapped[str | None] = mapped_column(String(300))
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus), default=CampaignStatus.DRAFT, index=True
    )
    # The French salutation for a recipient whose form of address is not known.
    french_opening: Mapped[FrenchOpening] = mapped_column(
        enum_column(FrenchOpening),
        default=FrenchOpening.MADAME_MONSIEUR,
        server_default=FrenchOpening.MADAME_MONSIEUR.value,
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Changed by every write to what its cached page fragments show (models/revisions.py);
    # not the version above, which guards edit forms against concurrent edits.
    revision: Mapped[int] = mapped_column(BigInteger, default=new_revision, server_default="1")

    owner: Mapped[User | None] = relationship()
    signatories: Mapped[list[Signatory]] = relationship(
        back_populates="campaign", order_by="Signatory.position"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="campaign", order_by="Recipient.position"
    )

    __mapper_args__ = {"version_id_col": version}


class Signatory(Base):
    """An organisation or individual that co-signed a campaign's letter, in signing order."""

    __tablename__ = "signatory"
    __table_args__ = (UniqueConstraint("campaign_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[SignatoryKind] = mapped_column(enum_column(SignatoryKind))
    name: Mapped[str] = mapped_column(String(400))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    is_lead: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(400))

    campaign: Mapped[Campaign] = relationship(back_populates="signatories")
    organisation: Mapped[Organisation | None] = relationship()


class Recipient(Base):
    """An official a campaign was addressed to, with the role and address line as of the letter."""

    __tablename__ = "recipient"
    __table_args__ = (
        UniqueConstraint("campaign_id", "official_id"),
        # Covers the per-campaign status counts of the campaigns list and home page.
        Index("ix_recipient_campaign_status", "campaign_id", "status", "sent_on"),
        # The days to reply of the officials or campaigns a responsiveness page shows, read in
        # the order they are grouped (reports._days_of); the role's also indexes its key.
        Index("ix_recipient_official_reply", "official_id", "reply_days", "first_sent_on"),
        Index("ix_recipient_role_reply", "role_id", "reply_days", "first_sent_on"),
        Index("ix_recipient_campaign_reply", "campaign_id", "reply_days", "first_sent_on"),
        # An official's latest campaigns (their page, the quick log): read from the newest
        # back, as many as are shown, however many campaigns have addressed them.
        Index("ix_recipient_official_campaign", "official_id", "campaign_id"),
        # The home page's "N of M recipients spoke" (queries/outcomes.spoke_counts): each
        # recipient of ten campaigns, its official and letter's date, read from the index alone.
        Index(
            "ix_recipient_campaign_official_sent",
            "campaign_id",
            "official_id",
            "sent_on",
            "first_sent_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="RESTRICT"))
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="RESTRICT"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    role_title: Mapped[str | None] = mapped_column(String(400))
    addressed_as: Mapped[str] = mapped_column(String(600))
    salutation: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # The language Hilltrack wrote the address line (the salutation) in, or kept it in when the
    # letter changed language without a form of it in the new one; None once a person wrote
    # it (for the letter's language). rules/line_language.py reads them.
    address_line_language: Mapped[str | None] = mapped_column(String(2))
    salutation_language: Mapped[str | None] = mapped_column(String(2))
    # The official's party and the kind of the role they were written in, as of the letter
    # (filled in when the recipient is added): responsiveness is counted by these, so that an
    # MP who later crosses the floor answered their old party's letters for it.
    party: Mapped[str | None] = mapped_column(String(100))
    role_kind: Mapped[str | None] = mapped_column(String(32))
    # Where this recipient's letter goes by e-mail when not the official's directory address
    # (a scheduler's or a staffer's address). Never taken from the letter's free text.
    email_override: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # What this recipient's interactions amount to (rules/status.py has the rule). Written only by
    # operations.recipient_facts.refresh_facts, which every writer of interactions calls, so
    # progress pages count small rows here instead of aggregating the whole log per request.
    status: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    sent_on: Mapped[dt.date | None]  # the first send, unless the last one bounced
    first_sent_on: Mapped[dt.date | None]
    last_sent_on: Mapped[dt.date | None]
    last_bounced_on: Mapped[dt.date | None]
    first_reply_on: Mapped[dt.date | None]
    # First send to the first reply (not an acknowledgement), if that came on or after it.
    reply_days: Mapped[int | None]
    closing_reply: Mapped[bool] = mapped_column(default=False, server_default=false())
    full_reply: Mapped[bool] = mapped_column(default=False, server_default=false())
    meeting: Mapped[bool] = mapped_column(default=False, server_default=false())
    delivery_confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    meeting_held: Mapped[bool] = mapped_column(default=False, server_default=false())

    campaign: Mapped[Campaign] = relationship(back_populates="recipients")
    official: Mapped[Official] = relationship()
    role: Mapped[Role | None] = relationship()
    interactions: Mapped[list[Interaction]] = relationship(
        order_by="Interaction.occurred_on", viewonly=True
    )


class CampaignTally(Base):
    """A campaign's recipients counted by the day each was first sent the letter (None: not
    sent yet): the reports dashboard adds up these few rows per campaign instead of every
    recipient of every active campaign.

    Written only by operations.recipient_facts, whenever recipients' facts are refreshed or a
    recipient is added or removed; `hilltrack db recount` rebuilds it and `--check` proves it
    right, as the test suite does after every test.
    """

    __tablename__ = "campaign_tally"
    __table_args__ = (Index("ix_campaign_tally_campaign_sent", "campaign_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    sent_on: Mapped[dt.date | None]  # the recipients' first send (None: not sent, or bounced)
    recipients: Mapped[int]
    # How many of them count in each figure (rules.counting.LetterFigures says what counts).
    delivered: Mapped[int]  # delivery confirmed, or acknowledged or answered (which imply it)
    replied: Mapped[int]  # a reply (not an acknowledgement) on or after the first send
    acknowledged: Mapped[int] = mapped_column(default=0, server_default="0")  # and nothing more
    bounced: Mapped[int] = mapped_column(default=0, server_default="0")  # and not sent again
    met: Mapped[int]  # a meeting held
    answered: Mapped[int]  # a reply or a meeting: no longer waiting


class ReplyTally(Base):
    """Letters first sent in a month, counted by party, role, official or campaign: how many
    got no reply (``reply_days`` -1) and how many a reply after so many days. The
    responsiveness report adds up a period's months here instead of grouping every recipient
    of the period; by official or campaign only replied or not is kept (``reply_days`` 0 for
    every reply), the days of the groups shown being read from their recipients.

    Written only by operations.recipient_facts, by the difference each refresh of a
    recipient's facts makes; `hilltrack db recount` rebuilds it, `--check` proves it right.
    """

    __tablename__ = "reply_tally"
    __table_args__ = (UniqueConstraint("dimension", "month", "key", "reply_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(10))  # party, role, official, campaign
    month: Mapped[dt.date]  # the first day of the month the letters were first sent in
    key: Mapped[str] = mapped_column(String(100))  # the party, role kind or id; "" for none
    reply_days: Mapped[int]
    n: Mapped[int]


# The replies waiting to be classified (queries/replies.py), as the partial index names them.
UNCLASSIFIED_REPLIES = f"kind = '{InteractionKind.REPLY_RECEIVED.value}' AND reply_class IS NULL"


class Interaction(Base):
    """Something that happened with an official: a send, a reply, a meeting, a call, a note."""

    __tablename__ = "interaction"
    __table_args__ = (
        # An official's timeline, newest first: the id ends each index that a list is read in
        # order from, so that "the latest 100" reads 100 rows, not every tie to sort them.
        Index("ix_interaction_official_occurred", "official_id", "occurred_on", "id"),
        # A recipient's entries, and a campaign's latest: with the id in the index PostgreSQL
        # reads each recipient's ids from the index alone (SQLite's indexes hold the id
        # anyway), where it went to every row of the log and then chose a parallel scan of
        # all recipients as cheaper: 11 ms for a campaign's ten latest entries (migration 0031).
        Index("ix_interaction_recipient_kind_id", "recipient_id", "kind", "id"),
        # A campaign's latest entries: ten entries of this index, newest first, where reading
        # them through the recipients' index visited every entry of its 450 recipients
        # (2.3 ms of the campaign page on PostgreSQL; migration 0033).
        Index("ix_interaction_campaign_id", "campaign_id", "id"),
        # Replies waiting to be classified (reply_class NULL), newest first: queries/replies.py.
        Index("ix_interaction_kind_class", "kind", "reply_class", "id"),
        # ... and those rows alone: once every reply is classified, PostgreSQL took the kind
        # and the class for independent, expected hundreds of thousands of rows to match and
        # walked the whole log by id to find twenty (migration 0030).
        Index(
            "ix_interaction_unclassified",
            "id",
            postgresql_where=text(UNCLASSIFIED_REPLIES),
            sqlite_where=text(UNCLASSIFIED_REPLIES),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="RESTRICT"))
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipient.id", ondelete="RESTRICT")
    )
    # The recipient's campaign, copied when the entry is recorded (a recipient never moves to
    # another campaign); tests/conftest.py checks after every test that each entry's agrees.
    campaign_id: Mapped[int | None]
    kind: Mapped[InteractionKind] = mapped_column(enum_column(InteractionKind))
    occurred_on: Mapped[dt.date]
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel))
    # What happened: a person's words, or a sentence Hilltrack stored (said(...)) that each
    # reader sees in their language.
    summary: Mapped[str | None] = mapped_column(SaidText)
    reply_class: Mapped[ReplyClass | None] = mapped_column(enum_column(ReplyClass))
    stance: Mapped[str | None] = mapped_column(String(80))
    official_attendees: Mapped[str | None] = mapped_column(Text)
    coalition_attendees: Mapped[str | None] = mapped_column(Text)
    asks_made: Mapped[str | None] = mapped_column(Text)
    commitments: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Who wrote the entry: a person (recorded_by), or Hilltrack itself, sending a letter at
    # recorded_by's request or logging the mail that came back.
    logged_from: Mapped[LoggedFrom] = mapped_column(
        enum_column(LoggedFrom), default=LoggedFrom.PERSON, server_default=LoggedFrom.PERSON.value
    )
    # The Message-ID of a letter Hilltrack sent: replies that quote it thread back to it.
    message_id: Mapped[str | None] = mapped_column(String(250), index=True)
    # A form's one-time token: a second submission of the same form finds this row.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    official: Mapped[Official] = relationship()
    recipient: Mapped[Recipient | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


@event.listens_for(Interaction, "before_insert")
@event.listens_for(Interaction, "before_update")
def _campaign_of_its_recipient(_mapper: Mapper[Any], _connection: Any, entry: Interaction) -> None:
    """An entry's campaign is its recipient's: record_interaction copies it, and any other
    writer through the ORM gets it from the recipient as the row is written (a subquery in the
    INSERT or UPDATE). Writers of plain SQL set it themselves; tests/conftest.py checks."""
    if entry.recipient_id is None:
        entry.campaign_id = None
        return
    changed = inspect(entry).attrs
    moved = changed["recipient_id"].history.has_changes()
    given = changed["campaign_id"].history.has_changes() and entry.campaign_id is not None
    if not given and (moved or entry.campaign_id is None):
        entry.campaign_id = (
            select(Recipient.campaign_id)
            .where(Recipient.id == entry.recipient_id)
            .scalar_subquery()
        )


class FollowUp(Base):
    """A next step planned for a recipient or an official, due on a date, assigned to a user."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_assignee_status_due", "assignee_id", "status", "due_on", "id"),
        # The dashboard's count of overdue follow-ups, whoever they are assigned to.
        Index("ix_follow_up_status_due", "status", "due_on", "id"),
        # A recipient's or an official's open follow-ups. Led by the id, so that SQLite's planner
        # (which has no statistics) prefers them to walking every open follow-up by due date.
        Index("ix_follow_up_recipient_status_due", "recipient_id", "status", "due_on"),
        Index("ix_follow_up_official_status_due", "official_id", "status", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="RESTRICT"))
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("recipient.id", ondelete="RESTRICT")
    )
    due_on: Mapped[dt.date] = mapped_column(index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_column(FollowUpStatus), default=FollowUpStatus.OPEN
    )
    note: Mapped[str | None] = mapped_column(Text)
    completion_note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_up.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    official: Mapped[Official] = relationship()
    recipient: Mapped[Recipient | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}
