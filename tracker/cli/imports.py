"""`hilltrack import officials`: refresh officials from the feeds, from the CLI."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from importers.sources import SOURCE_NAMES
from importers.spreadsheet import ENCODINGS, decode
from tracker.cli.localised import LocalisedGroup
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.models import ImportRun, ImportStatus, Official
from tracker.models.base import MAX_ID
from tracker.operations.imports import (
    ImportOptions,
    bundled_snapshot,
    run_officials_import,
    saved_files_time,
)
from tracker.queries.coverage import coverage
from tracker.queries.coverage import summary as coverage_summary
from tracker.web.db import state


@click.group("import", cls=LocalisedGroup, help=_l("Import officials from the open-data feeds."))
def import_group() -> None:
    pass


class _ProgressBar:
    """A click progress bar for the per-member fetches; one line per other step."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.step = ""

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.quiet:
            return
        if step != self.step:
            self.close()
            self.step = step
            click.echo(_("Reading %(step)s ...", step=step), err=True)
        if total > 1 and self.bar is None:
            self.bar = click.progressbar(length=total, label=f"Fetching {step}", file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None and self.bar.length == total:
            self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _any_official() -> bool:
    # A short session of its own: nothing may stay open while the import runs.
    with state().sessions() as session:
        return bool(session.scalar(select(func.count()).select_from(Official)))


def _parse_as_of(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("%(value)s is not a date like 2023-10-24", value=repr(value))
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@import_group.command(
    "officials",
    help=_l(
        "Import ministers, MPs, parliamentary secretaries, House officers and committee roles."
    ),
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice(SOURCE_NAMES),
    help=_l("Import only this source (repeatable). Default: all."),
)
@click.option(
    "--from-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=_l("Read saved feed files from this folder instead of fetching."),
)
@click.option("--bundled", is_flag=True, help=_l("Read the feed copies shipped with Hilltrack."))
@click.option("--as-of", help=_l("The date the data is as of (default: now), e.g. 2023-10-24."))
@click.option("--dry-run", is_flag=True, help=_l("Preview: show what would change; write nothing."))
@click.option(
    "--force",
    is_flag=True,
    help=_l("Accept a change that ends more than a fifth of a kind's roles."),
)
@click.option(
    "--json", "as_json", is_flag=True, help=_l("Print the run's report as one JSON object.")
)
@click.option("--if-empty", is_flag=True, help=_l("Do nothing if any official exists already."))
@with_appcontext
def import_officials(
    sources: tuple[str, ...],
    from_dir: Path | None,
    bundled: bool,
    as_of: str | None,
    dry_run: bool,
    force: bool,
    as_json: bool,
    if_empty: bool,
) -> None:
    if if_empty and _any_official():
        click.echo(_("Officials exist already; nothing imported."))
        with state().sessions() as session:
            click.echo(coverage_summary(coverage(session)))
        return
    options = ImportOptions(
        sources=list(sources or SOURCE_NAMES),
        from_dir=from_dir,
        as_of=_parse_as_of(as_of),
        dry_run=dry_run,
        force=force,
        feed_cache=Path(current_app.instance_path) / "feeds",
    )
    if bundled:
        options.from_dir, bundled_as_of = bundled_snapshot()
        options.as_of = options.as_of or bundled_as_of
    if options.from_dir is not None and not options.from_dir.is_dir():
        raise click.ClickException(_("%(from_dir)s is not a folder", from_dir=options.from_dir))
    if options.from_dir is not None and options.as_of is None:
        options.as_of = saved_files_time(options.from_dir)
    bar = _ProgressBar(quiet=as_json)
    try:
        run = run_officials_import(state().sessions, options, progress=bar)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    finally:
        bar.close()
    _print_run(run, as_json)
    if not as_json:
        with state().sessions() as session:
            click.echo(coverage_summary(coverage(session)))
    if run.status is ImportStatus.FAILED:
        raise SystemExit(1)
    if run.status is ImportStatus.PARTIAL:
        raise SystemExit(PARTIAL_EXIT)


# Exit status of a run where some sources failed alone and the others applied: neither success
# (0) nor failure (1), so a cron job or a script can tell.
PARTIAL_EXIT = 3


def run_report(run: ImportRun) -> dict[str, Any]:
    """The run as one JSON-ready object, for scripts and the Imports page."""
    return {
        "run": run.id,
        "status": run.status.value,
        "preview": run.is_preview,
        "as_of": run.as_of.isoformat() if run.as_of else None,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "counts": run.counts,
        "changes": run.changes,
        "warnings": run.warnings,
        "error": run.error,
    }


# The run's counts, and how the report's table heads each (translated when printed).
COLUMNS = {
    "officials_inserted": _l("officials inserted"),
    "officials_updated": _l("officials updated"),
    "roles_inserted": _l("roles inserted"),
    "roles_updated": _l("roles updated"),
    "roles_unchanged": _l("roles unchanged"),
    "roles_ended": _l("roles ended"),
}


def _print_run(run: ImportRun, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(run_report(run), ensure_ascii=False))
        return
    if run.status is ImportStatus.FAILED:
        # One line: what failed and that nothing changed (a preview writes nothing anyway).
        failed = (
            _("Preview failed; nothing was written.")
            if run.is_preview
            else _("Import failed; nothing was changed.")
        )
        failed += " " + in_reader_language(run.error)
        click.secho(failed, fg="red", err=True)
        return
    header = [str(_("source")), *(str(label) for label in COLUMNS.values())]
    rows = [
        [source, *(str(counts.get(c, 0)) for c in COLUMNS)] for source, counts in run.counts.items()
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    for warning in run.warnings:
        click.echo(_("warning: %(warning)s", warning=in_reader_language(warning)))
    click.echo(_("%(value)s field change(s).", value=len(run.changes)))
    if run.status is ImportStatus.PARTIAL:
        click.secho(
            _(
                "Partial import: these sources failed and were left as they were: %(error)s",
                error=in_reader_language(run.error),
            ),
            fg="yellow",
            err=True,
        )
    if run.status is ImportStatus.DRY_RUN:
        click.echo(_("Preview: nothing was written."))
    else:
        click.echo(
            _(
                "Import %(id)s done; data as of %(date)s.",
                id=run.id,
                date=f"{run.as_of:%Y-%m-%d}",
            )
        )


@import_group.command(
    "interactions",
    help=_l("Record past outreach from a spreadsheet, after a preview of every row."),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--campaign",
    type=click.IntRange(1, MAX_ID),
    required=True,
    help=_l("The campaign the rows belong to."),
)
@click.option(
    "--encoding",
    type=click.Choice(list(ENCODINGS)),
    help=_l("Read the file as this encoding (default: detected, and said)."),
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help=_l(
        "Which column holds a field (official, date, kind, channel, reply, "
        "summary); guessed from the headers when not given."
    ),
)
@click.option("--yes", is_flag=True, help=_l("Record without asking, after showing the preview."))
@with_appcontext
def import_interactions(
    file: Path, campaign: int, encoding: str | None, columns: tuple[str, ...], yes: bool
) -> None:
    from importers import interactions_csv
    from importers.errors import FeedError
    from tracker.models import Campaign as CampaignModel
    from tracker.operations.past_work import preview, record_rows
    from tracker.web.db import restart_as_writer, write_session

    data = file.read_bytes()
    session = write_session()
    target = session.get(CampaignModel, campaign)
    if target is None:
        raise click.ClickException(_("There is no campaign %(campaign)s.", campaign=campaign))
    try:
        decoded = decode(data, interactions_csv.SOURCE, encoding)
        frame = interactions_csv.read(data, encoding)
        mapping = interactions_csv.guess_mapping(list(frame.columns))
        mapping.update(dict(c.split("=", 1) for c in columns if "=" in c))
        rows = preview(session, data, mapping, encoding)
    except FeedError as error:
        raise click.ClickException(in_reader_language(error.message)) from error
    click.echo(
        _(
            "Read as %(label)s (%(how)s); --encoding chooses another.",
            label=decoded.label,
            how=in_reader_language(decoded.how),
        )
    )
    for row in rows:
        state_text = _("ready") if row.ok else "; ".join(in_reader_language(e) for e in row.errors)
        click.echo(
            _(
                "line %(line)s: %(value)s: %(state_text)s",
                line=row.line,
                value=row.name or "?",
                state_text=state_text,
            )
        )
    good = sum(r.ok for r in rows)
    click.echo(_("%(good)s of %(value)s rows can be recorded.", good=good, value=len(rows)))
    if not good or not (yes or click.confirm(_("Record them?"), default=False)):
        click.echo(_("Nothing recorded."))
        return
    recorded, repeated = record_rows(
        session,
        target,
        data,
        mapping,
        actor=None,
        encoding=encoding,
        end_of_batch=lambda: restart_as_writer(session),
    )
    session.commit()
    click.echo(
        _(
            "Recorded %(recorded)s interactions (%(repeated)s already recorded from this file).",
            recorded=recorded,
            repeated=repeated,
        )
    )
