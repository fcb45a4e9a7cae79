"""Reads for the officials directory and an official's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from importers.names import search_words
from tracker.models import (
    Campaign,
    ImportRun,
    ImportStatus,
    Interaction,
    Official,
    Organisation,
    OrganisationKind,
    Recipient,
    Role,
    RoleKind,
    User,
)
from tracker.queries.inline import inline_limit
from tracker.queries.pagination import COUNT_CAP, Count, Page, bounded_count, paginate


@dataclass(frozen=True)
class DirectoryFilter:
    """What a person asked the officials directory for."""

    q: str = ""
    kind: str = ""
    party: str = ""
    province: str = ""
    committee: int | None = None
    status: str = "current"  # current, former, all


def _role_filter(flt: DirectoryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Role.official_id == Official.id]
    if flt.kind:
        conditions.append(Role.kind == RoleKind(flt.kind))
    if flt.committee:
        conditions.append(Role.organisation_id == flt.committee)
    if flt.status == "current":
        conditions.append(Role.end_on.is_(None))
    return conditions


MAX_SEARCH_WORDS = 6


def name_or_riding_matches(text: str) -> list[ColumnElement[bool]]:
    """Each word of ``text`` found in an official's names or riding, in any order: accents,
    case, hyphens and apostrophes ignored ("Trois-Rivieres", "Joly Mélanie")."""
    return [Official.search_key.contains(word) for word in search_words(text)[:MAX_SEARCH_WORDS]]


def _holds_role_now(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Role.official_id == Official.id, Role.end_on.is_(None), *conditions)


def directory_query(flt: DirectoryFilter) -> Select[Official]:
    """Officials matching the filter, by family name as a directory sorts it (stored sort key:
    "d'Entremont" with the Ds), then given name."""
    query = select(Official)
    if flt.q:
        query = query.where(*name_or_riding_matches(flt.q))
    if flt.party:
        query = query.where(Official.party == flt.party)
    if flt.province:
        query = query.where(Official.province == flt.province)
    if flt.kind or flt.committee or flt.status == "current":
        query = query.where(exists().where(*_role_filter(flt)))
    if flt.status == "former":
        query = query.where(~exists().where(Role.official_id == Official.id, Role.end_on.is_(None)))
    return query.order_by(Official.sort_key, Official.id)


SEARCH_RESULTS = 25


def find_recipients(session: Session, text: str, limit: int = SEARCH_RESULTS) -> list[Official]:
    """Officials for adding as recipients, every word of ``text`` found in their names, riding,
    party or a role they hold now. First those whose family name is a word typed, then those
    whose family name begins with one, then those holding a role today, each by name; with
    their roles. At most ``limit`` + 1 rows, so the page can say there are more."""
    words = search_words(text)[:MAX_SEARCH_WORDS]
    if not words:
        return []
    matches = [
        or_(
            Official.search_key.contains(word),
            func.lower(Official.party).contains(word),
            _holds_role_now(Role.search_key.contains(word)),
        )
        for word in words
    ]
    family_first = case(
        (or_(*(Official.sort_key.startswith(f"{w} ") for w in words)), 0),
        (or_(*(Official.sort_key.startswith(w) for w in words)), 1),
        else_=2,
    )
    current_first = case((_holds_role_now(), 0), else_=1)
    return list(
        session.scalars(
            select(Official)
            .where(*matches)
            .order_by(family_first, current_first, Official.sort_key, Official.id)
            .limit(inline_limit(limit + 1))
            .options(selectinload(Official.roles).selectinload(Role.organisation))
        )
    )


def directory_page(session: Session, flt: DirectoryFilter, number: int) -> Page[Official]:
    """One page of the directory, with each official's roles loaded in one more query."""
    query = directory_query(flt).options(
        selectinload(Official.roles).selectinload(Role.organisation)
    )
    return paginate(session, query, number)


def officials_with_roles(session: Session, ids: list[int]) -> list[Official]:
    """These officials with their roles, in the order of ``ids`` (the order they were ticked)."""
    found = {
        o.id: o
        for o in session.scalars(
            select(Official)
            .where(Official.id.in_(ids))
            .options(selectinload(Official.roles).selectinload(Role.organisation))
        )
    }
    return [found[i] for i in ids if i in found]


def facet_values(session: Session) -> dict[str, list[str]]:
    """The parties and provinces present, for the directory's filter menus: in one statement
    (the pairs present are a few dozen), sorted here, the same on both databases."""
    pairs = session.execute(select(Official.party, Official.province).distinct()).all()
    return {
        "parties": sorted({party for party, _province in pairs if party}),
        "provinces": sorted({province for _party, province in pairs if province}),
    }


def party_labels(session: Session, language: str) -> dict[str, str]:
    """Each caucus's name in ``language``, by the English name the filters use."""
    if language != "fr":
        return {}
    rows = session.execute(
        select(Official.party, Official.party_fr)
        .where(Official.party.is_not(None), Official.party_fr.is_not(None))
        .distinct()
    )
    return {party: french for party, french in rows if party and french}


@dataclass(frozen=True)
class CommitteeName:
    """A committee as a menu names it (organisation_name reads ``name`` and ``name_fr``)."""

    id: int
    acronym: str | None
    name: str
    name_fr: str | None


def committees(session: Session) -> list[CommitteeName]:
    """Every committee, by name: plain columns, for the menus that only name them (the
    campaign page's add-by-role form, the directory's filter), not an Organisation each."""
    rows = session.execute(
        select(Organisation.id, Organisation.acronym, Organisation.name, Organisation.name_fr)
        .where(Organisation.kind == OrganisationKind.COMMITTEE)
        .order_by(Organisation.name)
    )
    return [CommitteeName(*row) for row in rows]


def official_with_roles(session: Session, official_id: int) -> Official | None:
    """An official with every role and its organisation."""
    return session.scalar(
        select(Official)
        .where(Official.id == official_id)
        .options(selectinload(Official.roles).selectinload(Role.organisation))
    )


def data_as_of(session: Session) -> ImportRun | None:
    """The latest successful import, whose as_of dates the officials data."""
    return session.scalar(latest_import())


def latest_import() -> Select[ImportRun]:
    """The latest successful import, as a statement (home reads it with its other figures)."""
    return (
        select(ImportRun)
        .where(ImportRun.status.in_([ImportStatus.SUCCEEDED, ImportStatus.PARTIAL]))
        .order_by(ImportRun.finished_at.desc().nulls_last())  # as SQLite sorts them
        .limit(1)
    )


TIMELINE_PAGE = 100


def official_timeline(
    session: Session, official_id: int, limit: int | None = TIMELINE_PAGE
) -> tuple[list[Interaction], Count]:
    """What was recorded about an official, newest first (the latest ``limit`` entries), with
    campaign and recorder; and how many entries there are (counted up to COUNT_CAP when only
    the latest are shown: a minister written to for years costs what a backbencher does)."""
    entries = select(Interaction.id).where(Interaction.official_id == official_id)
    total = (
        bounded_count(session, entries, COUNT_CAP)
        if limit is not None
        else Count(session.scalar(select(func.count()).select_from(entries.subquery())) or 0)
    )
    return list(
        session.scalars(
            select(Interaction)
            .limit(inline_limit(limit))
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


def official_count(session: Session, *, current_only: bool = False) -> int:
    """How many officials the directory holds: everyone, or those holding a role today."""
    if current_only:
        return session.scalar(officials_in_office()) or 0
    return session.scalar(select(func.count()).select_from(Official)) or 0


def officials_in_office() -> Select[int]:
    """How many officials hold a role today, as a statement. Counted in the index of current
    roles (role.official_id, end_on), not by checking every official for one: that took a
    fifth of the home page's time."""
    return select(func.count(Role.official_id.distinct())).where(Role.end_on.is_(None))


def current_ministers(session: Session, on: dt.date) -> list[tuple[str, str]]:
    """(title, name) of the Prime Minister and every minister in office on ``on``, by title:
    whom a parliamentary secretary can be secretary to."""
    rows = session.execute(
        select(Role.title, Official.given_name, Official.family_name)
        .join(Official, Official.id == Role.official_id)
        .where(
            Role.kind.in_([RoleKind.PRIME_MINISTER, RoleKind.MINISTER]),
            (Role.start_on.is_(None)) | (Role.start_on <= on),
            (Role.end_on.is_(None)) | (Role.end_on >= on),
        )
        .order_by(Role.title)
    )
    return [(title, f"{given} {family}") for title, given, family in rows]


def role_titled(session: Session, title: str) -> Role | None:
    """A role of the directory with this English title, whoever holds or held it: one with a
    French title first, then the newest (what a letter naming that office can be told by)."""
    return session.scalars(
        select(Role)
        .where(Role.title == title)
        .order_by(Role.title_fr.is_(None), Role.start_on.desc().nulls_last(), Role.id.desc())
        .limit(1)
    ).first()
