"""`hilltrack letters`: each recipient's letter as PDF files, and sending them by e-mail."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tracker import clock
from tracker.cli.localised import LocalisedGroup
from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.jobs.letters import campaign_letter_pdfs, start_sending
from tracker.models import Campaign, CampaignStatus, Job, JobState, LetterState, UserRole
from tracker.models.base import MAX_ID
from tracker.operations.accounts import find_user_by_email
from tracker.operations.letters import hold_restored_letters
from tracker.queries.letters import (
    letters_in_flight,
    recipients_with_officials,
    send_checks,
    send_review,
)
from tracker.web.db import get_session, write_session

WAIT_POLL_SECONDS = 0.5


@click.group(
    "letters",
    cls=LocalisedGroup,
    help=_l("Each recipient's own letter: render them, or send them by e-mail."),
)
def letters_group() -> None:
    pass


def _campaign(campaign_id: int) -> Campaign:
    campaign = get_session().get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(
            _("There is no campaign %(campaign_id)s.", campaign_id=campaign_id)
        )
    return campaign


@letters_group.command(
    "render",
    help=_l("Write one PDF per recipient, named for the recipient, in the recipient's language."),
)
@click.option("--campaign", "campaign_id", type=click.IntRange(1, MAX_ID), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=_l("The folder to write one PDF per recipient into (made if missing)."),
)
@with_appcontext
def render_command(campaign_id: int, output: Path) -> None:
    campaign = _campaign(campaign_id)
    total = len(recipients_with_officials(get_session(), campaign.id))
    letters = campaign_letter_pdfs(get_session(), campaign, clock.today())
    output.mkdir(parents=True, exist_ok=True)
    with click.progressbar(
        letters, length=total, label="Rendering letters", file=sys.stderr
    ) as bar:
        for name, pdf_bytes in bar:
            (output / name).write_bytes(pdf_bytes)
    click.echo(_("Wrote %(value)s letters to %(output)s.", value=total, output=output), err=True)


@letters_group.command(
    "send",
    help=_l("Queue the letter for every recipient with an e-mail address who has not had it."),
)
@click.option("--campaign", "campaign_id", type=click.IntRange(1, MAX_ID), required=True)
@click.option(
    "--by", "by_email", required=True, help=_l("The coordinator's account it is sent as.")
)
@click.option("--dry-run", is_flag=True, help=_l("Say who would get it, and send nothing."))
@click.option("--wait", is_flag=True, help=_l("Show progress until the worker has sent them all."))
@click.option(
    "--yes",
    "confirmed",
    is_flag=True,
    help=_l(
        "Send even though there are warnings (no signatories, a date far from today, a closed "
        "campaign, a recipient no longer in their role, a language without text). Without it, "
        "any warning stops the send."
    ),
)
@with_appcontext
def send_command(
    campaign_id: int, by_email: str, dry_run: bool, wait: bool, confirmed: bool
) -> None:
    session = write_session()
    campaign = _campaign(campaign_id)
    actor = find_user_by_email(session, by_email)
    if actor is None or not actor.is_active or not actor.has_role(UserRole.COORDINATOR):
        raise click.ClickException(
            _("%(by_email)s is not an active coordinator's account.", by_email=by_email)
        )
    review = send_review(session, campaign)
    for line in review.ready:
        click.echo(
            _(
                "send    %(full_name)s <%(address)s>",
                full_name=line.recipient.official.full_name,
                address=line.address,
            )
        )
    for line in review.without_address:
        click.echo(
            _(
                "print   %(full_name)s (no e-mail address)",
                full_name=line.recipient.official.full_name,
            )
        )
    for line in review.already:
        click.echo(
            _("skip    %(full_name)s (already has it)", full_name=line.recipient.official.full_name)
        )
    for line in review.without_text("fr"):
        click.echo(
            _(
                "hold    %(full_name)s (no French version yet)",
                full_name=line.recipient.official.full_name,
            )
        )
    for line in review.without_text("en"):
        click.echo(
            _(
                "hold    %(full_name)s (no English version yet)",
                full_name=line.recipient.official.full_name,
            )
        )
    checks = send_checks(session, campaign, review, clock.today())
    for warning in checks.warnings:
        click.echo(_("warning %(text)s", text=warning.text), err=True)
    if dry_run:
        click.echo(
            _("Dry run: %(value)s would be sent; nothing was.", value=len(review.ready)), err=True
        )
        return
    if review.has_text and not review.ready and campaign.status is not CampaignStatus.ARCHIVED:
        # Nothing left is not a failure: the command can run from cron until everyone has it.
        click.echo(_("Everyone with an e-mail address already has this letter."), err=True)
        return
    if checks.refusal:
        raise click.ClickException(checks.refusal)
    if checks.warnings and not confirmed:
        raise click.ClickException(
            ngettext(
                "Nothing was sent: %(num)d warning above. Check it, then send again with --yes.",
                "Nothing was sent: %(num)d warnings above. Check them, then send again with --yes.",
                len(checks.warnings),
            )
        )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        started = start_sending(app, session, campaign, actor)
    except OperationError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        _("Queued %(count)s letters (job %(job_id)s).", count=started.count, job_id=started.job_id),
        err=True,
    )
    if not started.on_queue:
        click.echo(
            _("The queue cannot be reached: they go when `hilltrack worker` starts."), err=True
        )
    if wait and not _wait_for(started.job_id, started.count):
        sys.exit(1)


@letters_group.command(
    "hold",
    help=_l(
        "After restoring a PostgreSQL dump, before the worker starts: hold the letters that were "
        "queued or being sent in it, for a person to check (`restore` does this for SQLite)."
    ),
)
@with_appcontext
def hold_command() -> None:
    session = write_session()
    held = hold_restored_letters(session, utcnow())
    session.commit()
    click.echo(
        ngettext(
            "Held %(num)d letter: check on its campaign's Letters page whether it went.",
            "Held %(num)d letters: check on their campaigns' Letters pages whether they went.",
            held,
        )
    )


def _wait_for(job_id: int, total: int) -> bool:
    """A progress bar over the job's letters the worker has settled, until none is left or the
    job stopped. Returns whether every letter went (False: some failed, bounced or are unknown,
    which a cron run must not take for success)."""
    pending_states = (LetterState.QUEUED, LetterState.SENDING)
    with click.progressbar(length=total, label=_("Sending"), file=sys.stderr) as bar:
        shown = 0
        while True:
            session = get_session()
            session.rollback()  # a fresh snapshot each time
            counts = letters_in_flight(session, job_id)
            pending = sum(counts.get(state, 0) for state in pending_states)
            done = max(0, total - pending)
            bar.update(done - shown)
            shown = done
            job = session.get(Job, job_id)
            if pending == 0 or job is None or job.state is JobState.FAILED:
                break
            time.sleep(WAIT_POLL_SECONDS)
    summary = ", ".join(f"{n} {state.label.lower()}" for state, n in sorted(counts.items()) if n)
    click.echo(_("Letters of this batch: %(summary)s.", summary=summary), err=True)
    if job is not None and job.state is JobState.FAILED and job.error:
        click.echo(in_reader_language(job.error), err=True)
    return counts.get(LetterState.SENT, 0) == total
