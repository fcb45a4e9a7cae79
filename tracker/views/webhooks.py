"""The Webhooks page: coordinators subscribe URLs to events and read each delivery's fate."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask import (
    session as browser_session,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

import tracker.jobs.webhooks  # noqa: F401  (registers the delivery job, rings the queue)
from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.forms.webhooks import EVENT_LABELS, SubscriptionForm
from tracker.models import DeliveryState, UserRole, WebhookSubscription
from tracker.operations import webhooks as subscribing
from tracker.queries.webhooks import delivery_log, subscriptions
from tracker.web.access import require_role
from tracker.web.db import get_session, load_or_404

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
# The new subscription's secret waits in the signed-in session for the one page that shows it.
NEW_SECRET = "webhook_secret"  # noqa: S105  (a session key's name, not a secret)


@bp.before_request
def _coordinators_only() -> None:
    require_role(UserRole.COORDINATOR)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every subscription, and the form to add one."""
    return _index(SubscriptionForm())


def _index(form: SubscriptionForm) -> str:
    return render_template(
        "webhooks/index.html",
        subscriptions=subscriptions(get_session()),
        form=form,
        labels=EVENT_LABELS,
    )


@bp.post("/")
def create() -> ResponseReturnValue:
    """Subscribe a URL to events; its secret is shown once, on the next page."""
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return _index(form), 422
    allow = bool(current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    try:
        subscription = subscribing.create_subscription(
            get_session(),
            form.url.data or "",
            form.events.data or [],
            actor=current_user,
            allow_private=allow,
        )
    except OperationError as error:
        form.show_error(error)
        return _index(form), 422
    get_session().commit()
    browser_session[NEW_SECRET] = [subscription.id, subscription.secret]
    return redirect(url_for("webhooks.detail", subscription_id=subscription.id))


@bp.get("/<int:subscription_id>")
def detail(subscription_id: int) -> ResponseReturnValue:
    """The subscription, its secret once after it was made, and its delivery log."""
    subscription = load_or_404(WebhookSubscription, subscription_id)
    shown = browser_session.pop(NEW_SECRET, None)
    secret = shown[1] if shown and shown[0] == subscription.id else None
    return render_template(
        "webhooks/detail.html",
        subscription=subscription,
        secret=secret,
        deliveries=delivery_log(get_session(), subscription.id),
        labels=EVENT_LABELS,
        DeliveryState=DeliveryState,
        action=ActionForm(),
    )


@bp.post("/<int:subscription_id>/pause")
def pause(subscription_id: int) -> ResponseReturnValue:
    """Stop sending to this URL until it is resumed."""
    return _act(
        subscription_id, subscribing.pause, _("Paused: nothing is sent until you resume it.")
    )


@bp.post("/<int:subscription_id>/resume")
def resume(subscription_id: int) -> ResponseReturnValue:
    """Send events to this URL again, from now on."""
    return _act(subscription_id, subscribing.resume, _("Resumed: new events are sent again."))


@bp.post("/<int:subscription_id>/test")
def send_test(subscription_id: int) -> ResponseReturnValue:
    """Queue a test event to this URL; its fate shows in the log below."""
    return _act(
        subscription_id,
        subscribing.send_test_event,
        _("A test event is on its way; its delivery shows in the log below."),
    )


@bp.post("/<int:subscription_id>/delete")
def delete(subscription_id: int) -> ResponseReturnValue:
    """Remove the subscription and its delivery log."""
    subscription = load_or_404(WebhookSubscription, subscription_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("webhooks.detail", subscription_id=subscription_id))
    subscribing.delete_subscription(get_session(), subscription, actor=current_user)
    get_session().commit()
    flash(_("The webhook was deleted."), "info")
    return redirect(url_for("webhooks.index"))


def _act(subscription_id: int, act: Callable[..., None], done: str) -> ResponseReturnValue:
    subscription = load_or_404(WebhookSubscription, subscription_id)
    back = redirect(url_for("webhooks.detail", subscription_id=subscription_id))
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return back
    act(get_session(), subscription, actor=current_user)
    get_session().commit()
    flash(done, "info")
    return back
