"""The API's shapes (marshmallow): what each resource reads as, and what each write accepts.
The OpenAPI document is generated from these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import Schema, fields, validate

from tracker.formats.said import in_reader_language
from tracker.models import (
    ApiScope,
    CampaignStatus,
    Channel,
    FollowUpStatus,
    InboundState,
    InteractionKind,
    LetterState,
    ReplyClass,
)
from tracker.models.base import MAX_ID
from tracker.queries.api import DEFAULT_LIMIT, MAX_LIMIT
from tracker.rules.status import RecipientStatus

STATUS_SLUGS = [s.name.lower() for s in RecipientStatus]


def values(enum_class: Any) -> list[str]:
    return [member.value for member in enum_class]


def one_of(enum_class: Any, **kwargs: Any) -> fields.String:
    """A field that holds one of an enumeration's values (the document lists them)."""
    return fields.String(validate=validate.OneOf(values(enum_class)), **kwargs)


def row_id(**kwargs: Any) -> fields.Integer:
    """An id a caller gives: a positive whole number the database can hold."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


class Text(fields.String):
    """Text as a reader sees it: a sentence Hilltrack stored, in the reader's language."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else in_reader_language(value)


class Problem(Schema):
    """An error (RFC 9457): ``detail`` says what to do about it."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "What is wrong with each field."})


class ListArgs(Schema):
    """What a syncing tool narrows a list by; the cursor comes from the previous page."""

    cursor = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "The next_cursor of the previous page; omit for the first."},
    )
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    updated_since = fields.AwareDateTime(
        format="iso",
        default_timezone=None,
        validate=validate.Range(
            dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 12, 31, tzinfo=dt.UTC)
        ),
        metadata={"description": "ISO 8601 instant with its offset: rows changed since then."},
    )


class ByCampaignAndOfficial(ListArgs):
    campaign = row_id()
    official = row_id()


class CampaignArgs(ListArgs):
    status = one_of(CampaignStatus)


class RecipientArgs(ListArgs):
    official = row_id()
    status = fields.String(validate=validate.OneOf(STATUS_SLUGS))


class InteractionArgs(ByCampaignAndOfficial):
    status = one_of(InteractionKind, metadata={"description": "The kind of entry."})


class FollowUpArgs(ByCampaignAndOfficial):
    status = one_of(FollowUpStatus)


class MessageArgs(ByCampaignAndOfficial):
    status = one_of(InboundState)


class OfficialArgs(ListArgs):
    pass


class Page(Schema):
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as ?cursor= for the next page; null on the last."},
    )


class Organisation(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    name_fr = fields.String(allow_none=True)
    acronym = fields.String(allow_none=True)


class OfficialRole(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    title_fr = fields.String(allow_none=True)
    organisation = fields.Nested(Organisation, allow_none=True)
    start_on = fields.Date(allow_none=True)
    end_on = fields.Date(allow_none=True)
    source = fields.String(required=True)
    is_current = fields.Boolean(required=True)


class Office(Schema):
    type = fields.String(allow_none=True)
    postal = fields.String(allow_none=True)
    tel = fields.String(allow_none=True)


class Official(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(
        attribute="ourcommons_id",
        allow_none=True,
        metadata={"description": "The House of Commons PersonId, when the official has one."},
    )
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    full_name = fields.String(required=True)
    honorific = fields.String(allow_none=True)
    party = fields.String(allow_none=True)
    constituency = fields.String(allow_none=True)
    province = fields.String(allow_none=True)
    preferred_language = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    offices = fields.List(fields.Nested(Office))
    roles = fields.List(fields.Nested(OfficialRole), required=True)
    updated_at = fields.AwareDateTime(required=True)


class OfficialPage(Page):
    items = fields.List(fields.Nested(Official), required=True)


class Signatory(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    organisation_id = fields.Integer(allow_none=True)
    is_lead = fields.Boolean(required=True)


STATUS_COUNTS: dict[str, fields.Field[Any]] = {
    slug: fields.Integer(required=True) for slug in STATUS_SLUGS
}
Counts = Schema.from_dict(STATUS_COUNTS, name="Counts")


class Campaign(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    title_fr = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    status = one_of(CampaignStatus, required=True)
    letter_on = fields.Date(allow_none=True)
    default_language = fields.String(required=True)
    signatories = fields.List(fields.Nested(Signatory), required=True)
    recipients = fields.Integer(
        required=True, metadata={"description": "How many recipients the letter has."}
    )
    counts = fields.Nested(
        Counts,
        required=True,
        metadata={"description": "Recipients by status, counted as the campaign page counts."},
    )
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class CampaignPage(Page):
    items = fields.List(fields.Nested(Campaign), required=True)


class Recipient(Schema):
    id = fields.Integer(required=True)
    campaign_id = fields.Integer(required=True)
    official_id = fields.Integer(required=True)
    role_title = fields.String(allow_none=True)
    address_line = fields.String(required=True, attribute="addressed_as")
    salutation = fields.String(required=True)
    language = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUS_SLUGS))
    sent_on = fields.Date(allow_none=True)
    replied_on = fields.Date(allow_none=True)
    letter_state = one_of(
        LetterState,
        allow_none=True,
        metadata={"description": "Where its e-mailed letter stands; null if never e-mailed."},
    )
    created_at = fields.AwareDateTime(required=True)


class RecipientPage(Page):
    items = fields.List(fields.Nested(Recipient), required=True)


class OnRecipient(Schema):
    """A row that, when it concerns a letter, is placed on its recipient (and so its campaign)."""

    id = fields.Integer(required=True)
    recipient_id = fields.Integer(allow_none=True)
    campaign_id = fields.Integer(allow_none=True)


class AboutOfficial(OnRecipient):
    """A row kept about an official, letter or not (the log's entries, follow-ups)."""

    official_id = fields.Integer(required=True)


class Interaction(AboutOfficial):
    kind = one_of(InteractionKind, required=True)
    occurred_on = fields.Date(required=True)
    channel = fields.String(allow_none=True)
    reply_class = fields.String(allow_none=True)
    summary = Text(allow_none=True)
    stance = fields.String(allow_none=True)
    logged_from = fields.String(required=True)
    recorded_by_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class InteractionPage(Page):
    items = fields.List(fields.Nested(Interaction), required=True)


class FollowUp(AboutOfficial):
    due_on = fields.Date(required=True)
    status = one_of(FollowUpStatus, required=True)
    assignee_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    completion_note = fields.String(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime(required=True)


class FollowUpPage(Page):
    items = fields.List(fields.Nested(FollowUp), required=True)


class Message(OnRecipient):
    kind = fields.String(required=True)
    state = one_of(InboundState, required=True)
    received_at = fields.AwareDateTime(required=True)
    sent_at = fields.AwareDateTime(allow_none=True)
    from_address = fields.String(allow_none=True)
    from_name = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    interaction_id = fields.Integer(allow_none=True)
    body = fields.String(
        allow_none=True,
        metadata={
            "description": "The reply as read (quoted letter stripped); null for a role "
            "that may not read message bodies."
        },
    )


class MessagePage(Page):
    items = fields.List(fields.Nested(Message), required=True)


class Outcome(Schema):
    recipient_id = fields.Integer(required=True)
    official_id = fields.Integer(required=True)
    in_house = fields.Boolean(required=True)
    since = fields.Date(allow_none=True)
    checked_to = fields.Date(allow_none=True)
    spoke = fields.Integer(required=True, metadata={"description": "Interventions on the subject."})
    interjections = fields.Integer(required=True)
    last_spoken_on = fields.Date(allow_none=True)
    last_record_url = fields.String(allow_none=True)


class OutcomeList(Schema):
    items = fields.List(fields.Nested(Outcome), required=True)


class NewInteraction(Schema):
    """An entry of the log, as the quick-log page records it."""

    recipient_id = row_id(
        metadata={"description": "The campaign recipient; or give campaign_id and official_id."},
    )
    campaign_id = row_id()
    official_id = row_id()
    kind = one_of(InteractionKind, required=True)
    occurred_on = fields.Date(required=True)
    channel = one_of(Channel, allow_none=True)
    reply_class = one_of(ReplyClass, allow_none=True)
    summary = fields.String(validate=validate.Length(max=10_000), allow_none=True)
    stance = fields.String(validate=validate.Length(max=80), allow_none=True)
    official_attendees = fields.String(validate=validate.Length(max=2000), allow_none=True)
    coalition_attendees = fields.String(validate=validate.Length(max=2000), allow_none=True)
    asks_made = fields.String(validate=validate.Length(max=10_000), allow_none=True)
    commitments = fields.String(validate=validate.Length(max=10_000), allow_none=True)


class CompleteFollowUp(Schema):
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    next_due_on = fields.Date(allow_none=True)
    next_note = fields.String(validate=validate.Length(max=2000), allow_none=True)


class NewRecipient(Schema):
    """An official to address the letter to: by Hilltrack id or House of Commons PersonId."""

    official_id = row_id()
    person_id = row_id()
    language = fields.String(validate=validate.OneOf(["en", "fr"]), allow_none=True)


class Token(Schema):
    """The token this call used: whose it is and what it may do."""

    name = fields.String(required=True)
    scope = one_of(ApiScope, required=True)
    role = fields.String(required=True)
    language = fields.String(required=True)
    expires_at = fields.AwareDateTime(allow_none=True)
