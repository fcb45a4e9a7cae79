"""The `hilltrack` command: a Flask CLI group bound to create_app, with Hilltrack's commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker import create_app
from tracker.db import write_session
from tracker.models import UserRole
from tracker.operations import OperationError
from tracker.operations.accounts import create_user, ensure_first_admin
from tracker.operations.recipient_facts import drifted_recipients, refresh_all_facts
from tracker.paths import resource_dir


def init_app(app: Flask) -> None:
    """Attach Hilltrack's command groups to the app's CLI."""
    from tracker.cli_imports import import_group

    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(import_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(export_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for the bundled migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@click.group("db")
def db_group() -> None:
    """Create or upgrade the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create the schema on an empty database, or upgrade an existing one."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database is at revision {revision}.")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the schema revision of the database."""
    command.current(alembic_config(current_app.config["DATABASE_URL"]))


@db_group.command("recount")
@click.option("--check", is_flag=True, help="Only report recipients whose status drifted.")
@with_appcontext
def db_recount(check: bool) -> None:
    """Recompute every recipient's status from the interactions recorded (after editing the
    database by hand, or to check nothing drifted)."""
    session = write_session()
    if check:
        drifted = drifted_recipients(session)
        click.echo(f"{len(drifted):,} recipients' status differs from their interactions.")
        if drifted:
            click.echo("Run `hilltrack db recount` to recompute them.")
            sys.exit(1)
        return

    def report(done: int, total: int) -> None:
        click.echo(f"  {done:,} of {total:,} recipients", err=True)

    total = refresh_all_facts(session, progress=report)
    session.commit()
    click.echo(f"Recounted the status of {total:,} recipients.")


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


ROLE_NAMES = [role.value for role in UserRole]


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as shown in Hilltrack.")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="volunteer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is prompted for unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    session = write_session()
    try:
        user = create_user(
            session, email=email, name=name, role=UserRole(role), password=password, actor=None
        )
    except OperationError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@users_group.command("ensure-admin")
@click.option("--email", default="admin@example.org", show_default=True)
@click.option("--name", default="Administrator", show_default=True)
@with_appcontext
def users_ensure_admin(email: str, name: str) -> None:
    """Create a first admin with a generated password if the database has no user yet."""
    session = write_session()
    created = ensure_first_admin(session, email, name)
    session.commit()
    if created is None:
        click.echo("Users exist already; no admin created.")
        return
    user, password = created
    click.echo(f"Created the first admin: {user.email}")
    click.echo(f"One-time password (shown only now, change it after signing in): {password}")


main = FlaskGroup(create_app=create_app, help="Hilltrack: outreach tracker for coalitions.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the bundled officials and the September 2023 letter as a demo campaign."""
    from tracker.cli_imports import import_officials
    from tracker.demo import load_demo

    click.get_current_context().invoke(import_officials, bundled=True, if_empty=True)
    session = write_session()
    result = load_demo(session)
    session.commit()
    campaign = result.campaign
    if result.created:
        click.echo(
            f"Loaded the campaign “{campaign.title}” with {len(campaign.signatories)} "
            f"signatories and {len(campaign.recipients)} recipients."
        )
        for name in result.new_officials:
            click.echo(f"  added {name}, whom the feeds do not cover")
    else:
        click.echo(f"The demo campaign is already loaded (campaign {campaign.id}).")
    for email, password in result.passwords.items():
        click.echo(f"Demo account {email}, one-time password: {password}")


EXPORT_KINDS = ["campaign-status", "interactions", "follow-ups", "officials", "lobbying-report"]


@click.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@click.option("--campaign", type=int, help="Only this campaign (needed for campaign-status).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this date, e.g. 2026-01-01.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Up to this date, inclusive.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The CSV file to write ('-' for standard output).",
)
@with_appcontext
def export_command(kind: str, campaign: int | None, since: Any, until: Any, output: str) -> None:
    """Write an export as CSV (UTF-8 with BOM, formulas neutralised), streamed."""
    from tracker.db import get_session
    from tracker.exports.kinds import ExportFilter
    from tracker.exports.service import csv_chunks, record_export

    flt = ExportFilter(campaign, since.date() if since else None, until.date() if until else None)
    try:
        chunks = csv_chunks(get_session(), kind, flt)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    record_export(get_session(), kind, flt, None, output)
    # Binary, so the CSV's own CRLF line ends reach the file unchanged.
    with click.open_file(output, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))
    if output != "-":
        click.echo(f"Wrote {output}.", err=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the SQLite database to FILE, even while the app runs."""
    from tracker.backup import backup

    try:
        backup(current_app.config["DATABASE_URL"], file)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Backed up to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's content with a backup (stop the app first)."""
    from tracker.backup import restore

    if not yes:
        click.confirm(
            "This replaces everything in the database with the backup. Continue?", abort=True
        )
    try:
        restore(current_app.config["DATABASE_URL"], file)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Restored from {file}. Run `hilltrack db upgrade` if the backup is older.")
