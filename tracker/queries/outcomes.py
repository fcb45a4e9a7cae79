"""Reads for what recipients said in Parliament after a letter: who to check, and for a
campaign, a recipient or an official, the interventions on the letter's subject since it was
sent. Matching is the rule in tracker/rules/subject_words.py, read here once for every page,
the dashboard and the export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import (
    Campaign,
    CampaignStatus,
    CampaignSubject,
    HouseIntervention,
    HouseRecordCheck,
    Official,
    Recipient,
    RoleKind,
)
from tracker.rules.subject_words import SubjectWords, marked

HOUSE, COMMITTEES = 37, 40017


@dataclass(frozen=True)
class MemberToCheck:
    """A House member who received a letter, and the earliest day to read their record from."""

    person_id: int
    since: dt.date
    name: str


def letter_date(recipient: Recipient) -> dt.date | None:
    """The day the letter reached this recipient: its first send, else the letter's date."""
    return recipient.sent_on or recipient.first_sent_on or recipient.campaign.letter_on


def in_house_record(official: Official, on: dt.date) -> bool:
    """Whether the official sat in the House on or after ``on`` (only members speak in its
    record): an MP role not ended before that day, and a PersonId to look them up by."""
    if official.ourcommons_id is None:
        return False
    return any(
        role.kind is RoleKind.MP and (role.end_on is None or role.end_on >= on)
        for role in official.roles
    )


def _sent_recipients(session: Session, campaign_id: int | None) -> list[Recipient]:
    query = (
        select(Recipient)
        .join(Campaign, Campaign.id == Recipient.campaign_id)
        .options(
            selectinload(Recipient.campaign),
            selectinload(Recipient.official).selectinload(Official.roles),
        )
        .where(or_(Recipient.sent_on.is_not(None), Campaign.letter_on.is_not(None)))
    )
    if campaign_id is not None:
        query = query.where(Recipient.campaign_id == campaign_id)
    else:
        query = query.where(Campaign.status == CampaignStatus.ACTIVE)
    return list(session.scalars(query))


def members_to_check(session: Session, campaign_id: int | None = None) -> list[MemberToCheck]:
    """Every House member who was sent an active campaign's letter (or that campaign's), with
    the earliest letter date, one entry per person."""
    earliest: dict[int, MemberToCheck] = {}
    for recipient in _sent_recipients(session, campaign_id):
        since = letter_date(recipient)
        official = recipient.official
        person = official.ourcommons_id
        if since is None or person is None or not in_house_record(official, since):
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
    return list(
        session.scalars(
            select(CampaignSubject)
            .where(CampaignSubject.campaign_id == campaign_id)
            .order_by(CampaignSubject.language, CampaignSubject.id)
        )
    )


@dataclass(frozen=True)
class Said:
    """One intervention on the subject, who said it, and the paragraphs that match, cut into
    pieces marking the subject's words."""

    intervention: HouseIntervention
    official: Official
    recipient: Recipient
    words: list[str]
    paragraphs: list[list[tuple[str, bool]]]
    for_minister: Official | None = None  # said by a parliamentary secretary for their minister

    @property
    def is_interjection(self) -> bool:
        return self.intervention.is_interjection


def matching(
    subject: SubjectWords, item: HouseIntervention
) -> tuple[list[str], list[list[tuple[str, bool]]]]:
    """The subject's words an intervention matches (empty: it does not), and its matching
    paragraphs marked; its subject of business and index terms count too."""
    texts = [*item.paragraphs, item.subject_of_business or ""]
    texts += [term["text"] for term in item.terms]
    words = subject.matches(texts, [term["id"] for term in item.terms])
    shown = [marked(p, spans) for p in item.paragraphs if (spans := subject.spans(p))]
    return words, shown


def _interventions(
    session: Session, people: Iterable[int], since: dt.date
) -> dict[int, list[HouseIntervention]]:
    by_person: dict[int, list[HouseIntervention]] = defaultdict(list)
    ids = sorted(set(people))
    if not ids:
        return by_person
    rows = session.scalars(
        select(HouseIntervention)
        .where(HouseIntervention.person_id.in_(ids), HouseIntervention.spoken_on >= since)
        .order_by(HouseIntervention.spoken_on.desc(), HouseIntervention.item_id.desc())
    )
    for row in rows:
        by_person[row.person_id].append(row)
    return by_person


@dataclass
class RecipientOutcome:
    """For one recipient of one letter: whether their record can be and was read, and what
    they said on the subject since the letter."""

    recipient: Recipient
    in_house: bool
    since: dt.date | None
    checked_to: dt.date | None
    failed: str | None
    said: list[Said] = field(default_factory=list)
    answered_for: list[Said] = field(default_factory=list)  # by their parliamentary secretary

    @property
    def spoken(self) -> list[Said]:
        return [s for s in self.said if not s.is_interjection]

    @property
    def interjections(self) -> list[Said]:
        return [s for s in self.said if s.is_interjection]

    @property
    def last(self) -> Said | None:
        return self.spoken[0] if self.spoken else None

    @property
    def checked(self) -> bool:
        return self.checked_to is not None


def _checks(session: Session, people: Iterable[int]) -> dict[int, list[HouseRecordCheck]]:
    found: dict[int, list[HouseRecordCheck]] = defaultdict(list)
    ids = sorted(set(people))
    if ids:
        for check in session.scalars(
            select(HouseRecordCheck).where(HouseRecordCheck.person_id.in_(ids))
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
    recipients = list(
        session.scalars(
            select(Recipient)
            .where(Recipient.campaign_id == campaign.id)
            .options(
                selectinload(Recipient.campaign),
                selectinload(Recipient.official).selectinload(Official.roles),
            )
        )
    )
    recipients.sort(key=lambda r: (r.position, r.id))
    subject = subject_of(session, campaign.id)
    people = [r.official.ourcommons_id for r in recipients if r.official.ourcommons_id]
    dates = [d for r in recipients if (d := letter_date(r)) is not None]
    spoken = _interventions(session, people, min(dates)) if dates else {}
    checks = _checks(session, people)
    outcomes = []
    for recipient in recipients:
        since = letter_date(recipient)
        person = recipient.official.ourcommons_id
        in_house = since is not None and in_house_record(recipient.official, since)
        outcome = RecipientOutcome(recipient, in_house, since, None, None)
        if in_house and person is not None and since is not None:
            outcome.checked_to = _checked_to(checks[person], since)
            outcome.failed = next((c.error for c in checks[person] if c.error), None)
            for item in spoken.get(person, []):
                if item.spoken_on < since:
                    continue
                words, paragraphs = matching(subject, item)
                if words:
                    outcome.said.append(
                        Said(item, recipient.official, recipient, words, paragraphs)
                    )
        outcomes.append(outcome)
    _link_parliamentary_secretaries(outcomes)
    return outcomes


def _minister_of(title: str | None) -> str | None:
    """The minister's title a parliamentary secretary's title names ("Parliamentary Secretary
    to the Minister of Foreign Affairs" → "Minister of Foreign Affairs")."""
    if not title:
        return None
    head, sep, rest = title.partition(" to the ")
    if not sep or not head.casefold().startswith("parliamentary secretary"):
        return None
    return " ".join(rest.split()).casefold()


def _link_parliamentary_secretaries(outcomes: list[RecipientOutcome]) -> None:
    """A parliamentary secretary's interventions in the House since the letter show on the
    row of the minister the letter also went to."""
    ministers = {
        " ".join((o.recipient.role_title or "").split()).casefold(): o
        for o in outcomes
        if o.recipient.role_kind in (RoleKind.MINISTER.value, RoleKind.PRIME_MINISTER.value)
        or (o.recipient.role_title or "").startswith("Minister")
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


def filtered(
    outcomes: list[RecipientOutcome], recipient_id: int | None = None, where: str | None = None
) -> list[Said]:
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


def official_outcomes(session: Session, official: Official) -> list[LetterOutcome]:
    """The official's interventions on the subject of each letter they received."""
    campaigns = session.scalars(
        select(Campaign)
        .join(Recipient, Recipient.campaign_id == Campaign.id)
        .where(Recipient.official_id == official.id)
        .order_by(Campaign.letter_on.desc(), Campaign.id.desc())
        .distinct()
    ).all()
    found = []
    for campaign in campaigns:
        for outcome in campaign_outcomes(session, campaign):
            if outcome.recipient.official_id == official.id and outcome.in_house:
                found.append(LetterOutcome(campaign, outcome))
    return found


@dataclass(frozen=True)
class SpokeCount:
    """On a campaign: how many recipients spoke on its subject since the letter, of how many."""

    campaign: Campaign
    spoke: int
    recipients: int
    in_house: int  # of them, members of the House: those whose words can be known


def spoke_counts(session: Session, campaigns: Iterable[Campaign]) -> dict[int, SpokeCount]:
    """For each campaign, N of M recipients spoke on the subject since the letter."""
    counts = {}
    for campaign in campaigns:
        outcomes = campaign_outcomes(session, campaign)
        spoke = sum(1 for o in outcomes if o.spoken)
        in_house = sum(1 for o in outcomes if o.in_house)
        counts[campaign.id] = SpokeCount(campaign, spoke, len(outcomes), in_house)
    return counts


def by_recipient(session: Session, campaign: Campaign) -> dict[int, RecipientOutcome]:
    """The campaign's outcomes keyed by recipient id, for its page's column."""
    return {o.recipient.id: o for o in campaign_outcomes(session, campaign)}
