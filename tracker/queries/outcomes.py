"""Reads for what recipients said in Parliament after a letter: who to check, and for a
campaign, a recipient or an official, the interventions on the letter's subject since it was
sent. Matching is the rule in tracker/rules/subject_words.py, read here once for every page,
the dashboard and the export."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from tracker.models import (
    Campaign,
    CampaignStatus,
    CampaignSubject,
    HouseIntervention,
    HouseRecordCheck,
    Official,
    Recipient,
    Role,
    RoleKind,
)
from tracker.rules.sittings import Period, Sitting, hansard_number, never_sat, periods
from tracker.rules.subject_words import SubjectWords, marked

HOUSE, COMMITTEES = 37, 40017


@dataclass(frozen=True)
class MemberToCheck:
    """A House member who received a letter, and the earliest day to read their record from."""

    person_id: int
    since: dt.date
    name: str


class MemberOfficial(NamedTuple):
    """A recipient's official as the campaign page's column reads them: plain values."""

    id: int
    ourcommons_id: int | None
    given_name: str
    family_name: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class LetterDay(NamedTuple):
    """A campaign as the rule reads it: the letter's date."""

    letter_on: dt.date | None


class MemberRecipient(NamedTuple):
    """A recipient as the campaign page's column reads them: plain values, read as columns
    (building ORM recipients and officials for a campaign's members cost a fifth of its
    page). The rule below reads it as it reads a Recipient."""

    id: int
    campaign_id: int
    official_id: int
    role_title: str | None
    role_kind: str | None
    sent_on: dt.date | None
    first_sent_on: dt.date | None
    official: MemberOfficial
    campaign: LetterDay


# What the rule reads recipients and officials as: ORM rows (the outcomes pages, the official's
# page, the API, the export) or plain values (the campaign page's column); it reads only what
# both have.
RecipientFacts = Recipient | MemberRecipient
RecipientT = TypeVar("RecipientT", Recipient, MemberRecipient)
OfficialT = TypeVar("OfficialT", Official, MemberOfficial)


def letter_date(recipient: RecipientFacts) -> dt.date | None:
    """The day the letter reached this recipient: its first send, else the letter's date."""
    return recipient.sent_on or recipient.first_sent_on or recipient.campaign.letter_on


def in_house_record(person_id: int | None, mp_role_ends: list[dt.date | None], on: dt.date) -> bool:
    """Whether an official sat in the House on or after ``on`` (only members speak in its
    record): a PersonId to look them up by, and an MP role not ended before that day."""
    return person_id is not None and any(end is None or end >= on for end in mp_role_ends)


def _among(campaign_ids: list[int], official_id: int | None = None) -> ColumnElement[bool]:
    """The campaigns' recipients; with ``official_id``, only that official's."""
    chosen = Recipient.campaign_id.in_(campaign_ids)
    if official_id is None:
        return chosen
    return and_(chosen, Recipient.official_id == official_id)


MINISTER_KINDS = (RoleKind.MINISTER.value, RoleKind.PRIME_MINISTER.value)


def _is_minister(recipient: RecipientFacts) -> bool:
    """A row its parliamentary secretaries' answers may show on (see below)."""
    return recipient.role_kind in MINISTER_KINDS or (recipient.role_title or "").startswith(
        "Minister"
    )


def _recipients_of(session: Session, among: ColumnElement[bool]) -> list[Recipient]:
    query = (
        select(Recipient)
        .join(Official, Official.id == Recipient.official_id)
        .where(among)
        .options(contains_eager(Recipient.official), selectinload(Recipient.campaign))
        .order_by(Recipient.campaign_id, Recipient.position, Recipient.id)
    )
    return list(session.scalars(query))


def _members_of(session: Session, among: ColumnElement[bool]) -> list[MemberRecipient]:
    """The recipients whose row can say more than "not in the House record", as plain values:
    those whose record may be read (the rule of in_house_record, in SQL), and ministers, whose
    rows may show their parliamentary secretaries' answers (_is_minister: LIKE may take a few
    more, which are then told apart as for every caller)."""
    rows = session.execute(
        select(
            Recipient.id,
            Recipient.campaign_id,
            Recipient.official_id,
            Recipient.role_title,
            Recipient.role_kind,
            Recipient.sent_on,
            Recipient.first_sent_on,
            Campaign.letter_on,
            Official.ourcommons_id,
            Official.given_name,
            Official.family_name,
        )
        .join(Official, Official.id == Recipient.official_id)
        .join(Campaign, Campaign.id == Recipient.campaign_id)
        .where(
            among,
            or_(
                _in_house_sql(_letter_date_sql()),
                Recipient.role_kind.in_(MINISTER_KINDS),
                Recipient.role_title.startswith("Minister"),
            ),
        )
        .order_by(Recipient.campaign_id, Recipient.position, Recipient.id)
    )
    return [
        MemberRecipient(
            rid,
            campaign_id,
            official_id,
            title,
            kind,
            sent_on,
            first_sent_on,
            MemberOfficial(official_id, person, given, family),
            LetterDay(letter_on),
        )
        for (
            rid,
            campaign_id,
            official_id,
            title,
            kind,
            sent_on,
            first_sent_on,
            letter_on,
            person,
            given,
            family,
        ) in rows
    ]


def _officials_of(among: ColumnElement[bool]) -> Select[int]:
    return select(Recipient.official_id).where(among)


def _people_of(among: ColumnElement[bool]) -> Select[int | None]:
    return (
        select(Official.ourcommons_id)
        .join(Recipient, Recipient.official_id == Official.id)
        .where(among, Official.ourcommons_id.is_not(None))
    )


def _mp_role_ends(session: Session, among: ColumnElement[bool]) -> dict[int, list[dt.date | None]]:
    """For each official among the recipients, the end dates of their MP roles."""
    ends: dict[int, list[dt.date | None]] = defaultdict(list)
    rows = session.execute(
        select(Role.official_id, Role.end_on).where(
            Role.kind == RoleKind.MP, Role.official_id.in_(_officials_of(among))
        )
    )
    for official_id, end_on in rows:
        ends[official_id].append(end_on)
    return ends


def members_to_check(session: Session, campaign_id: int | None = None) -> list[MemberToCheck]:
    """Every House member who was sent an active campaign's letter (or that campaign's), with
    the earliest letter date, one entry per person."""
    if campaign_id is not None:
        ids = [campaign_id]
    else:
        ids = list(
            session.scalars(select(Campaign.id).where(Campaign.status == CampaignStatus.ACTIVE))
        )
    among = _among(ids)
    ends = _mp_role_ends(session, among)
    earliest: dict[int, MemberToCheck] = {}
    for recipient in _recipients_of(session, among):
        since = letter_date(recipient)
        official = recipient.official
        person = official.ourcommons_id
        if since is None or person is None or not in_house_record(person, ends[official.id], since):
            continue
        known = earliest.get(person)
        if known is None or since < known.since:
            earliest[person] = MemberToCheck(person, since, official.full_name)
    return sorted(earliest.values(), key=lambda m: (m.name, m.person_id))


def subject_of(session: Session, campaign_id: int) -> SubjectWords:
    """A campaign's subject words and picked index terms."""
    rows = session.scalars(
        select(CampaignSubject).where(CampaignSubject.campaign_id == campaign_id)
    ).all()
    return SubjectWords(
        tuple(r.phrase for r in rows if r.term_id is None),
        frozenset(r.term_id for r in rows if r.term_id is not None),
    )


def subject_rows(session: Session, campaign_id: int) -> list[CampaignSubject]:
    """A campaign's subject: its English words, its French words, then its picked terms."""
    rows = session.scalars(
        select(CampaignSubject).where(CampaignSubject.campaign_id == campaign_id)
    ).all()
    order = {"en": 0, "fr": 1}
    return sorted(rows, key=lambda r: (order.get(r.language or "", 2), r.id))


@dataclass(frozen=True)
class Said(Generic[RecipientT, OfficialT]):
    """One intervention on the subject, who said it, and the paragraphs that match, cut into
    pieces marking the subject's words."""

    intervention: HouseIntervention
    official: OfficialT
    recipient: RecipientT
    words: list[str]
    paragraphs: list[list[tuple[str, bool]]]
    for_minister: OfficialT | None = None  # said by a parliamentary secretary for their minister

    @property
    def is_interjection(self) -> bool:
        return self.intervention.is_interjection

    @property
    def by_index(self) -> bool:
        """On the subject by its index terms or subject of business, not by its words."""
        return not any(hit for paragraph in self.paragraphs for _, hit in paragraph)


def matching(
    subject: SubjectWords, item: HouseIntervention
) -> tuple[list[str], list[list[tuple[str, bool]]]]:
    """The subject's words an intervention matches (empty: it does not), and its matching
    paragraphs marked; its subject of business and index terms count too."""
    texts = [*item.paragraphs, item.subject_of_business or ""]
    texts += [term["text"] for term in item.terms]
    words = subject.found_in(texts)
    words += [
        t["text"] for t in item.terms if t["id"] in subject.term_ids and t["text"] not in words
    ]
    shown = [marked(p, spans) for p in item.paragraphs if (spans := subject.spans(p))]
    if words and not shown:  # on the subject by its index terms: show what was said all the same
        shown = [[(p, False)] for p in item.paragraphs[:3]]
    return words, shown


def _subjects(session: Session, campaign_ids: list[int]) -> dict[int, SubjectWords]:
    rows: dict[int, list[CampaignSubject]] = defaultdict(list)
    for row in session.scalars(
        select(CampaignSubject).where(CampaignSubject.campaign_id.in_(campaign_ids))
    ):
        rows[row.campaign_id].append(row)
    return {
        campaign_id: SubjectWords(
            tuple(r.phrase for r in rows[campaign_id] if r.term_id is None),
            frozenset(r.term_id for r in rows[campaign_id] if r.term_id is not None),
        )
        for campaign_id in campaign_ids
    }


def _interventions(
    session: Session, among: ColumnElement[bool], since: dt.date
) -> dict[int, list[HouseIntervention]]:
    by_person: dict[int, list[HouseIntervention]] = defaultdict(list)
    rows = session.scalars(
        select(HouseIntervention)
        .where(
            HouseIntervention.person_id.in_(_people_of(among)),
            HouseIntervention.spoken_on >= since,
        )
        .order_by(HouseIntervention.spoken_on.desc(), HouseIntervention.item_id.desc())
    )
    for row in rows:
        by_person[row.person_id].append(row)
    return by_person


@dataclass
class Outcome(Generic[RecipientT, OfficialT]):
    """For one recipient of one letter: whether their record can be and was read, and what
    they said on the subject since the letter."""

    recipient: RecipientT
    in_house: bool
    since: dt.date | None
    checked_to: dt.date | None
    failed: str | None
    said: list[Said[RecipientT, OfficialT]] = field(default_factory=list)
    has_subject: bool = True  # without subject words nothing can match: no "did not speak"
    house_did_not_sit: bool = False  # checked, and the House did not sit since the letter
    # by their parliamentary secretary
    answered_for: list[Said[RecipientT, OfficialT]] = field(default_factory=list)

    @property
    def spoken(self) -> list[Said[RecipientT, OfficialT]]:
        return [s for s in self.said if not s.is_interjection]

    @property
    def interjections(self) -> list[Said[RecipientT, OfficialT]]:
        return [s for s in self.said if s.is_interjection]

    @property
    def last(self) -> Said[RecipientT, OfficialT] | None:
        return self.spoken[0] if self.spoken else None

    @property
    def checked(self) -> bool:
        return self.checked_to is not None


# An outcome read from ORM rows (every page but the campaign's), and one read from plain values
# (the campaign page's column, by_recipient): the same rule fills both.
RecipientOutcome = Outcome[Recipient, Official]
RecipientSaid = Said[Recipient, Official]
MemberOutcome = Outcome[MemberRecipient, MemberOfficial]


def _checks(session: Session, among: ColumnElement[bool]) -> dict[int, list[HouseRecordCheck]]:
    found: dict[int, list[HouseRecordCheck]] = defaultdict(list)
    for check in session.scalars(
        select(HouseRecordCheck).where(HouseRecordCheck.person_id.in_(_people_of(among)))
    ):
        found[check.person_id].append(check)
    return found


def _checked_to(checks: list[HouseRecordCheck], since: dt.date) -> dt.date | None:
    """How far both the House and the committees were read from ``since``; None if either
    was not."""
    read = {
        c.pub_type: c.checked_to
        for c in checks
        if c.checked_to is not None and c.checked_from is not None and c.checked_from <= since
    }
    if set(read) != {HOUSE, COMMITTEES}:
        return None
    return min(d for d in read.values() if d is not None)


def campaign_outcomes(session: Session, campaign: Campaign) -> list[RecipientOutcome]:
    """Per recipient of ``campaign``: whether they sit in the House, how far their record was
    read, and their interventions on the subject since the letter, newest first."""
    return outcomes_of(session, [campaign.id]).get(campaign.id, [])


def said_on_subject(
    subject: SubjectWords, items: list[HouseIntervention], since: dt.date
) -> Iterator[tuple[HouseIntervention, list[str], list[list[tuple[str, bool]]]]]:
    """The interventions since the letter that are on its subject, with the words matched and
    the paragraphs marked: the one rule for a campaign's page, its dashboard line and export."""
    for item in items:
        if item.spoken_on < since:
            continue
        words, paragraphs = matching(subject, item)
        if words:
            yield item, words, paragraphs


def outcomes_of(
    session: Session, campaign_ids: list[int], official_id: int | None = None
) -> dict[int, list[RecipientOutcome]]:
    """``campaign_outcomes`` for several campaigns at once, in the same few statements; with
    ``official_id``, only that official's rows (without what their parliamentary secretaries
    answered for them: ``official_outcomes`` reads that where they were a minister)."""
    among = _among(campaign_ids, official_id)
    return _outcomes(session, campaign_ids, among, _recipients_of(session, among))


def _outcomes(
    session: Session,
    campaign_ids: list[int],
    among: ColumnElement[bool],
    recipients: list[RecipientT],
) -> dict[int, list[Outcome[RecipientT, Any]]]:
    """The rule, for recipients read either way (ORM rows or plain values)."""
    dates = [d for r in recipients if (d := letter_date(r)) is not None]
    if not recipients:
        return {}
    subjects = _subjects(session, campaign_ids)
    ends = _mp_role_ends(session, among)
    spoken = _interventions(session, among, min(dates)) if dates else {}
    checks = _checks(session, among)
    found: dict[int, list[Outcome[RecipientT, Any]]] = defaultdict(list)
    for recipient in recipients:
        since = letter_date(recipient)
        person = recipient.official.ourcommons_id
        in_house = since is not None and in_house_record(person, ends[recipient.official_id], since)
        outcome: Outcome[RecipientT, Any] = Outcome(recipient, in_house, since, None, None)
        outcome.has_subject = not subjects[recipient.campaign_id].is_empty
        if in_house and person is not None and since is not None:
            outcome.checked_to = _checked_to(checks[person], since)
            outcome.failed = next((c.error for c in checks[person] if c.error), None)
            subject = subjects[recipient.campaign_id]
            for item, words, paragraphs in said_on_subject(subject, spoken.get(person, []), since):
                outcome.said.append(Said(item, recipient.official, recipient, words, paragraphs))
        found[recipient.campaign_id].append(outcome)
    for outcomes in found.values():
        _link_parliamentary_secretaries(outcomes)
    _mark_when_the_house_did_not_sit(session, [o for os in found.values() for o in os])
    return found


def house_sittings(session: Session, start: dt.date, end: dt.date) -> list[Sitting]:
    """The House's sitting days known from the debates stored, from ``start`` to ``end`` and
    the nearest known on either side (the numbering tells what lies between)."""
    house = HouseIntervention.pub_type == HOUSE
    before = (
        select(func.max(HouseIntervention.spoken_on))
        .where(house, HouseIntervention.spoken_on < start)
        .scalar_subquery()
    )
    after = (
        select(func.min(HouseIntervention.spoken_on))
        .where(house, HouseIntervention.spoken_on > end)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            HouseIntervention.spoken_on,
            HouseIntervention.parliament,
            HouseIntervention.session,
            HouseIntervention.title,
        )
        .where(
            house,
            HouseIntervention.spoken_on >= func.coalesce(before, start),
            HouseIntervention.spoken_on <= func.coalesce(after, end),
        )
        .distinct()
    )
    return [Sitting(on, parl, sess, hansard_number(title)) for on, parl, sess, title in rows]


def _mark_when_the_house_did_not_sit(session: Session, outcomes: list[Outcome[Any, Any]]) -> None:
    """A checked recipient who said nothing is "did not speak" only if the House sat: read the
    sittings once for all of them, and only when one needs it."""
    quiet = [o for o in outcomes if o.in_house and o.checked and not o.said and o.since]
    if not quiet:
        return
    start = min(o.since for o in quiet if o.since is not None)
    end = max(o.checked_to for o in quiet if o.checked_to is not None)
    sittings = house_sittings(session, start, end)
    for o in quiet:
        if o.since is not None and o.checked_to is not None and o.since <= o.checked_to:
            o.house_did_not_sit = never_sat(sittings, o.since, o.checked_to)


def house_weeks(
    session: Session, outcomes: list[RecipientOutcome], said: list[RecipientSaid]
) -> list[Period]:
    """Week by week from the letter to the last day read: whether the House sat, and how much
    was said on the subject; empty until someone's record was read."""
    read = [o for o in outcomes if o.in_house and o.checked and o.since]
    if not read:
        return []
    start = min(o.since for o in read if o.since is not None)
    end = max(o.checked_to for o in read if o.checked_to is not None)
    if end < start:
        return []
    spoken = [s.intervention.spoken_on for s in said if not s.is_interjection]
    return periods(house_sittings(session, start, end), start, end, spoken)


def _minister_of(title: str | None) -> str | None:
    """The minister's title a parliamentary secretary's title names ("Parliamentary Secretary
    to the Minister of Foreign Affairs" → "Minister of Foreign Affairs")."""
    if not title:
        return None
    head, sep, rest = title.partition(" to the ")
    if not sep or not head.casefold().startswith("parliamentary secretary"):
        return None
    return " ".join(rest.split()).casefold()


def _link_parliamentary_secretaries(outcomes: list[Outcome[RecipientT, Any]]) -> None:
    """A parliamentary secretary's interventions in the House since the letter show on the
    row of the minister the letter also went to."""
    ministers = {
        " ".join((o.recipient.role_title or "").split()).casefold(): o
        for o in outcomes
        if _is_minister(o.recipient)
    }
    for outcome in outcomes:
        named = _minister_of(outcome.recipient.role_title)
        minister = ministers.get(named) if named else None
        if minister is None or minister.since is None:
            continue
        for said in outcome.spoken:
            if said.intervention.is_house and said.intervention.spoken_on >= minister.since:
                minister.answered_for.append(
                    Said(
                        said.intervention,
                        said.official,
                        said.recipient,
                        said.words,
                        said.paragraphs,
                        for_minister=minister.recipient.official,
                    )
                )


def seen_terms(outcomes: list[RecipientOutcome], limit: int = 30) -> list[tuple[int, str]]:
    """The House indexers' subject terms (not procedural ones) of the interventions that
    matched, most frequent first: what a coordinator may pick to widen the subject."""
    counts: Counter[tuple[int, str]] = Counter()
    for outcome in outcomes:
        for said in outcome.said:
            for term in said.intervention.terms:
                if not term.get("procedural"):
                    counts[(term["id"], term["text"])] += 1
    return [term for term, _ in counts.most_common(limit)]


def filtered(
    outcomes: list[RecipientOutcome], recipient_id: int | None = None, where: str | None = None
) -> list[RecipientSaid]:
    """Every intervention on the subject since the letter, newest first, optionally only one
    recipient's, or only the House's ("house") or the committees' ("committees")."""
    found = [
        said
        for outcome in outcomes
        if recipient_id is None or outcome.recipient.id == recipient_id
        for said in outcome.said
    ]
    if where == "house":
        found = [s for s in found if s.intervention.is_house]
    elif where == "committees":
        found = [s for s in found if not s.intervention.is_house]
    found.sort(key=lambda s: (s.intervention.spoken_on, s.intervention.item_id), reverse=True)
    return found


@dataclass(frozen=True)
class LetterOutcome:
    """For one official: one letter they received, and what they said on it since."""

    campaign: Campaign
    outcome: RecipientOutcome


# An official's page reads what was said for their latest letters only, so that it reads the
# same rows however many letters they have had (each campaign's page has the rest).
OUTCOME_LETTERS = 10


def official_outcomes(session: Session, official: Official) -> list[LetterOutcome]:
    """The official's interventions on the subject of each of their latest letters."""
    # The latest entered, read from the newest back through the recipient index, as the
    # page's list of letters is (queries.campaigns.letters_received).
    latest = session.scalars(
        select(Recipient.campaign_id)
        .where(Recipient.official_id == official.id)
        .order_by(Recipient.campaign_id.desc())
        .limit(OUTCOME_LETTERS)
    ).all()
    campaigns = session.scalars(
        select(Campaign)
        .where(Campaign.id.in_(latest))
        .order_by(Campaign.letter_on.desc().nulls_last(), Campaign.id.desc())
    ).all()
    by_campaign = outcomes_of(session, [c.id for c in campaigns], official.id)
    # Where they received a letter as a minister, their secretaries' answers show on their row:
    # those campaigns are read whole (a few, for a minister; none for anyone else).
    as_minister = [
        campaign_id
        for campaign_id, outcomes in by_campaign.items()
        if any(_is_minister(o.recipient) for o in outcomes)
    ]
    if as_minister:
        by_campaign.update(outcomes_of(session, as_minister))
    return [
        LetterOutcome(campaign, outcome)
        for campaign in campaigns
        for outcome in by_campaign.get(campaign.id, [])
        if outcome.recipient.official_id == official.id and outcome.in_house
    ]


@dataclass(frozen=True)
class SpokeCount:
    """On a campaign: how many recipients spoke on its subject since the letter, of how many."""

    campaign: Campaign
    spoke: int
    recipients: int
    in_house: int  # of them, members of the House: those whose words can be known


def _letter_date_sql() -> ColumnElement[dt.date | None]:
    """``letter_date`` in SQL (the recipient's campaign joined)."""
    return func.coalesce(Recipient.sent_on, Recipient.first_sent_on, Campaign.letter_on)


def _in_house_sql(since: ColumnElement[dt.date | None]) -> ColumnElement[bool]:
    """``in_house_record`` in SQL, for counting without loading (the recipient's official
    joined); tests/test_outcomes_pages.py checks that both say the same."""
    sat = (
        select(Role.id)
        .where(
            Role.official_id == Recipient.official_id,
            Role.kind == RoleKind.MP,
            or_(Role.end_on.is_(None), Role.end_on >= since),
        )
        .exists()
    )
    return and_(Official.ourcommons_id.is_not(None), since.is_not(None), sat)


def spoke_counts(session: Session, campaigns: Iterable[Campaign]) -> dict[int, SpokeCount]:
    """For each campaign, N of M recipients spoke on the subject since the letter: the rule of
    ``outcomes_of``, counted in SQL, then read in full only for the members who spoke in the
    House since (the home page shows ten campaigns of hundreds of recipients each)."""
    chosen = list(campaigns)
    ids = [c.id for c in chosen]
    since, tally = _letter_date_sql(), {c: [0, 0, 0] for c in ids}  # spoke, recipients, in House
    in_house = _in_house_sql(since)
    joined = (
        select(Recipient.campaign_id)
        .join(Official, Official.id == Recipient.official_id)
        .join(Campaign, Campaign.id == Recipient.campaign_id)
        # The ids on both sides: PostgreSQL then reads the ten campaigns by their key, not
        # every campaign to hash them (tests/test_rows_read.py, home).
        .where(Recipient.campaign_id.in_(ids), Campaign.id.in_(ids))
    )
    counted = joined.add_columns(func.count(), func.sum(case((in_house, 1), else_=0)))
    for campaign_id, recipients, members in session.execute(
        counted.group_by(Recipient.campaign_id)
    ):
        tally[campaign_id][1:] = [recipients, members or 0]
    # Who may have spoken: members with an intervention on record, and their letter's date.
    # Read from the few officials with interventions to their recipients (an index), and that
    # condition first: checking every recipient of ten campaigns for a seat took most of the
    # home page's time, for none when nobody spoke.
    on_record = select(Official.id).where(
        Official.ourcommons_id.in_(select(HouseIntervention.person_id))
    )
    speakers = session.execute(
        joined.add_columns(Official.ourcommons_id, since).where(
            Recipient.official_id.in_(on_record), in_house
        )
    ).all()
    if speakers:
        subjects = _subjects(session, ids)
        spoken: dict[int, list[HouseIntervention]] = defaultdict(list)
        for item in session.scalars(
            select(HouseIntervention).where(
                HouseIntervention.person_id.in_({row[1] for row in speakers}),
                HouseIntervention.spoken_on >= min(row[2] for row in speakers),
            )
        ):
            if not item.is_interjection:
                spoken[item.person_id].append(item)
        for campaign_id, person, on in speakers:
            if any(said_on_subject(subjects[campaign_id], spoken[person], on)):
                tally[campaign_id][0] += 1
    return {c.id: SpokeCount(c, *tally[c.id]) for c in chosen}


def by_recipient(session: Session, campaign: Campaign) -> dict[int, MemberOutcome]:
    """The campaign's outcomes keyed by recipient id, for its page's column: those of its
    members of the House and its ministers, read as plain values. A recipient without one is
    not in the House record, as ``campaign_outcomes`` would say (reading hundreds of them in
    full for that cost a third of the page)."""
    among = _among([campaign.id])
    found = _outcomes(session, [campaign.id], among, _members_of(session, among))
    return {o.recipient.id: o for o in found.get(campaign.id, [])}
