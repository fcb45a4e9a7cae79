"""The `hilltrack` command: a Flask CLI group bound to create_app, one module per command family.

Each family's module is imported when one of its commands runs (or help lists them), not when
the app is built: `hilltrack mail ingest`, which a mail server runs for every message, then
never loads the importers' spreadsheet reader or the migrations."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from tracker import create_app
from tracker.cli.localised import LocalisedFlaskGroup
from tracker.config import ConfigError

__all__ = ["alembic_config", "init_app", "main"]

# Each command, by the module and the name it is defined under.
COMMANDS = {
    "db": "tracker.cli.database:db_group",
    "users": "tracker.cli.users:users_group",
    "tokens": "tracker.cli.tokens:tokens_group",
    "import": "tracker.cli.imports:import_group",
    "demo": "tracker.cli.demo:demo_command",
    "export": "tracker.cli.exports:export_command",
    "backup": "tracker.cli.database:backup_command",
    "restore": "tracker.cli.database:restore_command",
    "letters": "tracker.cli.letters:letters_group",
    "mail": "tracker.cli.mail:mail_group",
    "outcomes": "tracker.cli.outcomes:outcomes_group",
    "worker": "tracker.cli.worker:worker_command",
    "serve": "tracker.cli.worker:serve_command",
}


class CommandsOnDemand(AppGroup):
    """The app's commands, each imported the first time it is asked for."""

    def __init__(self, on_demand: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_demand = on_demand

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.on_demand})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.on_demand and cmd_name not in self.commands:
            module, _, name = self.on_demand[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


def init_app(app: Flask) -> None:
    """Attach Hilltrack's command groups to the app's CLI, each loaded when it is used."""
    commands = CommandsOnDemand(COMMANDS, name=app.cli.name)
    for name, command in app.cli.commands.items():
        commands.add_command(command, name)
    app.cli = commands


def __getattr__(name: str) -> Any:
    """``alembic_config`` (tests and benchmarks build databases with it), without importing
    the migrations for every command."""
    if name == "alembic_config":
        from tracker.cli.database import alembic_config

        return alembic_config
    raise AttributeError(name)


# Commands a mail server runs for every message it delivers: they show no page, so the app
# they run in is built without its pages, and starts in a fraction of the time.
WITHOUT_PAGES = (["mail", "ingest"],)


def _app_for_this_command() -> Flask:
    try:
        return create_app(pages=sys.argv[1:3] not in WITHOUT_PAGES)
    except ConfigError as error:  # a setting to fix: its message, not a traceback
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


main = LocalisedFlaskGroup(
    create_app=_app_for_this_command, help=_l("Hilltrack: outreach tracker for coalitions.")
)
