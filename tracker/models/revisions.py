"""Each campaign's and official's revision, changed in the same transaction by every write to
what their pages' cached fragments show (tracker/web/fragments.py keys them on it).

One listener on every session's flush maps each new, changed or deleted instance to the
campaigns and officials whose pages show it (SHOWN below); as the session commits, those
rows get a new revision (a random number: models.base.new_revision), in that transaction.
A class whose rows no cached fragment shows is named in NOT_SHOWN; tests/test_revisions.py
fails on a mapped class in neither, so a new model cannot leave a page stale without someone
deciding so. Writers that bypass the ORM (core UPDATE/INSERT/DELETE statements) call ``note``
themselves or are shown harmless where they run.

A page reads its revision from the database on each request, so every worker process sees a
write as soon as it is committed, whichever process made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, Select, event, inspect, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from tracker.models.accounts import AuditEvent, SignInAttempt, User
from tracker.models.api import ApiIdempotentAnswer, ApiToken
from tracker.models.base import Base, new_revision
from tracker.models.imports import ImportReview, ImportRun
from tracker.models.inbound import InboundAttachment, InboundMessage, KnownSender
from tracker.models.officials import Official, OfficialIdentifier, Organisation, Role
from tracker.models.outcomes import CampaignSubject, HouseIntervention, HouseRecordCheck
from tracker.models.outreach import (
    Campaign,
    CampaignTally,
    FollowUp,
    Interaction,
    Recipient,
    ReplyTally,
    Signatory,
)
from tracker.models.queue import Job, Letter, WorkerBeat
from tracker.models.webhooks import WebhookDelivery, WebhookSubscription


@dataclass
class Touched:
    """What a flush changed, as the pages whose fragments must be made again."""

    campaigns: set[int] = field(default_factory=set)
    officials: set[int] = field(default_factory=set)
    recipients: set[int] = field(default_factory=set)  # their campaign's and official's
    officials_everywhere: set[int] = field(default_factory=set)  # + every campaign they are in
    people: set[int] = field(default_factory=set)  # House PersonIds: their officials
    campaigns_officials: set[int] = field(default_factory=set)  # officials it wrote to
    interactions: set[int] = field(default_factory=set)  # their officials
    every_campaign: bool = False
    every_official: bool = False

    # Over every field, so that a field added later cannot be left out of either.
    def merge(self, other: Touched) -> None:
        for name in _FIELDS:
            setattr(self, name, getattr(self, name) | getattr(other, name))

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in _FIELDS)


_FIELDS = tuple(f.name for f in fields(Touched))


def _values(obj: Base, name: str) -> set[Any]:
    """An attribute's value now and, if this flush changes it, before: a row moved from one
    campaign to another changes both pages."""
    history = inspect(obj).attrs[name].load_history()
    return {v for v in (*history.unchanged, *history.added, *history.deleted) if v is not None}


def _campaign(obj: Any, t: Touched) -> None:
    t.campaigns |= _values(obj, "id")
    # Its title shows on the timeline of every official it wrote to.
    t.campaigns_officials |= _values(obj, "id")


def _recipient(obj: Any, t: Touched) -> None:
    t.campaigns |= _values(obj, "campaign_id")
    t.officials_everywhere |= _values(obj, "official_id")


def _official(obj: Any, t: Touched) -> None:
    # Their name and party show on every campaign that wrote to them.
    t.officials_everywhere |= _values(obj, "id")


def _of_official(obj: Any, t: Touched) -> None:
    # A role: the House record's "in the House" and ministers' answers (outcomes) read it.
    t.officials_everywhere |= _values(obj, "official_id")


def _of_recipient(obj: Any, t: Touched) -> None:
    # A follow-up: the row of its recipient (its next follow-up), and the official's page
    # (one with no recipient shows on the official's page only).
    t.recipients |= _values(obj, "recipient_id")
    t.officials |= _values(obj, "official_id")


def _entry(obj: Any, t: Touched) -> None:
    # An interaction shows on its official's page. A campaign's row shows only the facts it
    # stores on the recipient, whose writer (operations.recipient_facts) changes the
    # campaign's revision when they change: a note or a call changes none, and a volunteer
    # logging one no longer has every coordinator's campaign page drawn again.
    t.officials |= _values(obj, "official_id")


def _message(obj: Any, t: Touched) -> None:
    # A placed message: its recipient's row links it; the entry it was logged as links it on
    # the official's timeline.
    t.recipients |= _values(obj, "recipient_id")
    t.interactions |= _values(obj, "interaction_id")


def _letter(obj: Any, t: Touched) -> None:
    t.campaigns |= _values(obj, "campaign_id")
    t.recipients |= _values(obj, "recipient_id")


def _subject(obj: Any, t: Touched) -> None:
    t.campaigns |= _values(obj, "campaign_id")


def _house_record(obj: Any, t: Touched) -> None:
    # Whether the House sat is read from every member's interventions: any campaign's line
    # may change ("did not sit"), and the official's own.
    t.every_campaign = True
    t.people |= _values(obj, "person_id")


def _user(obj: Any, t: Touched) -> None:
    # A user's name shows as an assignee and an author on any page; nothing else of theirs
    # does (signing in writes to their row: that must not empty every cache).
    state = inspect(obj)
    if state.deleted or state.was_deleted or state.attrs["name"].history.has_changes():
        t.every_campaign = t.every_official = True


SHOWN: dict[type[Base], Callable[[Any, Touched], None]] = {
    Campaign: _campaign,
    Recipient: _recipient,
    Official: _official,
    Role: _of_official,
    Interaction: _entry,
    FollowUp: _of_recipient,
    InboundMessage: _message,
    Letter: _letter,
    CampaignSubject: _subject,
    HouseIntervention: _house_record,
    HouseRecordCheck: _house_record,
    User: _user,
}

# Rows no cached fragment shows (the campaign page's recipient rows, an official's latest
# entries): counted or listed elsewhere, or not shown on those pages at all.
NOT_SHOWN: frozenset[type[Base]] = frozenset(
    {
        Signatory,  # the campaign page's signatory list is drawn afresh each time
        Organisation,  # a party's name on a row is the official's own column
        OfficialIdentifier,
        KnownSender,
        InboundAttachment,
        CampaignTally,  # the dashboard's, kept from the recipients (bumped with them)
        ReplyTally,
        AuditEvent,
        SignInAttempt,
        ApiToken,
        ApiIdempotentAnswer,
        ImportRun,
        ImportReview,
        Job,
        WorkerBeat,
        WebhookSubscription,
        WebhookDelivery,
    }
)


def _collect(session: Session, objects: Iterable[object], touched: Touched) -> None:
    # Session.dirty walks the whole identity map: read once per flush, not once per object (an
    # import flushing thousands of rows spent a fifth of its time asking).
    dirty = session.dirty
    for obj in objects:
        rule = SHOWN.get(type(obj))  # type: ignore[arg-type]
        if rule is None:
            continue
        if obj in dirty and not session.is_modified(obj, include_collections=False):
            continue
        rule(obj, touched)


_DELETING = "hilltrack_revisions_deleting"
_PENDING = "hilltrack_revisions_pending"


def _pending(session: Session) -> Touched:
    touched: Touched = session.info.setdefault(_PENDING, Touched())
    return touched


@event.listens_for(Session, "before_flush")
def _note_deleted(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """Rows about to go, read while they are still there (after the flush their attributes
    may no longer load)."""
    touched = Touched()
    _collect(session, session.deleted, touched)
    session.info[_DELETING] = touched


@event.listens_for(Session, "after_flush")
def _note_what_the_flush_changed(session: Session, _context: UOWTransaction) -> None:
    """New and changed rows (their new ids and keys known now), with the deleted ones: noted
    for the commit."""
    pending = _pending(session)
    pending.merge(session.info.pop(_DELETING, None) or Touched())
    _collect(session, (*session.new, *session.dirty), pending)


@event.listens_for(Session, "before_commit")
def _bump_at_commit(session: Session) -> None:
    """The revisions change as the transaction commits, in it: the campaign's row is locked
    for that moment only, so two people writing to one campaign at once do not wait for each
    other's whole transaction (tests/test_status_facts.py runs them side by side). A
    transaction rolled back keeps its notes for the next commit: a revision changed for
    nothing costs a page drawn again, never a stale one."""
    session.flush()  # the commit's own flush comes after this hook: its rows are noted first
    touched = session.info.pop(_PENDING, None)
    if touched:
        bump(session.connection(), touched)


def _campaigns_of(column: Any, ids: set[int]) -> Select[int]:
    return select(Recipient.campaign_id).where(column.in_(ids))


def note(db: Session | Connection, touched: Touched) -> None:
    """For writers outside the ORM: a session's notes wait for its commit (see
    _bump_at_commit); on a bare connection the revisions change now."""
    if isinstance(db, Session):
        _pending(db).merge(touched)
    else:
        bump(db, touched)


def bump(db: Session | Connection, touched: Touched) -> None:
    """Give the touched campaigns and officials a new revision, in the caller's transaction."""
    value = new_revision()
    campaigns, officials = [], []
    if touched.campaigns:
        campaigns.append(Campaign.id.in_(touched.campaigns))
    if touched.recipients:
        recipients = select(Recipient.official_id).where(Recipient.id.in_(touched.recipients))
        campaigns.append(Campaign.id.in_(_campaigns_of(Recipient.id, touched.recipients)))
        officials.append(Official.id.in_(recipients))
    if touched.officials_everywhere:
        campaigns.append(
            Campaign.id.in_(_campaigns_of(Recipient.official_id, touched.officials_everywhere))
        )
        officials.append(Official.id.in_(touched.officials_everywhere))
    if touched.officials:
        officials.append(Official.id.in_(touched.officials))
    if touched.people:
        officials.append(Official.ourcommons_id.in_(touched.people))
    if touched.campaigns_officials:
        officials.append(
            Official.id.in_(
                select(Recipient.official_id).where(
                    Recipient.campaign_id.in_(touched.campaigns_officials)
                )
            )
        )
    if touched.interactions:
        officials.append(
            Official.id.in_(
                select(Interaction.official_id).where(Interaction.id.in_(touched.interactions))
            )
        )
    _set(db, Campaign, campaigns, touched.every_campaign, value)
    _set(db, Official, officials, touched.every_official, value)


def _set(
    db: Session | Connection,
    model: type[Campaign] | type[Official],
    conditions: list[Any],
    everyone: bool,
    value: int,
) -> None:
    if not conditions and not everyone:
        return
    # updated_at as it was: a new revision is not an edit (its onupdate would say so).
    statement = update(model).values(revision=value, updated_at=model.updated_at)
    if not everyone:
        statement = statement.where(or_(*conditions))
    # A core statement: the ORM's version counter (edit forms' guard) stays as it is.
    db.execute(statement.execution_options(synchronize_session=False))


def bump_campaigns_of_recipients(db: Session | Connection, recipient_ids: Iterable[int]) -> None:
    """For writers of recipients' rows outside the ORM (their stored facts)."""
    ids = set(recipient_ids)
    if ids:
        note(db, Touched(recipients=ids))


def bump_everything(db: Session | Connection) -> None:
    """After a writer that may have changed any row (a recount, a restore)."""
    note(db, Touched(every_campaign=True, every_official=True))
