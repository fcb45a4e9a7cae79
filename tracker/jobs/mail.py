"""Mail that comes back, from a pipe (`hilltrack mail ingest`) or an IMAP mailbox (`hilltrack
mail fetch`, and the worker every few minutes): each message read in full first, then stored
and placed in its own short transaction, committed before the mailbox is told it was
processed. Only the database being unreachable is a reason not to store a message."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy.exc import InterfaceError, OperationalError

from tracker.jobs.queue import periodic, writing
from tracker.mail.imap import FetchReport, ImapProblem, ImapSettings, StopFetching, fetch_new
from tracker.models import InboundMessage, InboundState
from tracker.operations.inbound import MailLimits, Reading, read_message, receive, unread

log = logging.getLogger(__name__)
# The failures that are ours and pass: the database unreachable or locked, a full disk. The
# mail server (or the next poll) tries again; anything else is the message's and is stored.
TEMPORARY = (OperationalError, InterfaceError, OSError)


@dataclass(frozen=True)
class Received:
    id: int
    new: bool
    state: InboundState
    placed_on: str | None

    def describe(self) -> str:
        if not self.new:
            return str(_("Message %(id)s was already stored: nothing new logged.", id=self.id))
        if self.state is InboundState.PLACED:
            return str(_("Message %(id)s logged on %(where)s.", id=self.id, where=self.placed_on))
        if self.state is InboundState.NOT_OUTREACH:
            return str(_("Message %(id)s stored (a delay report: nothing to log).", id=self.id))
        return str(_("Message %(id)s waits in triage.", id=self.id))


def mail_limits(app: Flask) -> MailLimits:
    return MailLimits(
        folder=Path(app.instance_path) / "mail",
        max_bytes=int(app.config["MAIL_MAX_BYTES"]),
        max_attachment_bytes=int(app.config["MAIL_MAX_ATTACHMENT_BYTES"]),
        timezone=str(app.config["TIMEZONE"]),
    )


def ingest(app: Flask, raw: bytes, *, source: str) -> Received:
    """Read one message, then store and place it, committed when this returns. Temporary
    failures (TEMPORARY) propagate: the caller tells the mail server to try again later. Any
    other failure keeps the message raw, unread, in triage."""
    reading = read_message(raw, mail_limits(app))  # before any lock: reading may take time
    try:
        return _store(app, reading, source)
    except TEMPORARY:
        raise
    except Exception as error:  # a fault on this message (a bug, a refused value): keep it
        log.exception("message from %s could not be placed; kept unread", source)
        return keep_unread(app, raw, source=source, why=f"{type(error).__name__}: {error}")


def keep_unread(app: Flask, raw: bytes, *, source: str, why: str) -> Received:
    """Store ``raw`` as it came, unread, in triage with ``why``."""
    return _store(app, unread(raw, why[:500]), source)


def _store(app: Flask, reading: Reading, source: str) -> Received:
    with writing(app) as session:
        message, new = receive(
            session,
            reading,
            source=source,
            secret=str(app.config["SECRET_KEY"]),
            limits=mail_limits(app),
        )
        return Received(message.id, new, message.state, _placed_on(message))


def _placed_on(message: InboundMessage) -> str | None:
    recipient = message.recipient
    if recipient is None:
        return None
    return f"{recipient.official.full_name} ({recipient.campaign.title})"


def fetch_mail(app: Flask) -> FetchReport:
    """Take in every new message of the configured IMAP mailbox."""
    settings = ImapSettings.from_config(app.config)
    if not settings.configured:
        raise ImapProblem(_("No mailbox is set (TRACKER_IMAP_SERVER and TRACKER_IMAP_USERNAME)."))

    def handle(raw: bytes, source: str) -> None:
        try:
            ingest(app, raw, source=source)
        except TEMPORARY as error:
            raise StopFetching(
                f"the database cannot take mail now ({type(error).__name__})"
            ) from None

    def give_up(raw: bytes, source: str, why: str) -> None:
        try:
            keep_unread(app, raw, source=source, why=why)
        except TEMPORARY as error:
            raise StopFetching(
                f"the database cannot take mail now ({type(error).__name__})"
            ) from None

    return fetch_new(settings, handle, give_up)


def _every_few_minutes(app: Flask) -> object:
    return crontab(minute=f"*/{max(1, int(app.config.get('IMAP_EVERY_MINUTES') or 5))}")


@periodic("fetch_mail", _every_few_minutes)
def fetch_mail_on_schedule(app: Flask) -> None:
    """What the worker runs every IMAP_EVERY_MINUTES: the mailbox, when one is set."""
    if not ImapSettings.from_config(app.config).configured:
        return
    try:
        log.info("mail fetch: %s", fetch_mail(app).describe())
    except ImapProblem as problem:
        log.error("mail fetch: %s", problem.message)
