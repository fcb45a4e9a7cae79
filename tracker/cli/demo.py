"""`hilltrack demo`: the September 2023 letter as a demo campaign."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.cli.imports import import_officials
from tracker.cli.localised import LocalisedCommand
from tracker.operations.demo import load_demo
from tracker.web.db import write_session


@click.command(
    "demo",
    cls=LocalisedCommand,
    help=_l("Load the bundled officials and the September 2023 letter as a demo campaign."),
)
@with_appcontext
def demo_command() -> None:
    click.get_current_context().invoke(import_officials, bundled=True, if_empty=True)
    session = write_session()
    result = load_demo(session)
    session.commit()
    campaign = result.campaign
    if result.created:
        click.echo(
            _(
                "Loaded the campaign “%(title)s” with %(signatories)d signatories and "
                "%(recipients)d recipients.",
                title=campaign.title,
                signatories=len(campaign.signatories),
                recipients=len(campaign.recipients),
            )
        )
        for name in result.new_officials:
            click.echo(_("  added %(name)s, whom the feeds do not cover", name=name))
    else:
        click.echo(_("The demo campaign is already loaded (campaign %(id)s).", id=campaign.id))
    for email, password in result.passwords.items():
        click.echo(
            _(
                "Demo account %(email)s, one-time password: %(password)s",
                email=email,
                password=password,
            )
        )
