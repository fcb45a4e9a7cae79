"""`hilltrack outcomes fetch`: read what recipients said in Parliament since their letter."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.imports import PARTIAL_EXIT, _ProgressBar
from tracker.cli.localised import LocalisedGroup
from tracker.formats.said import in_reader_language
from tracker.jobs.outcomes import outcome, run_fetch
from tracker.models.base import MAX_ID


@click.group(
    "outcomes",
    cls=LocalisedGroup,
    help=_l("What recipients said in Parliament after a letter."),
)
def outcomes_group() -> None:
    pass


@outcomes_group.command(
    "fetch",
    help=_l(
        "Read the House of Commons' record of every recipient who sits in the House, from the "
        "letter's date: the House's debates and committee evidence."
    ),
)
@click.option(
    "--campaign",
    type=click.IntRange(1, MAX_ID),
    help=_l("Only this campaign's recipients (default: every active campaign)."),
)
@click.option(
    "--from-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=_l("Read saved search answers (<PersonId>-37.xml, <PersonId>-40017.xml) from a folder."),
)
@click.option("--quiet", is_flag=True, help=_l("No progress bar."))
@with_appcontext
def fetch_command(campaign: int | None, from_dir: Path | None, quiet: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if from_dir is not None and not from_dir.is_dir():
        raise click.ClickException(_("%(from_dir)s is not a folder", from_dir=from_dir))
    if from_dir is not None:
        app.config["OUTCOMES_FROM_DIR"] = str(from_dir)
    bar = _ProgressBar(quiet=quiet)
    step = str(_("the House's record"))
    try:
        report = run_fetch(
            app,
            campaign,
            progress=lambda _step, done, total: bar(step, done, total),
            sleep=time.sleep,
        )
    finally:
        bar.close()
    click.echo(in_reader_language(outcome(report)))
    if report.failed and report.members and len(report.failed) >= 2 * report.members:
        raise SystemExit(1)
    if report.failed:
        raise SystemExit(PARTIAL_EXIT)
