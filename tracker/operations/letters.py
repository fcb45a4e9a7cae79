"""Letters sent by e-mail: queued by a coordinator, claimed one at a time by the worker,
and logged by themselves exactly once.

Every change of a letter's state happens under a lock on its row and is committed by the
caller at once, one letter at a time (never in batches: CiviCRM re-sent letters after an
interrupted job because it recorded sends every N messages, civicrm-core#17367).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from importers.said import said, said_plural
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.mail.tokens import letter_message_id, letter_token
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    InteractionKind,
    Job,
    JobState,
    Letter,
    LetterState,
    LoggedFrom,
    Recipient,
    User,
    UserRole,
    WebhookEvent,
)
from tracker.operations import audit, events
from tracker.operations.interactions import record_interaction
from tracker.operations.processes import process_is_gone, this_process
from tracker.queries.letters import send_review

MAX_ATTEMPTS = 6
# After a 4xx answer: wait 1, 5, 15, 30, 60 minutes before the next try.
BACKOFF_MINUTES = (1, 5, 15, 30, 60)
# A letter "sending" this long on another server is taken to have been cut off.
STALE_SENDING = dt.timedelta(minutes=15)
# A letter in one of these states waits for a person to say whether it went.
UNDECIDED = (LetterState.UNKNOWN, LetterState.RESTORED)


class NothingToSend(OperationError):
    pass


def _lock_campaign(session: Session, campaign: Campaign) -> None:
    """Serialise sends of one campaign: two coordinators clicking at once queue each letter once.
    (SQLite: the writer's transaction already began IMMEDIATE.)"""
    session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())


def queue_letters(
    session: Session, campaign: Campaign, *, actor: User, secret: str, domain: str
) -> list[Letter]:
    """Queue the campaign's letter for every recipient with an e-mail address who has not been
    sent it by e-mail. Raises NothingToSend when there is no one (or no text) to send."""
    if not actor.has_role(UserRole.COORDINATOR):
        raise OperationError(_("Only coordinators send letters."))
    if campaign.status is CampaignStatus.ARCHIVED:
        raise NothingToSend(_("This campaign is archived; nothing can be sent from it."))
    _lock_campaign(session, campaign)
    review = send_review(session, campaign)
    if not review.has_text:
        raise NothingToSend(
            _("The campaign has no letter text yet: write it on the campaign first.")
        )
    if not review.ready and (review.without_text("fr") or review.without_text("en")):
        raise NothingToSend(
            _("Nobody can be sent the letter now: it is not written in their language yet.")
        )
    if not review.ready:
        raise NothingToSend(_("Every recipient with an e-mail address already has this letter."))
    letters = []
    for line in review.ready:
        letter = Letter(
            campaign_id=campaign.id,
            recipient_id=line.recipient.id,
            state=LetterState.QUEUED,
            to_address=line.address or "",
            language=line.recipient.language,
            requested_by_id=actor.id,
        )
        session.add(letter)
        session.flush()
        letter.token = letter_token(secret, letter.id)
        letter.message_id = letter_message_id(letter.token, domain)
        letters.append(letter)
    audit.record(
        session,
        "letters.queued",
        actor=actor,
        obj=campaign,
        after={
            "campaign_id": campaign.id,
            "letters": [
                {"letter_id": x.id, "recipient_id": x.recipient_id, "to": x.to_address}
                for x in letters
            ],
        },
    )
    return letters


def attach_job(session: Session, letters: list[Letter], job_id: int) -> None:
    for letter in letters:
        letter.job_id = job_id


def claim_next(session: Session, campaign_id: int, now: dt.datetime) -> Letter | None:
    """Take the campaign's next queued letter that is due, marking it "sending" by this process.
    The caller commits before speaking to the mail server: the intent is on record first."""
    query = (
        select(Letter)
        .where(
            Letter.campaign_id == campaign_id,
            Letter.state == LetterState.QUEUED,
            (Letter.next_attempt_at.is_(None)) | (Letter.next_attempt_at <= now),
        )
        .order_by(Letter.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    letter = session.scalar(query)
    if letter is None:
        return None
    letter.state = LetterState.SENDING
    letter.claimed_at = now
    letter.claimed_by = this_process()
    letter.attempts += 1
    return letter


def next_due(session: Session, campaign_id: int) -> dt.datetime | None:
    """When the campaign's earliest deferred letter may be tried again, if any is waiting."""
    waiting = session.execute(
        select(Letter.next_attempt_at)
        .where(Letter.campaign_id == campaign_id, Letter.state == LetterState.QUEUED)
        .order_by(Letter.next_attempt_at.asc().nulls_first())
        .limit(1)
    ).first()
    if waiting is None:
        return None
    return waiting[0] or utcnow()


def _locked(session: Session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id, with_for_update=True, populate_existing=True)
    if letter is None:
        raise OperationError(_("That letter no longer exists."))
    return letter


def _log(
    session: Session, letter: Letter, kind: InteractionKind, at: dt.datetime, tz: str, words: str
) -> None:
    recipient = session.get_one(Recipient, letter.recipient_id)
    actor = letter.requested_by
    interaction, _created = record_interaction(
        session,
        recipient,
        {
            "kind": kind,
            "occurred_on": at.astimezone(ZoneInfo(tz)).date(),
            "channel": Channel.EMAIL,
            # Stored as its template and values: each reader sees it in their language.
            "summary": words,
        },
        actor=actor,
        submission_key=f"letter:{letter.id}:{kind.value}",
        logged_from=LoggedFrom.SENDING,
        today=at.astimezone(ZoneInfo(tz)).date(),
    )
    interaction.message_id = letter.message_id
    letter.interaction_id = interaction.id


def mark_sent(session: Session, letter_id: int, at: dt.datetime, *, tz: str) -> Letter:
    """The server accepted the letter: log it as sent by e-mail, by the person who asked."""
    letter = _locked(session, letter_id)
    if letter.state not in (LetterState.SENDING, *UNDECIDED):
        return letter  # settled meanwhile by a person: theirs is the last word
    letter.state = LetterState.SENT
    letter.finished_at = at
    letter.error = None
    sent_to = said("Sent by Hilltrack to %(address)s", address=letter.to_address)
    _log(session, letter, InteractionKind.SENT, at, tz, sent_to)
    audit.record(
        session,
        "letter.sent",
        actor=letter.requested_by,
        obj=letter,
        after={"recipient_id": letter.recipient_id, "to": letter.to_address},
    )
    events.letter_finished(session, letter, WebhookEvent.LETTER_SENT)
    return letter


def mark_bounced(
    session: Session, letter_id: int, words: str, at: dt.datetime, *, tz: str
) -> Letter:
    """The server refused the letter for good (5xx): log a bounce with the server's words."""
    letter = _locked(session, letter_id)
    if letter.state is not LetterState.SENDING:
        return letter
    letter.state = LetterState.BOUNCED
    letter.finished_at = at
    letter.error = words
    _log(session, letter, InteractionKind.BOUNCED, at, tz, words)
    events.letter_finished(session, letter, WebhookEvent.LETTER_BOUNCED)
    return letter


def mark_deferred(session: Session, letter_id: int, words: str, now: dt.datetime) -> Letter:
    """The server asked to try later (4xx): back in the queue after a growing pause, until
    MAX_ATTEMPTS, then failed."""
    letter = _locked(session, letter_id)
    if letter.state is not LetterState.SENDING:
        return letter
    letter.error = words
    if letter.attempts >= MAX_ATTEMPTS:
        letter.state = LetterState.FAILED
        letter.finished_at = now
        letter.error = said(
            "Gave up after %(num)d tries. %(words)s", num=letter.attempts, words=words
        )
        return letter
    pause = BACKOFF_MINUTES[min(letter.attempts, len(BACKOFF_MINUTES)) - 1]
    letter.state = LetterState.QUEUED
    letter.next_attempt_at = now + dt.timedelta(minutes=pause)
    return letter


def mark_unknown(session: Session, letter_id: int, words: str) -> Letter:
    letter = _locked(session, letter_id)
    if letter.state is LetterState.SENDING:
        letter.state = LetterState.UNKNOWN
        letter.error = words
    return letter


def mark_failed(session: Session, letter_id: int, words: str, now: dt.datetime) -> Letter:
    """The server never received the letter (it cannot take such an address): failed, with
    why, and sent again only when a person sends again."""
    letter = _locked(session, letter_id)
    if letter.state is LetterState.SENDING:
        letter.state = LetterState.FAILED
        letter.finished_at = now
        letter.error = words
    return letter


def release_unrecorded_letter(session: Session, letter_id: int, *, accepted: bool) -> None:
    """A letter whose outcome the worker could not record: "unknown" for a person to decide,
    saying what the worker knew."""
    letter = session.get(Letter, letter_id, with_for_update=True, populate_existing=True)
    if letter is None or letter.state is not LetterState.SENDING:
        return
    letter.state = LetterState.UNKNOWN
    if accepted:
        letter.error = said(
            "The mail server took this letter, but the database could not record it then: it "
            "most likely went. Check the sent mail, then say which."
        )
    else:
        letter.error = said(
            "The database could not record what the mail server said about this letter: it "
            "may or may not have gone. Check the sent mail, then say which."
        )


def fail_queued(
    session: Session, campaign_id: int, words: str, now: dt.datetime, *, include: int | None = None
) -> int:
    """A settings problem stops the whole batch: its waiting letters fail with the reason (and
    the letter being tried, ``include``), so none sits in the queue unexplained."""
    states = [LetterState.QUEUED]
    letters = session.scalars(
        select(Letter)
        .where(
            Letter.campaign_id == campaign_id,
            (Letter.state.in_(states)) | (Letter.id == (include or 0)),
        )
        .with_for_update()
    ).all()
    for letter in letters:
        letter.state = LetterState.FAILED
        letter.finished_at = now
        letter.error = words
    return len(letters)


def requeue_failed(session: Session, job_id: int) -> int:
    """A retried send: the job's letters that failed on a setting wait again (never a bounced
    or an unknown one)."""
    failed = session.scalars(
        select(Letter)
        .where(Letter.job_id == job_id, Letter.state == LetterState.FAILED)
        .with_for_update()
    ).all()
    for letter in failed:
        letter.state = LetterState.QUEUED
        letter.next_attempt_at = None
        letter.finished_at = None
    return len(failed)


def release_interrupted_letters(session: Session, now: dt.datetime) -> int:
    """Letters left "sending" by a process that died: the server may or may not have them, so
    they become "unknown" for a person to decide. Never re-sent blindly."""
    sending = session.scalars(
        select(Letter).where(Letter.state == LetterState.SENDING).with_for_update()
    ).all()
    stale = now - STALE_SENDING
    cut_off = [
        letter
        for letter in sending
        if process_is_gone(letter.claimed_by)
        or (letter.claimed_at is not None and letter.claimed_at < stale)
    ]
    for letter in cut_off:
        letter.state = LetterState.UNKNOWN
        letter.error = said(
            "The worker stopped while handing this letter to the mail server: it may or may "
            "not have gone. Check the sent mail, then say which."
        )
    return len(cut_off)


def settle_unknown(
    session: Session, letter: Letter, *, was_sent: bool, actor: User, tz: str
) -> Letter:
    """A person's decision on a letter whose fate was unknown: it went (log it, dated when it
    was handed over), or it did not (queue it again)."""
    if not actor.has_role(UserRole.COORDINATOR):
        raise OperationError(_("Only coordinators decide about letters."))
    letter = _locked(session, letter.id)
    if letter.state not in UNDECIDED:
        raise OperationError(_("Someone already settled this letter; reload the page."))
    if was_sent:
        mark_sent(session, letter.id, letter.claimed_at or utcnow(), tz=tz)
    else:
        letter.state = LetterState.QUEUED
        letter.next_attempt_at = None
        letter.error = None
    audit.record(
        session,
        "letter.settled",
        actor=actor,
        obj=letter,
        after={"recipient_id": letter.recipient_id, "was_sent": was_sent},
    )
    return letter


def hold_restored_letters(session: Session, now: dt.datetime) -> int:
    """Right after a restore: the letters queued or sending in the backup may have gone since
    the copy was made, so each is held for a person to check, and the jobs that would have
    sent them end. Statements naming only the columns they need, so a backup from an older
    version is held as well. Returns how many letters were held."""
    in_flight = Letter.state.in_((LetterState.QUEUED, LetterState.SENDING))
    held = session.execute(select(Letter.id, Letter.job_id).where(in_flight)).all()
    session.execute(
        update(Letter)
        .where(in_flight)
        .values(
            state=LetterState.RESTORED,
            next_attempt_at=None,
            error=said("Restored from a backup: check whether it went, then say which."),
        )
        .execution_options(synchronize_session=False)
    )
    per_job = Counter(job_id for _letter_id, job_id in held if job_id is not None)
    for job_id, count in per_job.items():
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_((JobState.WAITING, JobState.RUNNING)))
            .values(
                state=JobState.DONE,
                finished_at=now,
                outcome=said_plural(
                    "Ended by a restore from a backup: %(num)d letter waits for a person to "
                    "check whether it went.",
                    "Ended by a restore from a backup: %(num)d letters wait for a person to "
                    "check whether they went.",
                    count,
                ),
            )
            .execution_options(synchronize_session=False)
        )
    return len(held)
