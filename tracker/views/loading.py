"""The records a URL names, loaded for a view, or a 404 page when there is none."""

from __future__ import annotations

from flask import abort

from tracker.models import Campaign, Recipient
from tracker.queries import campaigns as campaign_reads
from tracker.web.db import get_session, or_404


def campaign_or_404(campaign_id: int) -> Campaign:
    """The campaign with its signatories and owner."""
    return or_404(campaign_reads.campaign_with_signatories(get_session(), campaign_id))


def recipient_or_404(campaign: Campaign, recipient_id: int) -> Recipient:
    """A recipient of this campaign (another campaign's recipient is not found here)."""
    recipient = or_404(get_session().get(Recipient, recipient_id))
    if recipient.campaign_id != campaign.id:
        abort(404)
    return recipient
