"""The pages: one blueprint per feature. Views load, check, call a query or an operation, answer."""

from __future__ import annotations

from flask import Flask

from tracker.views import (
    admin,
    api,
    api_tokens,
    audit,
    auth,
    campaigns,
    contacts,
    exports,
    follow_ups,
    home,
    imports,
    language,
    letters,
    log,
    mail,
    officials,
    outcomes,
    past_outreach,
    queue,
    recipients,
    replies,
    reports,
    signatories,
    two_factor,
    webhooks,
)


def register(app: Flask) -> None:
    """Register every blueprint on ``app``."""
    for blueprint in (
        auth.bp,
        api_tokens.bp,
        two_factor.bp,
        home.bp,
        home.health_bp,
        admin.bp,
        audit.bp,
        officials.bp,
        contacts.bp,
        imports.bp,
        campaigns.bp,
        recipients.bp,
        signatories.bp,
        log.bp,
        replies.bp,
        follow_ups.bp,
        exports.bp,
        reports.bp,
        past_outreach.bp,
        letters.bp,
        queue.bp,
        mail.bp,
        outcomes.bp,
        language.bp,
        webhooks.bp,
    ):
        app.register_blueprint(blueprint)
    api.register(app)
