"""Changing the record through the same operations the pages call, with the pages' role rules:
log an entry, complete or snooze a follow-up, add a recipient."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint

from tracker import clock
from tracker.errors import OperationError
from tracker.models import Campaign, FollowUp, Official, Recipient, UserRole
from tracker.operations.campaigns import add_recipients, current_role
from tracker.operations.follow_ups import can_work_on, complete_follow_up, snooze_follow_up
from tracker.operations.interactions import INTERACTION_FIELDS, record_interaction
from tracker.queries import campaigns as campaign_reads
from tracker.queries import officials as official_reads
from tracker.queries.api import Filters, official_id_by_person_id, recipients
from tracker.views.api import schemas
from tracker.views.api.auth import api_user, require_role
from tracker.views.api.idempotency import idempotent
from tracker.views.api.reads import follow_up_data, interaction_data, recipient_data
from tracker.web.db import get_session, load_or_404
from tracker.web.problems import ApiProblem

bp = Blueprint(
    "api_write",
    __name__,
    url_prefix="/api/v1",
    description="Change the record (a token with write scope). Send an Idempotency-Key header "
    "to make a retry safe.",
)
IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "A unique key per change: a retry with the same key records nothing twice.",
}


def _refused(error: OperationError) -> ApiProblem:
    return ApiProblem(
        422, error.message, errors={error.field: [error.message]} if error.field else None
    )


def _not_yours() -> ApiProblem:
    return ApiProblem(403, _("This follow-up is assigned to someone else; ask a coordinator."))


def _loggable_recipient(data: dict[str, Any]) -> Recipient:
    """The recipient named by its id, or by its campaign and official, as the quick log
    finds it: on a campaign that can still be logged."""
    db = get_session()
    if data.get("recipient_id"):
        named = db.get(Recipient, data["recipient_id"])
        official_id = named.official_id if named else 0
        found = campaign_reads.loggable_recipient(
            db, official_id, recipient_id=data["recipient_id"]
        )
    elif data.get("campaign_id") and data.get("official_id"):
        found = campaign_reads.loggable_recipient(
            db, data["official_id"], campaign_id=data["campaign_id"]
        )
    else:
        raise ApiProblem(
            422,
            _("Say which letter: give recipient_id, or campaign_id and official_id."),
            errors={"recipient_id": [_("Missing.")]},
        )
    if found is None:
        raise ApiProblem(
            404,
            _(
                "No recipient of an open campaign matches. List the campaign's recipients "
                "to find the right one; an archived campaign cannot be logged."
            ),
        )
    return found


@bp.post("/interactions")
@bp.doc(parameters=[IDEMPOTENCY_HEADER])
@idempotent
@bp.arguments(schemas.NewInteraction)
@bp.response(201, schemas.Interaction)
def log_interaction(data: dict[str, Any]) -> Any:
    """Log a send, a reply (with its class), a meeting, a call or a note."""
    recipient = _loggable_recipient(data)
    values = {name: data.get(name) for name in INTERACTION_FIELDS}
    try:
        interaction, _created = record_interaction(
            get_session(), recipient, values, actor=api_user()
        )
    except OperationError as error:
        raise _refused(error) from error
    return interaction_data(interaction)


def _follow_up(follow_up_id: int) -> FollowUp:
    follow_up = load_or_404(FollowUp, follow_up_id)
    if not can_work_on(follow_up, api_user()):
        raise _not_yours()
    return follow_up


@bp.post("/follow-ups/<int:follow_up_id>/complete")
@bp.doc(parameters=[IDEMPOTENCY_HEADER])
@idempotent
@bp.arguments(schemas.CompleteFollowUp)
@bp.response(200, schemas.FollowUp)
def complete(data: dict[str, Any], follow_up_id: int) -> Any:
    """Mark a follow-up done with what came of it; optionally plan the next one."""
    follow_up = _follow_up(follow_up_id)
    try:
        complete_follow_up(
            get_session(),
            follow_up,
            outcome=data["outcome"],
            next_due_on=data.get("next_due_on"),
            next_note=data.get("next_note"),
            actor=api_user(),
        )
    except OperationError as error:
        raise _refused(error) from error
    return follow_up_data(follow_up)


@bp.post("/follow-ups/<int:follow_up_id>/snooze")
@bp.doc(parameters=[IDEMPOTENCY_HEADER])
@idempotent
@bp.response(200, schemas.FollowUp)
def snooze(follow_up_id: int) -> Any:
    """Push a follow-up back by a week."""
    follow_up = _follow_up(follow_up_id)
    try:
        snooze_follow_up(get_session(), follow_up, actor=api_user())
    except OperationError as error:
        raise _refused(error) from error
    return follow_up_data(follow_up)


def _official(data: dict[str, Any]) -> Official:
    db = get_session()
    official_id = data.get("official_id")
    if official_id is None and data.get("person_id"):
        official_id = official_id_by_person_id(db, data["person_id"])
    elif official_id is None:
        raise ApiProblem(
            422,
            _("Say which official: give official_id, or person_id (the House PersonId)."),
            errors={"official_id": [_("Missing.")]},
        )
    found = official_reads.official_with_roles(db, official_id) if official_id else None
    if found is None:
        raise ApiProblem(
            404, _("No official has that id or PersonId. Import the directory, or list officials.")
        )
    return found


@bp.post("/campaigns/<int:campaign_id>/recipients")
@bp.doc(parameters=[IDEMPOTENCY_HEADER])
@idempotent
@bp.arguments(schemas.NewRecipient)
@bp.response(201, schemas.Recipient)
@bp.alt_response(200, schema=schemas.Recipient, description="Already a recipient.")
def add_recipient(data: dict[str, Any], campaign_id: int) -> Any:
    """Address the campaign to an official (a coordinator's right, as on the campaign page)."""
    require_role(UserRole.COORDINATOR)
    campaign = load_or_404(Campaign, campaign_id)
    official = _official(data)
    db = get_session()
    role = current_role(official, campaign.letter_on or clock.today())
    try:
        added, _skipped = add_recipients(
            db, campaign, [(official, role)], language=data.get("language"), actor=api_user()
        )
    except OperationError as error:
        raise _refused(error) from error
    db.flush()
    found = recipients(db, Filters(campaign=campaign.id, official=official.id), clock.today())
    return recipient_data(found.items[0]), 201 if added else 200
