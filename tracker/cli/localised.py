"""The command line's help in the installation's language (TRACKER_DEFAULT_LANGUAGE), as its
output already is.

Click builds commands when the module is imported, outside any app, so their help texts are
marked for the catalogue (`_l`) and translated when help is shown, inside the app, where the
catalogue and the installation's language are known. (Click's own words, "Usage:" and
"Options:", stay Click's.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import has_app_context
from flask.cli import FlaskGroup, ScriptInfo
from flask_babel import gettext


@contextmanager
def inside_the_app(ctx: click.Context) -> Iterator[None]:
    """An app context for the length of the block, if there is an app to load."""
    info = ctx.find_object(ScriptInfo)
    if has_app_context() or info is None:
        yield
        return
    with info.load_app().app_context():
        yield


@contextmanager
def options_translated(command: click.Command) -> Iterator[None]:
    """The command's options' help in the catalogue's language while help is formatted. (Click
    tidies an option's help when it is declared, which would read a lazy text at once, outside
    the app; the English kept there is the catalogue's key.)"""
    english: dict[click.Parameter, str] = {}
    for param in command.params:
        text = getattr(param, "help", None)
        if isinstance(text, str) and text:
            english[param] = text
            param.help = gettext(text)
    try:
        yield
    finally:
        for param, text in english.items():
            param.help = text


class LocalisedCommand(click.Command):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with inside_the_app(ctx), options_translated(self):
            super().format_help(ctx, formatter)


class LocalisedGroup(click.Group):
    command_class = LocalisedCommand

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with inside_the_app(ctx), options_translated(self):
            super().format_help(ctx, formatter)


LocalisedGroup.group_class = LocalisedGroup


class LocalisedFlaskGroup(FlaskGroup):
    """`hilltrack` itself: its list of commands shows their help in the same language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with inside_the_app(ctx), options_translated(self):
            super().format_help(ctx, formatter)
