"""`hilltrack users`: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.localised import LocalisedGroup
from tracker.errors import OperationError
from tracker.models import UserRole
from tracker.operations.accounts import create_user, ensure_first_admin
from tracker.web.db import write_session


@click.group("users", cls=LocalisedGroup, help=_l("Manage user accounts."))
def users_group() -> None:
    pass


ROLE_NAMES = [role.value for role in UserRole]


@users_group.command(
    "create",
    help=_l("Create an account; the password is prompted for unless --password-stdin is given."),
)
@click.argument("email")
@click.option("--name", required=True, help=_l("The person's name as shown in Hilltrack."))
@click.option("--role", type=click.Choice(ROLE_NAMES), default="volunteer", show_default=True)
@click.option("--password-stdin", is_flag=True, help=_l("Read the password from standard input."))
@with_appcontext
def users_create(email: str, name: str, role: str, password_stdin: bool) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    session = write_session()
    try:
        user = create_user(
            session, email=email, name=name, role=UserRole(role), password=password, actor=None
        )
    except OperationError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(_("Created %(value)s %(email)s.", value=user.role.value, email=user.email))


@users_group.command(
    "ensure-admin",
    help=_l("Create a first admin with a generated password if the database has no user yet."),
)
@click.option("--email", default="admin@example.org", show_default=True)
@click.option("--name", default="Administrator", show_default=True)
@with_appcontext
def users_ensure_admin(email: str, name: str) -> None:
    session = write_session()
    created = ensure_first_admin(session, email, name)
    session.commit()
    if created is None:
        click.echo(_("Users exist already; no admin created."))
        return
    user, password = created
    click.echo(_("Created the first admin: %(email)s", email=user.email))
    click.echo(
        _(
            "One-time password (shown only now, change it after signing in): %(password)s",
            password=password,
        )
    )
