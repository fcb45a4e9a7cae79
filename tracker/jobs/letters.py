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
from sqlalchemy.orm import Session

from importers.said import Said, said, said_plural, said_together
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.formats.letter_pdf import letter_pdf
from tracker.formats.letters import LetterText, letter_file_name, letter_plain_text
from tracker.formats.said import in_reader_language
from tracker.jobs.queue import Later, handler, queue, writing
from tracker.mail.compose import envelope, letter_message
from tracker.mail.settings import MailSettings
from tracker.mail.smtp import Deferred, Outbox, Pacer, Refused, SettingsProblem, Uncertain
from tracker.models import Campaign, Letter, Recipient, User
from tracker.operations.jobs import create_job
from tracker.operations.letters import (
    attach_job,
    claim_next,
    fail_queued,
    mark_bounced,
    mark_deferred,
    mark_sent,
    mark_unknown,
    next_due,
    queue_letters,
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
    text = letter_for(session, recipient, now.date())
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


def deliver_letters(app: Flask, campaign_id: int, *, pacer: Pacer | None = None) -> str | Later:
    """Send the campaign's queued letters that are due, one at a time. Each is marked "sending"
    and committed before the server hears of it, and its outcome is committed as soon as the
    server answers."""
    settings = MailSettings.from_config(app.config)
    tz = app.config["TIMEZONE"]
    pacer = pacer or Pacer(settings.per_minute)
    counts: Counter[str] = Counter()
    with Outbox(settings) as outbox:
        while _has_due_letter(app, campaign_id):
            pacer.wait()
            with writing(app) as session:
                letter = claim_next(session, campaign_id, utcnow())
                if letter is None:
                    break
                letter_id, token = letter.id, letter.token or ""
                try:
                    message = build_message(app, session, letter, utcnow())
                except ValueError as error:
                    message = None
                    problem = said("The letter could not be written: %(error)s", error=str(error))
                addresses = envelope(settings, token, letter.to_address)
            if message is None:
                with writing(app) as session:
                    fail_queued(session, campaign_id, problem, utcnow(), include=letter_id)
                raise OperationError(problem)
            try:
                outbox.send(message, envelope_from=addresses.sender, to=addresses.recipient)
            except SettingsProblem as problem:
                with writing(app) as session:
                    fail_queued(session, campaign_id, problem.message, utcnow(), include=letter_id)
                raise
            except Deferred as deferred:
                with writing(app) as session:
                    mark_deferred(session, letter_id, deferred.message, utcnow())
                counts["deferred"] += 1
            except Refused as refused:
                with writing(app) as session:
                    mark_bounced(session, letter_id, refused.message, utcnow(), tz=tz)
                counts["bounced"] += 1
            except Uncertain as uncertain:
                with writing(app) as session:
                    mark_unknown(session, letter_id, uncertain.message)
                counts["unknown"] += 1
            else:
                with writing(app) as session:
                    mark_sent(session, letter_id, utcnow(), tz=tz)
                counts["sent"] += 1
    counted = [_counted(what, n) for what, n in sorted(counts.items())]
    summary = said_together(counted) if counted else said("nothing to send")
    with writing(app) as session:
        due = next_due(session, campaign_id)
    if due is not None:
        return Later(due, said("%(summary)s; the rest waits for the mail server", summary=summary))
    return summary


def _counted(what: str, n: int) -> Said:
    """'14 sent', '1 bounced': a batch's outcome, stored to be read in the reader's language."""
    words = {
        "sent": lambda: said_plural("%(num)d sent", "%(num)d sent", n),
        "bounced": lambda: said_plural("%(num)d bounced", "%(num)d bounced", n),
        "deferred": lambda: said_plural("%(num)d deferred", "%(num)d deferred", n),
        "unknown": lambda: said_plural("%(num)d unknown", "%(num)d unknown", n),
    }
    return words[what]()


def _has_due_letter(app: Flask, campaign_id: int) -> bool:
    with writing(app) as session:
        due = next_due(session, campaign_id)
    return due is not None and due <= utcnow()


def _describe(params: dict[str, Any]) -> str:
    return str(_("Letters of campaign %(id)s by e-mail", id=params.get("campaign_id")))


def _on_retry(session: Session, job_id: int, params: dict[str, Any]) -> None:
    requeue_failed(session, job_id)


@handler(KIND, resumable=True, describe=_describe, on_retry=_on_retry)
def run_send_job(app: Flask, job_id: int, params: dict[str, Any]) -> str | Later:
    return deliver_letters(app, int(params["campaign_id"]))
