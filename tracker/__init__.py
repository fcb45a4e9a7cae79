"""Hilltrack: the outreach tracker for coalitions writing to Canadian federal officials."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from tracker.paths import resource_dir


def create_app(test_config: Mapping[str, Any] | None = None, *, pages: bool = True) -> Flask:
    """Build the Hilltrack app: configuration, database, sign-in, pages and commands. Without
    ``pages`` for a command that shows none (loading them takes most of a second)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    from tracker import cli, web
    from tracker.config import ensure_instance_folder, load_config
    from tracker.web.routing import RuleBuiltOnFirstUse

    app.url_rule_class = RuleBuiltOnFirstUse

    ensure_instance_folder(Path(app.instance_path))
    load_config(app, test_config)
    web.init_app(app)
    if pages:
        from tracker import views

        views.register(app)
    cli.init_app(app)
    return app
