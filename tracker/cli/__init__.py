"""The `hilltrack` command: a Flask CLI group bound to create_app, one module per command family."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from tracker import create_app
from tracker.cli.database import alembic_config, backup_command, db_group, restore_command
from tracker.cli.demo import demo_command
from tracker.cli.exports import export_command
from tracker.cli.imports import import_group
from tracker.cli.letters import letters_group
from tracker.cli.localised import LocalisedFlaskGroup
from tracker.cli.mail import mail_group
from tracker.cli.outcomes import outcomes_group
from tracker.cli.users import users_group
from tracker.cli.worker import serve_command, worker_command

__all__ = ["alembic_config", "init_app", "main"]


def init_app(app: Flask) -> None:
    """Attach Hilltrack's command groups to the app's CLI."""
    for command in (
        db_group,
        users_group,
        import_group,
        demo_command,
        export_command,
        backup_command,
        restore_command,
        letters_group,
        mail_group,
        outcomes_group,
        worker_command,
        serve_command,
    ):
        app.cli.add_command(command)


main = LocalisedFlaskGroup(
    create_app=create_app, help=_l("Hilltrack: outreach tracker for coalitions.")
)
