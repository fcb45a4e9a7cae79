"""Reading the record: officials, campaigns and their recipients, the log, follow-ups, mail
and outcomes, each a page at a time in the order of its ids."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from tracker import clock
from tracker.formats.said import in_reader_language
from tracker.models import Campaign, InboundMessage, Interaction
from tracker.queries import api as reads
from tracker.queries.campaigns import campaign_summaries
from tracker.queries.outcomes import RecipientOutcome, campaign_outcomes
from tracker.views.api import schemas
from tracker.views.api.auth import api_token, api_user
from tracker.views.api.paging import filters, page
from tracker.web.access import MESSAGE_BODY_ROLE
from tracker.web.db import get_session, load_or_404, or_404

bp = Blueprint(
    "api_read", __name__, url_prefix="/api/v1", description="Read the coalition's record."
)


@bp.get("/me")
@bp.response(200, schemas.Token)
def me() -> dict[str, Any]:
    """The token this call uses: its owner's role, its scope and its expiry."""
    token = api_token()
    return {
        "name": token.name,
        "scope": token.scope.value,
        "role": api_user().role.value,
        "language": str(g.api_language),
        "expires_at": token.expires_at,
    }


@bp.get("/officials")
@bp.arguments(schemas.OfficialArgs, location="query")
@bp.response(200, schemas.OfficialPage)
def officials(args: dict[str, Any]) -> dict[str, Any]:
    """Officials with their roles (dated) and contact details."""
    window = reads.officials(get_session(), filters(args))
    return page(window, window.items)


@bp.get("/officials/<int:official_id>")
@bp.response(200, schemas.Official)
def official(official_id: int) -> Any:
    """One official."""
    found = reads.officials(get_session(), reads.Filters(official=official_id, limit=1)).items
    return or_404(found[0] if found else None)


def _campaign(campaign: Campaign, summary: Any) -> dict[str, Any]:
    return {
        **{
            name: getattr(campaign, name)
            for name in schemas.Campaign().fields
            if name not in {"signatories", "counts", "recipients", "status"}
        },
        "status": campaign.status.value,
        "signatories": campaign.signatories,
        "recipients": summary.total,
        "counts": {status.name.lower(): n for status, n in summary.counts.items()},
    }


def _campaigns(items: list[Campaign]) -> list[dict[str, Any]]:
    summaries = campaign_summaries(get_session(), [c.id for c in items], clock.today())
    return [_campaign(c, summaries[c.id]) for c in items]


@bp.get("/campaigns")
@bp.arguments(schemas.CampaignArgs, location="query")
@bp.response(200, schemas.CampaignPage)
def campaigns(args: dict[str, Any]) -> dict[str, Any]:
    """Campaigns with their signatories and their recipients counted by status."""
    window = reads.campaigns(get_session(), filters(args))
    return page(window, _campaigns(window.items))


@bp.get("/campaigns/<int:campaign_id>")
@bp.response(200, schemas.Campaign)
def campaign(campaign_id: int) -> dict[str, Any]:
    """One campaign."""
    found = reads.campaigns(get_session(), reads.Filters(campaign=campaign_id, limit=1)).items
    or_404(found[0] if found else None)
    return _campaigns(found)[0]


def recipient_data(state: reads.RecipientState) -> dict[str, Any]:
    r = state.recipient
    return {
        "id": r.id,
        "campaign_id": r.campaign_id,
        "official_id": r.official_id,
        "role_title": r.role_title,
        "addressed_as": r.addressed_as,
        "salutation": r.salutation,
        "language": r.language,
        "status": state.info.status.name.lower(),
        "sent_on": state.info.sent_on,
        "replied_on": state.info.replied_on,
        "letter_state": state.letter_state,
        "created_at": r.created_at,
    }


@bp.get("/campaigns/<int:campaign_id>/recipients")
@bp.arguments(schemas.RecipientArgs, location="query")
@bp.response(200, schemas.RecipientPage)
def recipients(args: dict[str, Any], campaign_id: int) -> dict[str, Any]:
    """A campaign's recipients: status, address line, language and letter state."""
    load_or_404(Campaign, campaign_id)
    window = reads.recipients(get_session(), filters(args, campaign=campaign_id), clock.today())
    return page(window, [recipient_data(state) for state in window.items])


def _outcome(outcome: RecipientOutcome) -> dict[str, Any]:
    last = outcome.last
    return {
        "recipient_id": outcome.recipient.id,
        "official_id": outcome.recipient.official_id,
        "in_house": outcome.in_house,
        "since": outcome.since,
        "checked_to": outcome.checked_to,
        "spoke": len(outcome.spoken),
        "interjections": len(outcome.interjections),
        "last_spoken_on": last.intervention.spoken_on if last else None,
        "last_record_url": last.intervention.record_url if last else None,
    }


@bp.get("/campaigns/<int:campaign_id>/outcomes")
@bp.response(200, schemas.OutcomeList)
def outcomes(campaign_id: int) -> dict[str, Any]:
    """What each recipient said in the House on the campaign's subject since the letter."""
    found = load_or_404(Campaign, campaign_id)
    return {"items": [_outcome(o) for o in campaign_outcomes(get_session(), found)]}


def interaction_data(entry: Interaction) -> dict[str, Any]:
    return {
        **{
            name: getattr(entry, name)
            for name in schemas.Interaction().fields
            if name not in {"campaign_id", "kind", "channel", "reply_class", "logged_from"}
        },
        "campaign_id": entry.recipient.campaign_id if entry.recipient else None,
        "kind": entry.kind.value,
        "channel": entry.channel.value if entry.channel else None,
        "reply_class": entry.reply_class.value if entry.reply_class else None,
        "logged_from": entry.logged_from.value,
    }


@bp.get("/interactions")
@bp.arguments(schemas.InteractionArgs, location="query")
@bp.response(200, schemas.InteractionPage)
def interactions(args: dict[str, Any]) -> dict[str, Any]:
    """The log: sends, replies, meetings, calls and notes (status filters by kind)."""
    window = reads.interactions(get_session(), filters(args))
    return page(window, [interaction_data(i) for i in window.items])


def follow_up_data(follow_up: Any) -> dict[str, Any]:
    return {
        **{
            name: getattr(follow_up, name)
            for name in schemas.FollowUp().fields
            if name not in {"campaign_id", "status"}
        },
        "campaign_id": follow_up.recipient.campaign_id if follow_up.recipient else None,
        "status": follow_up.status.value,
    }


@bp.get("/follow-ups")
@bp.arguments(schemas.FollowUpArgs, location="query")
@bp.response(200, schemas.FollowUpPage)
def follow_ups(args: dict[str, Any]) -> dict[str, Any]:
    """Follow-ups, open and done."""
    window = reads.follow_ups(get_session(), filters(args))
    return page(window, [follow_up_data(f) for f in window.items])


def _message(message: InboundMessage, with_body: bool) -> dict[str, Any]:
    return {
        "id": message.id,
        "kind": message.kind.value,
        "state": message.state.value,
        "received_at": message.received_at,
        "sent_at": message.sent_at,
        "from_address": message.from_address,
        "from_name": message.from_name,
        "subject": message.subject,
        "recipient_id": message.recipient_id,
        "campaign_id": message.recipient.campaign_id if message.recipient else None,
        "interaction_id": message.interaction_id,
        "body": in_reader_language(message.text) if with_body else None,
    }


@bp.get("/messages")
@bp.arguments(schemas.MessageArgs, location="query")
@bp.response(200, schemas.MessagePage)
def messages(args: dict[str, Any]) -> dict[str, Any]:
    """Mail that came back (status filters by state); bodies for roles that read them."""
    window = reads.inbound_messages(get_session(), filters(args))
    with_body = api_user().has_role(MESSAGE_BODY_ROLE)
    return page(window, [_message(m, with_body) for m in window.items])
