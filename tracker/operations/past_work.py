"""Recording a spreadsheet of past outreach against a campaign, after its preview."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from importers import interactions_csv
from importers.interactions_csv import PastRow
from importers.names import fold
from tracker import clock
from tracker.models import Campaign, LoggedFrom, Official, Recipient, User
from tracker.operations.campaigns import add_recipients, current_role
from tracker.operations.interactions import record_interaction
from tracker.operations.recipient_facts import refresh_facts

HONORIFIC_PREFIX = (
    "the right honourable ",
    "the honourable ",
    "right hon. ",
    "hon. ",
    "mr. ",
    "ms. ",
    "mrs. ",
    "dr. ",
    "mr ",
    "ms ",
    "mrs ",
    "dr ",
)


def resolver(session: Session) -> interactions_csv.Resolver:
    """Match a written name (honorifics and accents ignored) to officials; never on surname."""
    index: dict[str, list[int]] = {}
    for official_id, key in session.execute(select(Official.id, Official.name_key)):
        index.setdefault(key, []).append(official_id)

    def resolve(name: str) -> list[int]:
        folded = fold(name)
        for prefix in HONORIFIC_PREFIX:
            folded = folded.removeprefix(prefix)
        folded = folded.split(",")[0].strip()  # "Name, M.P." → "Name"
        return index.get(folded, [])

    return resolve


# Rows recorded per transaction when the caller commits as it goes: other people's saves then
# wait for one batch, not for the whole file.
BATCH = 500


def preview(
    session: Session, data: bytes, mapping: dict[str, str], encoding: str | None = None
) -> list[PastRow]:
    """Check every row; nothing is written."""
    frame = interactions_csv.read(data, encoding)
    return interactions_csv.check(frame, mapping, resolver(session), clock.today())


def record_rows(
    session: Session,
    campaign: Campaign,
    data: bytes,
    mapping: dict[str, str],
    *,
    actor: User | None,
    encoding: str | None = None,
    end_of_batch: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Record every error-free row (adding officials as recipients when needed).
    Returns (recorded, already recorded by an earlier import of the same file).

    ``end_of_batch`` is called after every BATCH rows, with their statuses up to date: a caller
    that commits there holds the write lock for one batch at a time. Each row is recorded under
    a key of its own, so a file cut off half-way and imported again records nothing twice."""
    rows = preview(session, data, mapping, encoding)
    ids = {r.official_id for r in rows if r.ok and r.official_id}
    officials = {
        o.id: o
        for o in session.scalars(
            select(Official).where(Official.id.in_(ids)).options(selectinload(Official.roles))
        )
    }
    missing = [
        o
        for o in officials.values()
        if not session.scalar(
            select(Recipient.id).where(
                Recipient.campaign_id == campaign.id, Recipient.official_id == o.id
            )
        )
    ]
    on = campaign.letter_on or clock.today()
    add_recipients(session, campaign, [(o, current_role(o, on)) for o in missing], actor=actor)
    recipients = {
        r.official_id: r
        for r in session.scalars(select(Recipient).where(Recipient.campaign_id == campaign.id))
    }
    source = interactions_csv.fingerprint(data)
    recorded = repeated = 0
    good = [row for row in rows if row.ok and row.official_id is not None]
    for start in range(0, len(good), BATCH):
        batch = good[start : start + BATCH]
        for row in batch:
            _, created = record_interaction(
                session,
                recipients[row.official_id or 0],
                row.values,
                actor=actor,
                submission_key=f"sheet:{source}:{campaign.id}:{row.line}",
                refresh=False,
                logged_from=LoggedFrom.FILE,
            )
            recorded += created
            repeated += not created
        refresh_facts(session, sorted({recipients[r.official_id or 0].id for r in batch}))
        if end_of_batch is not None:
            end_of_batch()
    return recorded, repeated
