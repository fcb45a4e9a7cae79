"""Hilltrack: the outreach tracker for coalitions writing to Canadian federal officials."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from tracker.paths import resource_dir


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Hilltrack app: configuration, database, sign-in, pages and commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    from tracker import (
        admin,
        audit_views,
        auth,
        campaigns,
        cli,
        db,
        follow_ups,
        home,
        imports,
        log,
        logs,
        officials,
        past_work,
        reports_views,
        templating,
        two_factor_views,
        web,
    )
    from tracker.config import ensure_instance_folder, load_config
    from tracker.exports import views as export_views

    ensure_instance_folder(Path(app.instance_path))
    load_config(app, test_config)
    logs.init_app(app)
    db.init_app(app)
    web.init_app(app)
    # The sign-in check runs before the CSRF check, so anonymous posts go to the sign-in page.
    auth.init_app(app)
    two_factor_views.init_app(app)
    web.csrf.init_app(app)
    templating.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(home.health_bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(officials.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(campaigns.bp)
    app.register_blueprint(log.bp)
    app.register_blueprint(follow_ups.bp)
    app.register_blueprint(export_views.bp)
    app.register_blueprint(reports_views.bp)
    app.register_blueprint(past_work.bp)
    cli.init_app(app)
    return app
