"""`hilltrack mail`: take in what comes back, from a pipe or an IMAP mailbox."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.localised import LocalisedGroup
from tracker.jobs.mail import fetch_mail, ingest
from tracker.mail.imap import ImapProblem

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again later


@click.group(
    "mail",
    cls=LocalisedGroup,
    help=_l("Replies, acknowledgements and bounces that come back by e-mail."),
)
def mail_group() -> None:
    pass


@mail_group.command(
    "ingest",
    help=_l(
        "Store and place one RFC 5322 message, from FILE or standard input (for a mail server's "
        "pipe). Exits 0 once the message is stored, placed or not, whatever it holds; 75 when "
        "the database cannot take it now, so that the mail server tries again."
    ),
)
@click.argument("file", type=click.File("rb"), default="-")
@with_appcontext
def ingest_command(file: BinaryIO) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    raw = file.read()  # an oversized message is read to the end (the pipe must be emptied)
    try:
        received = ingest(app, raw, source="ingest")
    except Exception as error:  # the database unreachable (ingest keeps any message it can)
        click.echo(
            _(
                "Not stored, try again later: %(value)s: %(error)s",
                value=type(error).__name__,
                error=error,
            ),
            err=True,
        )
        sys.exit(EX_TEMPFAIL)
    click.echo(received.describe(), err=True)


@mail_group.command(
    "fetch",
    help=_l(
        "Take in every new message of the IMAP mailbox (TRACKER_IMAP_*), flagging each as "
        "processed once it is stored; nothing is deleted. The worker runs this every few minutes."
    ),
)
@with_appcontext
def fetch_command() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        report = fetch_mail(app)
    except ImapProblem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(report.describe(), err=True)
    if report.stopped:
        sys.exit(EX_TEMPFAIL)
