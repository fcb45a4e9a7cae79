"""Letters by e-mail on the queue: a coordinator's send becomes one job per campaign, which the
worker works through one letter at a time, paced, recording each letter's fate as it happens."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from importers.said import Said, said, said_plural, said_together
from tracker import clock
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.formats.letter_pdf import letter_pdf
from tracker.formats.letters import LetterText, letter_file_name, letter_plain_text
from tracker.formats.said import in_reader_language
from tracker.jobs.patience import write_patiently
from tracker.jobs.queue import Later, handler, queue
from tracker.mail.compose import envelope, letter_message
from tracker.mail.settings import MailSettings
from tracker.mail.smtp import (
    Deferred,
    NeverSent,
    Outbox,
    Pacer,
    Refused,
    SettingsProblem,
    Uncertain,
)
from tracker.models import Campaign, Letter, Recipient, User
from tracker.operations.jobs import create_job
from tracker.operations.letters import (
    attach_job,
    claim_next,
    fail_queued,
    mark_bounced,
    mark_deferred,
    mark_failed,
    mark_sent,
    mark_unknown,
    next_due,
    queue_letters,
    release_unrecorded_letter,
    requeue_failed,
    settle_unknown,
)
from tracker.queries.letters import letter_text, recipients_with_officials, signatory_names
from tracker.rules.campaign_text import has_text

KIND = "send_letters"


@dataclass(frozen=True)
class SendStarted:
    count: int
    job_id: int
    on_queue: bool


def render_letter_html(app: Flask, letter: LetterText) -> str:
    """The HTML part of the e-mail: the same partial the preview page shows. Rendered without
    the pages' context (no signed-in user: the worker has no request)."""
    return app.jinja_env.get_template("letters/email.html").render(letter=letter)


def letter_for(session: Session, recipient: Recipient, today: dt.date) -> LetterText:
    campaign = session.get_one(Campaign, recipient.campaign_id)
    return letter_text(campaign, recipient, signatory_names(session, campaign.id), today)


def letter_as_pdf(recipient: Recipient, text: LetterText) -> tuple[str, bytes]:
    """The recipient's letter as a PDF, with the file name it goes by everywhere."""
    return letter_file_name(recipient.position, recipient.official.full_name), letter_pdf(text)


def campaign_letter_pdfs(
    session: Session, campaign: Campaign, today: dt.date
) -> Iterator[tuple[str, bytes]]:
    """Every recipient's letter as (file name, PDF), in the letter's order: the ZIP download
    and `hilltrack letters render` write the same files. A recipient whose language the
    campaign is not written in has no letter yet."""
    signers = signatory_names(session, campaign.id)
    for recipient in recipients_with_officials(session, campaign.id):
        if has_text(campaign, recipient.language):
            yield letter_as_pdf(recipient, letter_text(campaign, recipient, signers, today))


def start_sending(app: Flask, session: Session, campaign: Campaign, actor: User) -> SendStarted:
    """Queue the campaign's letters (see operations.letters.queue_letters) and one job to send
    them. Refuses at once when the mail settings cannot work."""
    settings = MailSettings.from_config(app.config)
    if settings.problems():
        problems = " ".join(in_reader_language(problem) for problem in settings.problems())
        raise OperationError(_("Letters cannot be sent yet. ") + problems)
    letters = queue_letters(
        session, campaign, actor=actor, secret=str(app.config["SECRET_KEY"]), domain=settings.domain
    )
    job = create_job(session, KIND, {"campaign_id": campaign.id}, actor=actor)
    attach_job(session, letters, job.id)
    session.commit()
    return SendStarted(len(letters), job.id, queue(app).submit(job.id))


def settle_letter(
    app: Flask, session: Session, letter: Letter, *, was_sent: bool, actor: User
) -> None:
    """A person's answer for a letter whose fate was unknown: log it as sent, or queue it again
    with a job of its own."""
    settle_unknown(session, letter, was_sent=was_sent, actor=actor, tz=app.config["TIMEZONE"])
    if was_sent:
        session.commit()
        return
    job = create_job(session, KIND, {"campaign_id": letter.campaign_id}, actor=actor)
    letter.job_id = job.id
    session.commit()
    queue(app).submit(job.id)


def build_message(app: Flask, session: Session, letter: Letter, now: dt.datetime) -> EmailMessage:
    settings = MailSettings.from_config(app.config)
    recipient = letter.recipient
    # Dated as the pages showed it: the day in TIMEZONE, not UTC's (tomorrow, in the evening).
    text = letter_for(session, recipient, clock.local_date(now))
    pdf_name, pdf = letter_as_pdf(recipient, text)
    return letter_message(
        settings,
        token=letter.token or "",
        message_id=letter.message_id or "",
        to_name=recipient.official.full_name,
        to_address=letter.to_address,
        subject=text.subject,
        language=text.language,
        text=letter_plain_text(text),
        html=render_letter_html(app, text),
        pdf=pdf,
        pdf_name=pdf_name,
        now=now,
    )


# This many letters in a row whose connection broke while the server had them: the batch
# pauses rather than leave a person one decision per recipient.
BREAKER_AFTER = 3


@dataclass(frozen=True)
class Claimed:
    """A letter marked "sending" (committed), with its message ready to hand over."""

    letter_id: int
    message: EmailMessage | None
    problem: str | None
    sender: str
    recipient: str


class Unrecorded(OperationError):
    """The database would not take what became of a letter, even after trying again."""

    def __init__(self, message: str, letter_id: int, *, accepted: bool) -> None:
        super().__init__(message)
        self.letter_id = letter_id
        self.accepted = accepted


def _claim(app: Flask, session: Session, campaign_id: int) -> Claimed | None:
    letter = claim_next(session, campaign_id, utcnow())
    if letter is None:
        return None
    settings = MailSettings.from_config(app.config)
    message, problem = None, None
    try:
        message = build_message(app, session, letter, utcnow())
    except ValueError as error:
        problem = said("The letter could not be written: %(error)s", error=str(error))
    addresses = envelope(settings, letter.token or "", letter.to_address)
    return Claimed(letter.id, message, problem, addresses.sender, addresses.recipient)


def _hand_over(outbox: Outbox, message: EmailMessage, claimed: Claimed) -> tuple[str, str | None]:
    """Give the letter to the mail server: its outcome ("sent", "deferred", "bounced",
    "failed" or "unknown") and the server's words. A settings problem is raised."""
    try:
        outbox.send(message, envelope_from=claimed.sender, to=claimed.recipient)
    except Deferred as deferred:
        return "deferred", deferred.message
    except Refused as refused:
        return "bounced", refused.message
    except NeverSent as never:
        return "failed", never.message
    except Uncertain as uncertain:
        return "unknown", uncertain.message
    return "sent", None


def _record(app: Flask, claimed: Claimed, outcome: str, words: str | None) -> None:
    """Commit what became of the letter, trying again while the database is busy or away."""
    tz = app.config["TIMEZONE"]
    letter_id = claimed.letter_id

    def record(session: Session) -> None:
        now = utcnow()
        if outcome == "sent":
            mark_sent(session, letter_id, now, tz=tz)
        elif outcome == "deferred":
            mark_deferred(session, letter_id, words or "", now)
        elif outcome == "bounced":
            mark_bounced(session, letter_id, words or "", now, tz=tz)
        elif outcome == "failed":
            mark_failed(session, letter_id, words or "", now)
        else:
            mark_unknown(session, letter_id, words or "")

    try:
        write_patiently(app, record, what=f"letter {letter_id} {outcome}")
    except DBAPIError as error:
        raise Unrecorded(
            said(
                "The database could not record what became of a letter, even after trying "
                "again for a while; that letter waits for a person to say whether it went."
            ),
            letter_id,
            accepted=outcome == "sent",
        ) from error  # the log shows the database's own words


def deliver_letters(app: Flask, campaign_id: int, *, pacer: Pacer | None = None) -> str | Later:
    """Send the campaign's queued letters that are due, one at a time. Each is marked "sending"
    and committed before the server hears of it, and its outcome is committed as soon as the
    server answers (tried again while the database is busy or away)."""
    settings = MailSettings.from_config(app.config)
    pacer = pacer or Pacer(settings.per_minute)
    counts: Counter[str] = Counter()
    broken = 0  # letters in a row whose connection broke
    with Outbox(settings) as outbox:
        while _has_due_letter(app, campaign_id):
            pacer.wait()
            claimed = write_patiently(
                app, lambda session: _claim(app, session, campaign_id), what="a letter's claim"
            )
            if claimed is None:
                break
            if claimed.message is None:
                problem = claimed.problem or ""
                _fail_batch(app, campaign_id, claimed, problem)
                raise OperationError(problem)
            try:
                outcome, words = _hand_over(outbox, claimed.message, claimed)
            except SettingsProblem as problem:
                _fail_batch(app, campaign_id, claimed, problem.message)
                raise
            _record(app, claimed, outcome, words)
            counts[outcome] += 1
            broken = broken + 1 if outcome == "unknown" else 0
            if broken >= BREAKER_AFTER:
                raise OperationError(_paused(broken, settings))
    counted = [_counted(what, n) for what, n in sorted(counts.items())]
    summary = said_together(counted) if counted else said("nothing to send")
    due = write_patiently(app, lambda session: next_due(session, campaign_id), what="next due")
    if due is not None:
        return Later(due, said("%(summary)s; the rest waits for the mail server", summary=summary))
    return summary


def _fail_batch(app: Flask, campaign_id: int, claimed: Claimed, words: str) -> None:
    """A problem no letter can get past: the batch's waiting letters fail with its words."""
    write_patiently(
        app,
        lambda session: fail_queued(
            session, campaign_id, words, utcnow(), include=claimed.letter_id
        ),
        what="the batch's failure",
    )


def _paused(broken: int, settings: MailSettings) -> str:
    return said_plural(
        "Paused: the connection to %(where)s broke while handing over %(num)d letter in a "
        "row. The other letters wait: retry this job once the mail server is sound.",
        "Paused: the connection to %(where)s broke while handing over %(num)d letters in a "
        "row. The other letters wait: retry this job once the mail server is sound.",
        broken,
        where=f"{settings.server}:{settings.port}",
    )


def _counted(what: str, n: int) -> Said:
    """'14 sent', '1 bounced': a batch's outcome, stored to be read in the reader's language."""
    words = {
        "sent": lambda: said_plural("%(num)d sent", "%(num)d sent", n),
        "bounced": lambda: said_plural("%(num)d bounced", "%(num)d bounced", n),
        "deferred": lambda: said_plural("%(num)d deferred", "%(num)d deferred", n),
        "unknown": lambda: said_plural("%(num)d unknown", "%(num)d unknown", n),
        "failed": lambda: said_plural("%(num)d failed", "%(num)d failed", n),
    }
    return words[what]()


def _has_due_letter(app: Flask, campaign_id: int) -> bool:
    due = write_patiently(app, lambda session: next_due(session, campaign_id), what="next due")
    return due is not None and due <= utcnow()


def _describe(params: dict[str, Any]) -> str:
    return str(_("Letters of campaign %(id)s by e-mail", id=params.get("campaign_id")))


def _on_retry(session: Session, job_id: int, params: dict[str, Any]) -> None:
    requeue_failed(session, job_id)


def _on_failure(session: Session, job_id: int, params: dict[str, Any], error: Exception) -> None:
    """The job stopped with a letter whose fate it could not record: the letter is released
    to "unknown" at once, for a person to decide, rather than left "sending"."""
    if isinstance(error, Unrecorded):
        release_unrecorded_letter(session, error.letter_id, accepted=error.accepted)


@handler(KIND, resumable=True, describe=_describe, on_retry=_on_retry, on_failure=_on_failure)
def run_send_job(app: Flask, job_id: int, params: dict[str, Any]) -> str | Later:
    return deliver_letters(app, int(params["campaign_id"]))
