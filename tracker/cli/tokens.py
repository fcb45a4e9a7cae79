"""`hilltrack tokens`: API tokens from the command line (a server's own sync, a first setup)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.localised import LocalisedGroup
from tracker.errors import OperationError
from tracker.models import ApiScope
from tracker.operations.accounts import find_user_by_email
from tracker.operations.api_tokens import create_token
from tracker.web.db import write_session


@click.group("tokens", cls=LocalisedGroup, help=_l("Manage API tokens."))
def tokens_group() -> None:
    pass


@tokens_group.command(
    "create",
    help=_l("Make an API token for a person; its secret is printed once and never stored."),
)
@click.argument("email")
@click.option("--name", required=True, help=_l("Where the token is used, e.g. “CiviCRM sync”."))
@click.option(
    "--scope", type=click.Choice([s.value for s in ApiScope]), default="read", show_default=True
)
@click.option("--expires", "days", type=int, default=None, help=_l("Days until it expires."))
@with_appcontext
def tokens_create(email: str, name: str, scope: str, days: int | None) -> None:
    session = write_session()
    owner = find_user_by_email(session, email)
    if owner is None:
        raise click.ClickException(_("No account has the e-mail %(email)s.", email=email))
    try:
        token, secret = create_token(
            session, owner, name=name, scope=ApiScope(scope), expires_in_days=days, actor=None
        )
    except OperationError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(
        _(
            "Made the %(scope)s token “%(name)s” for %(email)s. Copy it now; it is not "
            "shown again:",
            scope=token.scope.value,
            name=token.name,
            email=owner.email,
        ),
        err=True,
    )
    click.echo(secret)
