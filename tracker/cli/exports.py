"""`hilltrack export`: the CSV exports from the command line."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.localised import LocalisedCommand
from tracker.errors import OperationError
from tracker.models.base import MAX_ID, plausible_date
from tracker.operations.exports import record_export
from tracker.queries.exports import ExportFilter, csv_chunks
from tracker.web.db import get_session, restart_as_writer

EXPORT_KINDS = [
    "campaign-status",
    "interactions",
    "follow-ups",
    "officials",
    "lobbying-report",
    "outcomes",
]


@click.command(
    "export",
    cls=LocalisedCommand,
    help=_l("Write an export as CSV (UTF-8 with BOM, formulas neutralised), streamed."),
)
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option(
    "--campaign",
    type=click.IntRange(1, MAX_ID),
    help=_l("Only this campaign (needed for campaign-status)."),
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help=_l("From this date, e.g. 2026-01-01.")
)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help=_l("Up to this date, inclusive."))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help=_l("The CSV file to write ('-' for standard output)."),
)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default=None,
    help=_l(
        "The language of the header row (default: TRACKER_DEFAULT_LANGUAGE); values stay data."
    ),
)
@with_appcontext
def export_command(
    kind: str, campaign: int | None, since: Any, until: Any, output: str, language: str | None
) -> None:
    flt = ExportFilter(campaign, since.date() if since else None, until.date() if until else None)
    if any(day is not None and not plausible_date(day) for day in (flt.since, flt.until)):
        raise click.BadParameter(
            _("give dates between 1900 and 2100"), param_hint="--since/--until"
        )
    try:
        chunks = csv_chunks(get_session(), kind, flt, language)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    # Commit the audit event before any row is sent: a GET starts as a reader.
    db = get_session()
    restart_as_writer(db)
    record_export(db, kind, flt, None, output)
    db.commit()
    # Binary, so the CSV's own CRLF line ends reach the file unchanged.
    with click.open_file(output, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))
    if output != "-":
        click.echo(_("Wrote %(output)s.", output=output), err=True)
