"""Reads for campaign pages: recipient rows with their status, and progress summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    LoggedFrom,
    Official,
    Recipient,
    ReplyClass,
    User,
)
from tracker.models.officials import person_name
from tracker.queries.facts import STORED_FACTS
from tracker.queries.inline import inline_limit
from tracker.queries.pagination import COUNT_CAP, Count, Page, bounded_count, paginate
from tracker.rules.status import (
    Facts,
    RecipientStatus,
    StatusInfo,
    status_from,
)

LATEST_ENTRIES = 10  # the campaign page's log


@dataclass(frozen=True)
class OfficialName:
    given_name: str
    family_name: str
    party: str | None
    sort_key: str = ""  # the directory's order by family name (the page's "Name" sort)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class RecipientLine:
    """What a campaign's recipient list shows of a recipient: plain values read as columns,
    since a campaign can have hundreds and building ORM objects for them costs most of a page."""

    id: int
    official_id: int
    position: int
    role_title: str | None
    addressed_as: str
    salutation: str
    official: OfficialName
    language: str = "en"  # the letter's language: "en" or "fr"


@dataclass(frozen=True)
class NextFollowUp:
    due_on: dt.date
    assignee_name: str | None


@dataclass(frozen=True)
class RecipientRow:
    """One line of a campaign's recipient list."""

    recipient: RecipientLine
    info: StatusInfo
    next_follow_up: NextFollowUp | None


def campaign_rows(session: Session, campaign_id: int, today: dt.date) -> list[RecipientRow]:
    """Every recipient of a campaign with status and next open follow-up, in two queries."""
    rows = session.execute(
        select(
            Recipient.id,
            Recipient.official_id,
            Recipient.position,
            Recipient.role_title,
            Recipient.addressed_as,
            Recipient.salutation,
            Official.given_name,
            Official.family_name,
            Official.party,
            Official.sort_key,
            Recipient.language,
            *STORED_FACTS.values(),
        )
        .join(Official, Official.id == Recipient.official_id)
        .where(Recipient.campaign_id == campaign_id)
        .order_by(Recipient.position)
    ).all()
    follow_ups = _next_follow_ups(session, campaign_id)
    return [
        RecipientRow(
            RecipientLine(
                rid,
                oid,
                position,
                title,
                addressed,
                salutation,
                OfficialName(given, family, party, sort_key),
                language,
            ),
            status_from(Facts(*facts), today),  # STORED_FACTS is in the order of Facts' fields
            follow_ups.get(rid),
        )
        for (
            rid,
            oid,
            position,
            title,
            addressed,
            salutation,
            given,
            family,
            party,
            sort_key,
            language,
            *facts,
        ) in rows
    ]


def _recipient_ids(campaign_id: int) -> Select[int]:
    """The campaign's recipients, as a subquery: the database reads them through the campaign's
    index (a list of hundreds of ids cost the page a few thousand calls to render into SQL)."""
    return select(Recipient.id).where(Recipient.campaign_id == campaign_id)


def _next_follow_ups(session: Session, campaign_id: int) -> dict[int, NextFollowUp]:
    """Each of the campaign's recipients' open follow-up due soonest."""
    found: dict[int, tuple[dt.date, int, str | None]] = {}
    # No ORDER BY: sorting by due date would tempt SQLite's planner to walk every open
    # follow-up in date order instead of looking these recipients up.
    for recipient_id, due_on, follow_up_id, assignee in session.execute(
        select(FollowUp.recipient_id, FollowUp.due_on, FollowUp.id, User.name)
        .outerjoin(User, User.id == FollowUp.assignee_id)
        .where(
            FollowUp.recipient_id.in_(_recipient_ids(campaign_id)),
            FollowUp.status == FollowUpStatus.OPEN,
        )
    ):
        earlier = found.get(recipient_id or 0)
        if earlier is None or (due_on, follow_up_id) < earlier[:2]:
            found[recipient_id or 0] = (due_on, follow_up_id, assignee)
    return {rid: NextFollowUp(due_on, name) for rid, (due_on, _, name) in found.items()}


@dataclass(frozen=True)
class CampaignSummary:
    """A campaign's progress: recipients per status, and those waiting too long."""

    counts: dict[RecipientStatus, int]
    total: int
    waiting_long: int


WAITING_LONG_DAYS = 30


def campaign_summaries(
    session: Session, campaign_ids: list[int], today: dt.date
) -> dict[int, CampaignSummary]:
    """Progress of several campaigns at once: one GROUP BY over the stored statuses, read from
    an index that covers it."""
    cutoff = today - dt.timedelta(days=WAITING_LONG_DAYS)
    counts: dict[int, dict[RecipientStatus, int]] = {cid: {} for cid in campaign_ids}
    waiting: dict[int, int] = dict.fromkeys(campaign_ids, 0)
    query = (
        select(
            Recipient.campaign_id,
            Recipient.status,
            func.count(),
            func.count(case((Recipient.sent_on < cutoff, 1))),
        )
        .where(Recipient.campaign_id.in_(campaign_ids))
        .group_by(Recipient.campaign_id, Recipient.status)
    )
    for campaign_id, status, number, sent_long_ago in session.execute(query):
        counts[campaign_id][RecipientStatus(status)] = number
        if status == RecipientStatus.SENT:
            waiting[campaign_id] = sent_long_ago
    return {
        cid: CampaignSummary(
            counts={s: counts[cid].get(s, 0) for s in RecipientStatus},
            total=sum(counts[cid].values()),
            waiting_long=waiting[cid],
        )
        for cid in campaign_ids
    }


def campaign_with_signatories(session: Session, campaign_id: int) -> Campaign | None:
    """A campaign with its signatories and owner loaded (the owner joined: one statement
    fewer, a round trip on PostgreSQL)."""
    return session.scalar(
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.signatories), joinedload(Campaign.owner))
    )


# Newest letter first, undated drafts (the letters being written) before them: the order the
# campaign indexes keep, so that a page of campaigns reads only its own rows.
NEWEST_FIRST = (Campaign.letter_on.desc().nulls_first(), Campaign.id.desc())
# The list is counted 20 pages ahead (1,000 campaigns): beyond, it says "more than".
COUNT_AHEAD = 20


def campaign_list_page(session: Session, *, show_archived: bool, number: int) -> Page[Campaign]:
    """One page of campaigns, newest letter first; archived ones only when asked for."""
    query = select(Campaign).order_by(*NEWEST_FIRST)
    if not show_archived:
        query = query.where(Campaign.status != CampaignStatus.ARCHIVED)
    return paginate(session, query, number, count_ahead=COUNT_AHEAD)


def recipients_among(session: Session, campaign_id: int, ids: set[int]) -> list[Recipient]:
    """The recipients of this campaign whose ids are given (others' ids are ignored)."""
    return list(
        session.scalars(
            select(Recipient).where(Recipient.campaign_id == campaign_id, Recipient.id.in_(ids))
        )
    )


LOGGABLE = (CampaignStatus.ACTIVE, CampaignStatus.DRAFT, CampaignStatus.CLOSED)


# The quick log offers an official's latest campaigns: a minister on hundreds of them gets a
# menu of this many (newest letter first), and a link or form naming an older one still finds it.
LOGGABLE_SHOWN = 30


def open_recipients_of(
    session: Session, official_id: int, limit: int | None = LOGGABLE_SHOWN
) -> list[Recipient]:
    """An official's recipient rows on campaigns that can still be logged: the latest ``limit``
    entered (read from the newest back), newest letter first."""
    found = session.scalars(
        select(Recipient)
        .join(Campaign)
        .where(Recipient.official_id == official_id, Campaign.status.in_(LOGGABLE))
        # The campaign already joined, read in the same statement (each row has one).
        .options(contains_eager(Recipient.campaign))
        .order_by(Recipient.campaign_id.desc())
        .limit(inline_limit(limit))
    ).all()
    return sorted(found, key=_newest_letter_first)


def _newest_letter_first(recipient: Recipient) -> tuple[bool, int, int]:
    on = recipient.campaign.letter_on
    return (on is None, -on.toordinal() if on else 0, -recipient.campaign_id)


def loggable_recipient(
    session: Session,
    official_id: int,
    *,
    recipient_id: int | None = None,
    campaign_id: int | None = None,
) -> Recipient | None:
    """This official's recipient row, named by its id or its campaign's, if its campaign can
    still be logged."""
    if recipient_id is None and campaign_id is None:
        return None
    query = (
        select(Recipient)
        .join(Campaign)
        .where(Recipient.official_id == official_id, Campaign.status.in_(LOGGABLE))
        .options(contains_eager(Recipient.campaign))  # joined already: one statement
    )
    if recipient_id is not None:
        query = query.where(Recipient.id == recipient_id)
    if campaign_id is not None:
        query = query.where(Recipient.campaign_id == campaign_id)
    return session.scalars(query.limit(inline_limit(1))).first()


@dataclass(frozen=True)
class LetterReceived:
    """A campaign an official was sent (or is to be sent), and where it stands with them."""

    campaign_id: int
    title: str
    letter_on: dt.date | None
    campaign_status: CampaignStatus
    status: RecipientStatus
    sent_on: dt.date | None


LETTERS_SHOWN = 50


def letters_received(
    session: Session, official_id: int, limit: int | None = LETTERS_SHOWN
) -> tuple[list[LetterReceived], Count]:
    """The campaigns addressed to this official: the latest ``limit`` entered (read from the
    newest back, however many there are), shown newest letter first, with their status; and
    how many there are (counted up to COUNT_CAP when not all are shown)."""
    latest = (
        select(Recipient.campaign_id, Recipient.status, Recipient.sent_on)
        .where(Recipient.official_id == official_id)
        .order_by(Recipient.campaign_id.desc())
        .limit(inline_limit(limit))
        .subquery()
    )
    query = (
        select(
            Campaign.id,
            Campaign.title,
            Campaign.letter_on,
            Campaign.status,
            latest.c.status,
            latest.c.sent_on,
        )
        .join(latest, latest.c.campaign_id == Campaign.id)
        .order_by(Campaign.letter_on.desc().nulls_last(), Campaign.id.desc())
    )
    letters = [
        LetterReceived(cid, title, on, cstatus, RecipientStatus(status), sent_on)
        for cid, title, on, cstatus, status, sent_on in session.execute(query)
    ]
    if limit is None:
        return letters, Count(len(letters))
    addressed = select(Recipient.id).where(Recipient.official_id == official_id)
    return letters, bounded_count(session, addressed, COUNT_CAP)


@dataclass(frozen=True)
class Writer:
    """Who recorded a log entry, as written_by (web/templating.py) reads an entry's."""

    name: str


@dataclass(frozen=True)
class LatestEntry:
    """A campaign page's log entry as plain columns: what its "Latest entries" show, by the
    names what_happened and written_by read of an Interaction (three queries building ORM
    objects cost a sixth of the page)."""

    id: int
    occurred_on: dt.date
    official_id: int
    official_name: str
    kind: InteractionKind
    channel: Channel | None
    reply_class: ReplyClass | None
    logged_from: LoggedFrom
    recorded_by: Writer | None


def latest_entries(session: Session, campaign_id: int) -> list[LatestEntry]:
    """The campaign's latest logged entries, with who wrote them and whom they concern, in one
    statement that reads the campaign's index of entries newest first."""
    rows = session.execute(
        select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.official_id,
            Official.given_name,
            Official.family_name,
            Interaction.kind,
            Interaction.channel,
            Interaction.reply_class,
            Interaction.logged_from,
            User.name,
        )
        .join(Official, Official.id == Interaction.official_id)
        .outerjoin(User, User.id == Interaction.recorded_by_id)
        .where(Interaction.campaign_id == campaign_id)
        .order_by(Interaction.id.desc())
        .limit(inline_limit(LATEST_ENTRIES))
    )
    return [
        LatestEntry(
            id=entry_id,
            occurred_on=occurred_on,
            official_id=official_id,
            official_name=person_name(given, family),
            kind=kind,
            channel=channel,
            reply_class=reply_class,
            logged_from=logged_from,
            recorded_by=None if writer is None else Writer(writer),
        )
        for (
            entry_id,
            occurred_on,
            official_id,
            given,
            family,
            kind,
            channel,
            reply_class,
            logged_from,
            writer,
        ) in rows
    ]
