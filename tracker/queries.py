"""Read-side select() builders shared by pages and exports. No writes here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from importers.names import fold
from tracker.models import (
    Campaign,
    FollowUp,
    FollowUpStatus,
    ImportRun,
    ImportStatus,
    Interaction,
    InteractionKind,
    Official,
    Organisation,
    OrganisationKind,
    Recipient,
    Role,
    RoleKind,
    User,
)
from tracker.status import (
    CLOSING_REPLIES,
    FULL_REPLIES,
    MEETINGS,
    Facts,
    RecipientStatus,
    StatusInfo,
    status_from,
)

PAGE_SIZE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class DirectoryFilter:
    """What a person asked the officials directory for."""

    q: str = ""
    kind: str = ""
    party: str = ""
    province: str = ""
    committee: int | None = None
    status: str = "current"  # current, former, all


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list, and where it sits in the whole."""

    items: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position of the page's first item in the whole list, from 1."""
        return (self.number - 1) * self.size + 1


def page_of(items: list[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """The ``number``th page of a list already in memory (clamped to the pages there are)."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    return Page(items[(number - 1) * size : number * size], number, len(items), size)


def paginate(session: Session, query: Select[T], number: int) -> Page[T]:
    """The ``number``th page of a query's rows (clamped to the pages there are): two queries."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    items = session.scalars(query.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return Page(list(items), number, total)


def _role_filter(flt: DirectoryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Role.official_id == Official.id]
    if flt.kind:
        conditions.append(Role.kind == RoleKind(flt.kind))
    if flt.committee:
        conditions.append(Role.organisation_id == flt.committee)
    if flt.status == "current":
        conditions.append(Role.end_on.is_(None))
    return conditions


def directory_query(flt: DirectoryFilter) -> Select[Official]:
    """Officials matching the filter, by family then given name."""
    query = select(Official)
    if flt.q:
        needle = f"%{fold(flt.q)}%"
        query = query.where(
            or_(
                Official.name_key.like(needle),
                func.lower(Official.constituency).like(f"%{flt.q.lower()}%"),
            )
        )
    if flt.party:
        query = query.where(Official.party == flt.party)
    if flt.province:
        query = query.where(Official.province == flt.province)
    if flt.kind or flt.committee or flt.status == "current":
        query = query.where(exists().where(*_role_filter(flt)))
    if flt.status == "former":
        query = query.where(~exists().where(Role.official_id == Official.id, Role.end_on.is_(None)))
    return query.order_by(Official.family_name, Official.given_name, Official.id)


def directory_page(session: Session, flt: DirectoryFilter, number: int) -> Page[Official]:
    """One page of the directory, with each official's roles loaded in one more query."""
    query = directory_query(flt).options(
        selectinload(Official.roles).selectinload(Role.organisation)
    )
    return paginate(session, query, number)


def facet_values(session: Session) -> dict[str, list[str]]:
    """The parties and provinces present, for the directory's filter menus."""
    parties = session.scalars(
        select(Official.party)
        .where(Official.party.is_not(None))
        .distinct()
        .order_by(Official.party)
    ).all()
    provinces = session.scalars(
        select(Official.province)
        .where(Official.province.is_not(None))
        .distinct()
        .order_by(Official.province)
    ).all()
    return {"parties": [p for p in parties if p], "provinces": [p for p in provinces if p]}


def committees(session: Session) -> list[Organisation]:
    """Every committee, by name."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.COMMITTEE)
            .order_by(Organisation.name)
        )
    )


def official_with_roles(session: Session, official_id: int) -> Official | None:
    """An official with every role and its organisation."""
    return session.scalar(
        select(Official)
        .where(Official.id == official_id)
        .options(selectinload(Official.roles).selectinload(Role.organisation))
    )


def data_as_of(session: Session) -> ImportRun | None:
    """The latest successful import, whose as_of dates the officials data."""
    return session.scalar(
        select(ImportRun)
        .where(ImportRun.status == ImportStatus.SUCCEEDED)
        .order_by(ImportRun.finished_at.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class OfficialName:
    given_name: str
    family_name: str
    party: str | None

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


# Facts field -> the Recipient column that stores it (operations.recipient_facts writes them).
STORED_FACTS = {
    "first_sent": Recipient.first_sent_on,
    "last_sent": Recipient.last_sent_on,
    "last_bounced": Recipient.last_bounced_on,
    "first_reply": Recipient.first_reply_on,
    "closing_reply": Recipient.closing_reply,
    "full_reply": Recipient.full_reply,
    "meeting": Recipient.meeting,
    "delivery_confirmed": Recipient.delivery_confirmed,
    "meeting_held": Recipient.meeting_held,
}


def stored_facts(recipient: Any) -> Facts:
    """The facts kept on a recipient row (a Recipient, or a row selecting these columns)."""
    return Facts(**{name: getattr(recipient, column.key) for name, column in STORED_FACTS.items()})


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
            *STORED_FACTS.values(),
        )
        .join(Official, Official.id == Recipient.official_id)
        .where(Recipient.campaign_id == campaign_id)
        .order_by(Recipient.position)
    ).all()
    follow_ups = _next_follow_ups(session, [row[0] for row in rows])
    return [
        RecipientRow(
            RecipientLine(
                rid, oid, position, title, addressed, salutation, OfficialName(given, family, party)
            ),
            status_from(Facts(*facts), today),  # STORED_FACTS is in the order of Facts' fields
            follow_ups.get(rid),
        )
        for rid, oid, position, title, addressed, salutation, given, family, party, *facts in rows
    ]


def _next_follow_ups(session: Session, recipient_ids: list[int]) -> dict[int, NextFollowUp]:
    """Each recipient's open follow-up due soonest."""
    found: dict[int, tuple[dt.date, int, str | None]] = {}
    # No ORDER BY: sorting by due date would tempt SQLite's planner to walk every open
    # follow-up in date order instead of looking these recipients up.
    for recipient_id, due_on, follow_up_id, assignee in session.execute(
        select(FollowUp.recipient_id, FollowUp.due_on, FollowUp.id, User.name)
        .outerjoin(User, User.id == FollowUp.assignee_id)
        .where(FollowUp.recipient_id.in_(recipient_ids), FollowUp.status == FollowUpStatus.OPEN)
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


def facts_from_log(db: Session | Connection, recipient_ids: list[int]) -> list[tuple[int, Facts]]:
    """(recipient id, status facts) of these recipients, aggregated from the log in one query:
    the interactions themselves are never loaded."""
    i = Interaction
    kind, reply = i.kind, i.reply_class

    def when(condition: ColumnElement[bool], value: Any) -> Any:
        return case((condition, value))

    def flag(condition: ColumnElement[bool]) -> Any:
        return func.max(case((condition, 1), else_=0))

    query = (
        select(
            Recipient.id,
            func.min(when(kind == InteractionKind.SENT, i.occurred_on)),
            func.max(when(kind == InteractionKind.SENT, i.occurred_on)),
            func.max(when(kind == InteractionKind.BOUNCED, i.occurred_on)),
            func.min(when(kind == InteractionKind.REPLY_RECEIVED, i.occurred_on)),
            flag((kind == InteractionKind.REPLY_RECEIVED) & reply.in_(CLOSING_REPLIES)),
            flag((kind == InteractionKind.REPLY_RECEIVED) & reply.in_(FULL_REPLIES)),
            flag(kind.in_(MEETINGS)),
            flag(kind == InteractionKind.DELIVERY_CONFIRMED),
            flag(kind == InteractionKind.MEETING_HELD),
        )
        .outerjoin(i, i.recipient_id == Recipient.id)
        .where(Recipient.id.in_(recipient_ids))
        .group_by(Recipient.id)
    )
    return [
        (
            row[0],
            Facts(
                first_sent=as_date(row[1]),
                last_sent=as_date(row[2]),
                last_bounced=as_date(row[3]),
                first_reply=as_date(row[4]),
                closing_reply=bool(row[5]),
                full_reply=bool(row[6]),
                meeting=bool(row[7]),
                delivery_confirmed=bool(row[8]),
                meeting_held=bool(row[9]),
            ),
        )
        for row in db.execute(query)
    ]


def as_date(value: Any) -> dt.date | None:
    # SQLite returns MIN/MAX of dates as text; PostgreSQL as dates.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


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


TIMELINE_PAGE = 100


def official_timeline(
    session: Session, official_id: int, limit: int | None = TIMELINE_PAGE
) -> tuple[list[Interaction], int]:
    """What was recorded about an official, newest first (the latest ``limit`` entries), with
    campaign and recorder; and how many entries there are in all."""
    total = (
        session.scalar(
            select(func.count())
            .select_from(Interaction)
            .where(Interaction.official_id == official_id)
        )
        or 0
    )
    return list(
        session.scalars(
            select(Interaction)
            .limit(limit)
            .where(Interaction.official_id == official_id)
            .options(
                selectinload(Interaction.recipient)
                .load_only(Recipient.campaign_id, raiseload=True)
                .selectinload(Recipient.campaign)
                .load_only(Campaign.title, raiseload=True),
                selectinload(Interaction.recorded_by).load_only(User.name, raiseload=True),
            )
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        )
    ), total


FOLLOW_UP_GROUP_SIZE = 50
# What a line of a follow-up list shows: names and a campaign title, not whole rows (a
# campaign's letter text, an official's offices) for each of 150 lines.
FOLLOW_UP_LINE = (
    joinedload(FollowUp.official).load_only(
        Official.given_name, Official.family_name, raiseload=True
    ),
    joinedload(FollowUp.recipient)
    .load_only(Recipient.campaign_id, raiseload=True)
    .joinedload(Recipient.campaign)
    .load_only(Campaign.title, raiseload=True),
    joinedload(FollowUp.assignee).load_only(User.name, raiseload=True),
)


@dataclass(frozen=True)
class FollowUpGroup:
    """Open follow-ups due in one window (overdue, today, upcoming), soonest first: the first
    FOLLOW_UP_GROUP_SIZE of ``total``."""

    name: str
    items: list[FollowUp]
    total: int


def open_follow_up_groups(
    session: Session, assignee_id: int | None, today: dt.date
) -> list[FollowUpGroup]:
    """Someone's open follow-ups (everyone's if ``assignee_id`` is None), grouped by when they
    are due: four queries however many there are."""
    condition = [FollowUp.status == FollowUpStatus.OPEN]
    if assignee_id is not None:
        condition.append(FollowUp.assignee_id == assignee_id)
    windows = {
        "Overdue": FollowUp.due_on < today,
        "Today": FollowUp.due_on == today,
        "Upcoming": FollowUp.due_on > today,
    }
    totals = session.execute(
        select(*(func.count(case((when, 1))) for when in windows.values())).where(*condition)
    ).one()
    groups = []
    for (name, when), total in zip(windows.items(), totals, strict=True):
        items = session.scalars(
            select(FollowUp)
            .where(*condition, when)
            .options(*FOLLOW_UP_LINE)
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(FOLLOW_UP_GROUP_SIZE)
        ).all()
        groups.append(FollowUpGroup(name, list(items), total))
    return groups


def all_open_follow_ups(session: Session, assignee_id: int) -> list[FollowUp]:
    """Every open follow-up of one person, soonest first (for their calendar feed)."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.assignee_id == assignee_id)
            .options(
                joinedload(FollowUp.official),
                joinedload(FollowUp.recipient).joinedload(Recipient.campaign),
            )
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def official_follow_ups(session: Session, official_id: int) -> list[FollowUp]:
    """An official's open follow-ups, soonest first."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.official_id == official_id, FollowUp.status == FollowUpStatus.OPEN)
            .options(selectinload(FollowUp.assignee))
            .order_by(FollowUp.due_on)
        )
    )


def active_users(session: Session) -> list[User]:
    """Everyone who can be given a follow-up, by name."""
    return list(session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name)))
