"""`hilltrack db`, `backup` and `restore`: the schema, status recount and copies of the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tracker.cli.localised import LocalisedCommand, LocalisedGroup
from tracker.errors import OperationError
from tracker.operations.backup import backup, restore
from tracker.operations.recipient_facts import drifted_recipients, refresh_all_facts
from tracker.operations.tallies import drifted as drifted_tallies
from tracker.paths import resource_dir
from tracker.web.db import write_session


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for the bundled migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@click.group("db", cls=LocalisedGroup, help=_l("Create or upgrade the database schema."))
def db_group() -> None:
    pass


@db_group.command(
    "upgrade", help=_l("Create the schema on an empty database, or upgrade an existing one.")
)
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(_("Database is at revision %(revision)s.", revision=revision))


@db_group.command("current", help=_l("Show the schema revision of the database."))
@with_appcontext
def db_current() -> None:
    command.current(alembic_config(current_app.config["DATABASE_URL"]))


@db_group.command(
    "recount",
    help=_l(
        "Recompute every recipient's status from the interactions recorded, and the tallies the "
        "reports read from the recipients (after editing the database by hand, or to check "
        "nothing drifted)."
    ),
)
@click.option(
    "--check", is_flag=True, help=_l("Only report the statuses and tallies that drifted.")
)
@with_appcontext
def db_recount(check: bool) -> None:
    session = write_session()
    if check:
        drifted = drifted_recipients(session)
        tallies = drifted_tallies(session)
        click.echo(
            _(
                "%(num)s recipients' status differs from their interactions.",
                num=f"{len(drifted):,}",
            )
        )
        click.echo(
            _(
                "%(num)s tallies differ from a count of the recipients.",
                num=f"{len(tallies):,}",
            )
        )
        if drifted or tallies:
            click.echo(_("Run `hilltrack db recount` to recompute them."))
            sys.exit(1)
        return

    def report(done: int, total: int) -> None:
        click.echo(
            "  " + _("%(done)s of %(total)s recipients", done=f"{done:,}", total=f"{total:,}"),
            err=True,
        )

    total = refresh_all_facts(session, progress=report)
    session.commit()
    click.echo(_("Recounted the status of %(num)s recipients.", num=f"{total:,}"))


@click.command(
    "backup",
    cls=LocalisedCommand,
    help=_l("Write a consistent copy of the SQLite database to FILE, even while the app runs."),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    try:
        backup(current_app.config["DATABASE_URL"], file)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    click.echo(_("Backed up to %(file)s.", file=file))


@click.command(
    "restore",
    cls=LocalisedCommand,
    help=_l("Replace the database's content with a backup (stop the app first)."),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help=_l("Do not ask for confirmation."))
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    if not yes:
        click.confirm(
            _("This replaces everything in the database with the backup. Continue?"), abort=True
        )
    try:
        held = restore(current_app.config["DATABASE_URL"], file)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        _("Restored from %(file)s. Run `hilltrack db upgrade` if the backup is older.", file=file)
    )
    if held:
        click.echo(
            ngettext(
                "Held %(num)d letter that was queued or being sent when the backup was made: "
                "it may have gone since. Check, then say which on its campaign's Letters page.",
                "Held %(num)d letters that were queued or being sent when the backup was made: "
                "they may have gone since. Check, then say which on their campaigns' Letters "
                "pages.",
                held,
            )
        )
    else:
        click.echo(_("No letter was on its way in the backup: none held."))
