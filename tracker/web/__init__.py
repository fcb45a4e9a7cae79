"""Web plumbing shared by every page: database session, sign-in gates, headers, logs, templates."""

from __future__ import annotations

from flask import Flask

from tracker.web import (
    access,
    campaign_rows,
    db,
    http,
    i18n,
    json_logs,
    letter_rows,
    said_line,
    signatory_rows,
    templating,
)


def init_app(app: Flask) -> None:
    """Wire the plumbing in the order requests need it."""
    json_logs.init_app(app)
    db.init_app(app)
    http.init_app(app)
    # The sign-in check runs before the CSRF check, so anonymous posts go to the sign-in page.
    access.init_app(app)
    http.csrf.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    said_line.init_app(app)
    campaign_rows.init_app(app)
    letter_rows.init_app(app)
    signatory_rows.init_app(app)
