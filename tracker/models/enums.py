"""The closed vocabularies of Hilltrack, stored as their string values."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class StrEnum(enum.StrEnum):
    """An enum whose members compare equal to their stored string value."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum column: a VARCHAR holding the member's value, no native type."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class UserRole(StrEnum):
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(UserRole).index(self)


class RoleKind(StrEnum):
    MP = "mp"
    PRIME_MINISTER = "prime_minister"
    MINISTER = "minister"
    SECRETARY_OF_STATE = "secretary_of_state"
    PARLIAMENTARY_SECRETARY = "parliamentary_secretary"
    COMMITTEE_CHAIR = "committee_chair"
    COMMITTEE_VICE_CHAIR = "committee_vice_chair"
    COMMITTEE_MEMBER = "committee_member"
    HOUSE_OFFICER = "house_officer"
    SENATOR = "senator"
    DIPLOMAT = "diplomat"
    PUBLIC_SERVANT = "public_servant"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"mp": "MP", "prime_minister": "Prime Minister"}.get(self.value, super().label)


class OrganisationKind(StrEnum):
    COMMITTEE = "committee"
    DEPARTMENT = "department"
    CAUCUS = "caucus"
    LEGISLATURE = "legislature"
    MISSION = "mission"
    COALITION_MEMBER = "coalition_member"
    OTHER = "other"


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"
    ARCHIVED = "archived"


class SignatoryKind(StrEnum):
    ORGANISATION = "organisation"
    INDIVIDUAL = "individual"


class InteractionKind(StrEnum):
    SENT = "sent"
    DELIVERY_CONFIRMED = "delivery_confirmed"
    BOUNCED = "bounced"
    REPLY_RECEIVED = "reply_received"
    MEETING_REQUESTED = "meeting_requested"
    MEETING_HELD = "meeting_held"
    CALL = "call"
    NOTE = "note"


class Channel(StrEnum):
    EMAIL = "email"
    POST = "post"
    HAND_DELIVERY = "hand_delivery"
    FAX = "fax"
    WEB_FORM = "web_form"
    SOCIAL_MEDIA = "social_media"
    PHONE = "phone"
    IN_PERSON = "in_person"
    VIDEO = "video"


class ReplyClass(StrEnum):
    SUBSTANTIVE = "substantive"
    FORM_LETTER = "form_letter"
    ACKNOWLEDGEMENT = "acknowledgement"
    DECLINED = "declined"
    NOT_EXPECTED = "not_expected"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ImportStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # some sources failed alone; the others applied
    FAILED = "failed"
    DRY_RUN = "dry_run"


class ReviewKind(StrEnum):
    AMBIGUOUS_MATCH = "ambiguous_match"
    UNCERTAIN_MATCH = "uncertain_match"
    FIELD_CONFLICT = "field_conflict"


class ReviewStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class JobState(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class LetterState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    BOUNCED = "bounced"  # the mail server refused it for good (5xx)
    FAILED = "failed"  # never handed over: bad settings, unreachable server, retries spent
    UNKNOWN = "unknown"  # the worker stopped while the server had it: a person decides
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in {LetterState.SENT, LetterState.BOUNCED, LetterState.CANCELLED}


class InboundKind(StrEnum):
    REPLY = "reply"  # written by a person
    AUTO_REPLY = "auto_reply"  # an acknowledgement or out-of-office (RFC 3834 and kin)
    BOUNCE = "bounce"  # a delivery-status report: the letter did not arrive
    UNREADABLE = "unreadable"  # could not be parsed: kept raw with the error


class InboundState(StrEnum):
    PLACED = "placed"  # logged on a letter's recipient
    TRIAGE = "triage"  # waits for a person
    NOT_OUTREACH = "not_outreach"  # a person said it is not about a letter
