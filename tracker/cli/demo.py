"""`hilltrack demo`: the September 2023 letter as a demo campaign."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.cli.imports import import_officials
from tracker.operations.demo import load_demo
from tracker.web.db import write_session


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the bundled officials and the September 2023 letter as a demo campaign."""
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
