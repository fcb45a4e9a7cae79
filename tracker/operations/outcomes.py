"""Writes for what recipients said in Parliament: the House's interventions stored once by
their item id (a re-issued record updated in place), how far each member's record was read,
and a campaign's subject words.

`fetch_outcomes` reads the House outside any transaction and stores each member's answer in
a short transaction of its own, so a slow or failing source never holds the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from importers import hansard
from importers.errors import FeedError
from importers.http import FeedClient
from tracker import clock
from tracker.clock import utcnow
from tracker.models import Campaign, CampaignSubject, HouseIntervention, HouseRecordCheck
from tracker.operations import events
from tracker.queries.outcomes import MemberToCheck, members_to_check

# The House re-issues its record (paragraph ids added) for about two weeks; committee evidence
# is published weeks late. What was read is read again over these windows.
REREAD_DAYS = {hansard.HOUSE: 14, hansard.COMMITTEES: 60}
FIELDS = (
    "publication_id",
    "pub_type",
    "title",
    "spoken_on",
    "parliament",
    "session",
    "organization",
    "order_of_business",
    "subject_of_business",
    "intervention_type",
    "person_id",
    "speaker",
    "paragraphs",
    "terms",
    "record_url",
    "video_url",
)


@dataclass
class Stored:
    """What storing an answer did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Stored) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


def _values(item: hansard.Intervention) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in FIELDS}
    values["paragraphs"] = list(item.paragraphs)
    values["terms"] = [
        {"id": t.term_id, "text": t.text, "procedural": t.is_procedural} for t in item.terms
    ]
    return values


def store_interventions(session: Session, items: Sequence[hansard.Intervention]) -> Stored:
    """Insert new interventions and update re-issued ones in place, by their item id."""
    stored = Stored()
    found: list[HouseIntervention] = []
    ids = [item.item_id for item in items]
    existing: dict[int, HouseIntervention] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(
            select(HouseIntervention).where(HouseIntervention.item_id.in_(chunk))
        )
        existing.update({row.item_id: row for row in rows})
    now = utcnow()
    for item in items:
        values = _values(item)
        row = existing.get(item.item_id)
        if row is None:
            row = HouseIntervention(item_id=item.item_id, first_seen_at=now, updated_at=now)
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
            existing[item.item_id] = row
            stored.inserted += 1
            found.append(row)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            stored.updated += 1
        else:
            stored.unchanged += 1
    session.flush()
    events.outcomes_found(session, found)
    return stored


def _check(session: Session, person_id: int, pub_type: int) -> HouseRecordCheck:
    check = session.scalar(
        select(HouseRecordCheck).where(
            HouseRecordCheck.person_id == person_id, HouseRecordCheck.pub_type == pub_type
        )
    )
    if check is None:
        check = HouseRecordCheck(person_id=person_id, pub_type=pub_type)
        session.add(check)
    return check


def record_read(
    session: Session, person_id: int, pub_type: int, since: dt.date, until: dt.date
) -> None:
    """Remember that a member's record was read from ``since`` to ``until``."""
    check = _check(session, person_id, pub_type)
    if check.checked_from is None or since < check.checked_from:
        check.checked_from = since
    check.checked_to = until
    check.checked_at = utcnow()
    check.error = None
    session.flush()


def record_failure(session: Session, person_id: int, pub_type: int, error: str) -> None:
    """Remember why a member's record could not be read; what was read before stays."""
    check = _check(session, person_id, pub_type)
    check.error = error
    check.failed_at = utcnow()
    session.flush()


def read_from(check: HouseRecordCheck | None, since: dt.date, pub_type: int) -> dt.date:
    """Where to start reading: from the letter, or again over the re-read window of what was
    read already."""
    if check is None or check.checked_from is None or check.checked_to is None:
        return since
    if check.checked_from > since:
        return since
    return max(since, check.checked_to - dt.timedelta(days=REREAD_DAYS[pub_type]))


def set_subject_words(
    session: Session,
    campaign: Campaign,
    english: Iterable[str],
    french: Iterable[str],
    term_ids: Iterable[tuple[int, str]] = (),
) -> None:
    """Replace a campaign's subject words (one per entry) and its picked index terms."""
    for old in session.scalars(
        select(CampaignSubject).where(CampaignSubject.campaign_id == campaign.id)
    ):
        session.delete(old)
    session.flush()
    seen: set[str] = set()
    rows: list[tuple[str | None, str, int | None]] = [("en", p, None) for p in english]
    rows += [("fr", p, None) for p in french]
    rows += [(None, text, term_id) for term_id, text in term_ids]
    for language, phrase, term_id in rows:
        phrase = " ".join(phrase.split())[:200]
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            session.add(
                CampaignSubject(
                    campaign_id=campaign.id, language=language, phrase=phrase, term_id=term_id
                )
            )
    session.flush()


Progress = Callable[[str, int, int], None]


@dataclass
class FetchReport:
    """What a fetch read: members checked, interventions stored, and each failed source."""

    members: int = 0
    stored: Stored = field(default_factory=Stored)
    failed: list[str] = field(default_factory=list)
    skipped: int = 0  # no saved file for a member (--from-dir)
    others: int = 0  # items in an answer said by someone else: never put in a member's mouth


def fetch_outcomes(
    sessions: sessionmaker[Session],
    *,
    campaign_id: int | None = None,
    from_dir: Path | None = None,
    client: FeedClient | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] | None = None,
    pause: float = hansard.PAUSE_SECONDS,
) -> FetchReport:
    """Read what each House member among the recipients said since their letter, from saved
    files or the House's search, one member and one kind at a time; a source that fails is
    recorded and the others go on."""
    today = today or clock.today()
    with sessions() as session:
        # A letter dated in the future has nothing to read yet.
        members = [m for m in members_to_check(session, campaign_id) if m.since <= today]
    report = FetchReport(members=len(members))
    steps = [(m, t) for m in members for t in hansard.PUB_TYPES]
    for done, (member, pub_type) in enumerate(steps, start=1):
        if done > 1 and from_dir is None and sleep is not None:
            sleep(pause)
        _fetch_one(sessions, member, pub_type, today, from_dir, client, report, sleep, pause)
        if progress is not None:
            progress("house-record", done, len(steps))
    return report


def _fetch_one(
    sessions: sessionmaker[Session],
    member: MemberToCheck,
    pub_type: int,
    today: dt.date,
    from_dir: Path | None,
    client: FeedClient | None,
    report: FetchReport,
    sleep: Callable[[float], None] | None,
    pause: float,
) -> None:
    with sessions() as session:
        since = read_from(_existing(session, member.person_id, pub_type), member.since, pub_type)
    try:
        if from_dir is not None:
            items = hansard.read_member(from_dir, member.person_id, pub_type)
            if items is None:
                report.skipped += 1
                return
        else:
            if client is None:
                raise ValueError("give a folder to read or an HTTP client to fetch with")
            items = hansard.fetch_member(
                client,
                member.person_id,
                pub_type,
                since,
                today,
                pause=pause,
                sleep=sleep or _no_sleep,
            )
    except FeedError as error:
        with sessions() as session:
            record_failure(session, member.person_id, pub_type, error.message)
            session.commit()
        report.failed.append(f"{member.name} ({error.source}): {error.message}")
        return
    theirs = [i for i in hansard.spoken_by(items, member.person_id) if i.spoken_on >= since]
    report.others += sum(1 for i in items if i.person_id != member.person_id)
    # A saved file is as recent as its newest item; the live search, as of today.
    until = today if from_dir is None else max((i.spoken_on for i in items), default=since)
    with sessions() as session:
        report.stored.add(store_interventions(session, theirs))
        record_read(session, member.person_id, pub_type, since, until)
        session.commit()


def _existing(session: Session, person_id: int, pub_type: int) -> HouseRecordCheck | None:
    return session.scalar(
        select(HouseRecordCheck).where(
            HouseRecordCheck.person_id == person_id, HouseRecordCheck.pub_type == pub_type
        )
    )


def _no_sleep(seconds: float) -> None:
    return None
