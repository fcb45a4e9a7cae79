"""The closed vocabularies of Hilltrack, stored as their string values."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def N_(context: str, text: str) -> tuple[str, str]:
    """Mark a label for the catalogue (`pybabel extract -k N_:1c,2`), with its enum as context:
    the same English word can take two French forms ("Sent": an entry, a letter)."""
    return context, text


def translated(context: str, text: str) -> str:
    """``text`` in the language of the page being built (English outside one): a look-up in
    the request's bound catalogue (a page shows hundreds of labels)."""
    from tracker.catalogue import bound

    return bound().label(context, text)


class StrEnum(enum.StrEnum):
    """An enum whose members compare equal to their stored string value."""

    @property
    def english(self) -> str:
        """The label as data (exports, the audit trail): always English."""
        marked = LABELS.get((type(self).__name__, self.value))
        return marked[1] if marked else self.value.replace("_", " ").capitalize()

    @property
    def label(self) -> str:
        """The label in the page's language."""
        return translated(type(self).__name__, self.english)


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


class ApiScope(StrEnum):
    """What an API token may do: read, or read and write (never more than its owner may)."""

    READ = "read"
    WRITE = "write"


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


class AddressForm(StrEnum):
    """How a person is addressed in a letter: Madame, Monsieur, or neither (a neutral form)."""

    MADAME = "madame"
    MONSIEUR = "monsieur"
    NEITHER = "neither"


class AddressFormSource(StrEnum):
    """Where an official's form of address came from; never a guess from a first name."""

    REPRESENT = "represent"  # Represent's `gender` field
    COORDINATOR = "coordinator"  # chosen on the official's page


class FrenchOpening(StrEnum):
    """A campaign's neutral French salutation, for a recipient whose form of address is unknown."""

    MADAME_MONSIEUR = "madame_monsieur"  # the traditional one
    BONJOUR = "bonjour"  # the inclusive one the OQLF accepts


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


class LoggedFrom(StrEnum):
    """Where an entry of the log came from: a person, a file, or Hilltrack itself."""

    PERSON = "person"  # a form filled in by the person who recorded it
    FILE = "file"  # a file of past outreach
    SENDING = "sending"  # the worker sent the letter by e-mail, at a coordinator's request
    MAIL = "mail"  # the e-mail that came back (a reply, an acknowledgement, a bounce)


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


class WebhookEvent(StrEnum):
    """What a webhook subscription may hear of: the facts Hilltrack records as they happen."""

    INTERACTION_LOGGED = "interaction.logged"
    RECIPIENT_STATUS_CHANGED = "recipient.status_changed"
    LETTER_SENT = "letter.sent"
    LETTER_BOUNCED = "letter.bounced"
    MESSAGE_IN_TRIAGE = "message.waiting_in_triage"
    OUTCOME_FOUND = "outcome.found"
    # Sent only by the page's "send a test event" button, to the one subscription.
    TEST = "test"


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENDING = "sending"  # claimed by a worker (committed before the request goes out)
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # still refused after a day of attempts
    ABANDONED = "abandoned"  # never sent: its subscription was paused or deleted


class LetterState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    BOUNCED = "bounced"  # the mail server refused it for good (5xx)
    FAILED = "failed"  # never handed over: bad settings, unreachable server, retries spent
    UNKNOWN = "unknown"  # the worker stopped while the server had it: a person decides
    # Queued or sending in a backup that was restored: it may have gone after the copy was made,
    # so it is held until a person says whether it went, as for an unknown one.
    RESTORED = "restored"
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


# Every label, marked for the catalogue; (enum, value) -> (context, English).
LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("UserRole", "volunteer"): N_("UserRole", "Volunteer"),
    ("UserRole", "coordinator"): N_("UserRole", "Coordinator"),
    ("UserRole", "admin"): N_("UserRole", "Admin"),
    ("ApiScope", "read"): N_("ApiScope", "Read"),
    ("ApiScope", "write"): N_("ApiScope", "Read and write"),
    ("RoleKind", "mp"): N_("RoleKind", "MP"),
    ("RoleKind", "prime_minister"): N_("RoleKind", "Prime Minister"),
    ("RoleKind", "minister"): N_("RoleKind", "Minister"),
    ("RoleKind", "secretary_of_state"): N_("RoleKind", "Secretary of state"),
    ("RoleKind", "parliamentary_secretary"): N_("RoleKind", "Parliamentary secretary"),
    ("RoleKind", "committee_chair"): N_("RoleKind", "Committee chair"),
    ("RoleKind", "committee_vice_chair"): N_("RoleKind", "Committee vice chair"),
    ("RoleKind", "committee_member"): N_("RoleKind", "Committee member"),
    ("RoleKind", "house_officer"): N_("RoleKind", "House officer"),
    ("RoleKind", "senator"): N_("RoleKind", "Senator"),
    ("RoleKind", "diplomat"): N_("RoleKind", "Diplomat"),
    ("RoleKind", "public_servant"): N_("RoleKind", "Public servant"),
    ("RoleKind", "other"): N_("RoleKind", "Other"),
    ("OrganisationKind", "committee"): N_("OrganisationKind", "Committee"),
    ("OrganisationKind", "department"): N_("OrganisationKind", "Department"),
    ("OrganisationKind", "caucus"): N_("OrganisationKind", "Caucus"),
    ("OrganisationKind", "legislature"): N_("OrganisationKind", "Legislature"),
    ("OrganisationKind", "mission"): N_("OrganisationKind", "Mission"),
    ("OrganisationKind", "coalition_member"): N_("OrganisationKind", "Coalition member"),
    ("OrganisationKind", "other"): N_("OrganisationKind", "Other"),
    ("CampaignStatus", "draft"): N_("CampaignStatus", "Draft"),
    ("CampaignStatus", "active"): N_("CampaignStatus", "Active"),
    ("CampaignStatus", "closed"): N_("CampaignStatus", "Closed"),
    ("CampaignStatus", "archived"): N_("CampaignStatus", "Archived"),
    ("SignatoryKind", "organisation"): N_("SignatoryKind", "Organisation"),
    ("SignatoryKind", "individual"): N_("SignatoryKind", "Individual"),
    ("InteractionKind", "sent"): N_("InteractionKind", "Sent"),
    ("InteractionKind", "delivery_confirmed"): N_("InteractionKind", "Delivery confirmed"),
    ("InteractionKind", "bounced"): N_("InteractionKind", "Bounced"),
    ("InteractionKind", "reply_received"): N_("InteractionKind", "Reply received"),
    ("InteractionKind", "meeting_requested"): N_("InteractionKind", "Meeting requested"),
    ("InteractionKind", "meeting_held"): N_("InteractionKind", "Meeting held"),
    ("InteractionKind", "call"): N_("InteractionKind", "Call"),
    ("InteractionKind", "note"): N_("InteractionKind", "Note"),
    ("LoggedFrom", "person"): N_("LoggedFrom", "Recorded by a person"),
    ("LoggedFrom", "file"): N_("LoggedFrom", "Imported from a file"),
    ("LoggedFrom", "sending"): N_("LoggedFrom", "Sent by Hilltrack"),
    ("LoggedFrom", "mail"): N_("LoggedFrom", "Logged from the mail that came back"),
    ("Channel", "email"): N_("Channel", "Email"),
    ("Channel", "post"): N_("Channel", "Post"),
    ("Channel", "hand_delivery"): N_("Channel", "Hand delivery"),
    ("Channel", "fax"): N_("Channel", "Fax"),
    ("Channel", "web_form"): N_("Channel", "Web form"),
    ("Channel", "social_media"): N_("Channel", "Social media"),
    ("Channel", "phone"): N_("Channel", "Phone"),
    ("Channel", "in_person"): N_("Channel", "In person"),
    ("Channel", "video"): N_("Channel", "Video"),
    ("ReplyClass", "substantive"): N_("ReplyClass", "Substantive"),
    ("ReplyClass", "form_letter"): N_("ReplyClass", "Form letter"),
    ("ReplyClass", "acknowledgement"): N_("ReplyClass", "Acknowledgement"),
    ("ReplyClass", "declined"): N_("ReplyClass", "Declined"),
    ("ReplyClass", "not_expected"): N_("ReplyClass", "Not expected"),
    ("FollowUpStatus", "open"): N_("FollowUpStatus", "Open"),
    ("FollowUpStatus", "done"): N_("FollowUpStatus", "Done"),
    ("FollowUpStatus", "cancelled"): N_("FollowUpStatus", "Cancelled"),
    ("ImportStatus", "running"): N_("ImportStatus", "Running"),
    ("ImportStatus", "succeeded"): N_("ImportStatus", "Succeeded"),
    ("ImportStatus", "partial"): N_("ImportStatus", "Partial"),
    ("ImportStatus", "failed"): N_("ImportStatus", "Failed"),
    ("ImportStatus", "dry_run"): N_("ImportStatus", "Preview"),
    ("ReviewKind", "ambiguous_match"): N_("ReviewKind", "Ambiguous match"),
    ("ReviewKind", "uncertain_match"): N_("ReviewKind", "Uncertain match"),
    ("ReviewKind", "field_conflict"): N_("ReviewKind", "Field conflict"),
    ("ReviewStatus", "open"): N_("ReviewStatus", "Open"),
    ("ReviewStatus", "resolved"): N_("ReviewStatus", "Resolved"),
    ("JobState", "waiting"): N_("JobState", "Waiting"),
    ("JobState", "running"): N_("JobState", "Running"),
    ("JobState", "done"): N_("JobState", "Done"),
    ("JobState", "failed"): N_("JobState", "Failed"),
    ("LetterState", "queued"): N_("LetterState", "Queued"),
    ("LetterState", "sending"): N_("LetterState", "Sending"),
    ("LetterState", "sent"): N_("LetterState", "Sent"),
    ("LetterState", "bounced"): N_("LetterState", "Bounced"),
    ("LetterState", "failed"): N_("LetterState", "Failed"),
    ("LetterState", "unknown"): N_("LetterState", "Unknown"),
    ("LetterState", "restored"): N_("LetterState", "Restored from a backup"),
    ("LetterState", "cancelled"): N_("LetterState", "Cancelled"),
    ("InboundKind", "reply"): N_("InboundKind", "Reply"),
    ("InboundKind", "auto_reply"): N_("InboundKind", "Automatic reply"),
    ("InboundKind", "bounce"): N_("InboundKind", "Bounce"),
    ("InboundKind", "unreadable"): N_("InboundKind", "Unreadable"),
    ("InboundState", "placed"): N_("InboundState", "Placed"),
    ("InboundState", "triage"): N_("InboundState", "Triage"),
    ("InboundState", "not_outreach"): N_("InboundState", "Not outreach"),
    ("AddressForm", "madame"): N_("AddressForm", "Madame (Ms.)"),
    ("AddressForm", "monsieur"): N_("AddressForm", "Monsieur (Mr.)"),
    ("AddressForm", "neither"): N_("AddressForm", "Neither (a neutral form)"),
    ("AddressFormSource", "represent"): N_("AddressFormSource", "from Represent"),
    ("AddressFormSource", "coordinator"): N_("AddressFormSource", "chosen by a coordinator"),
    ("FrenchOpening", "madame_monsieur"): N_("FrenchOpening", "Madame, Monsieur,"),
    ("FrenchOpening", "bonjour"): N_("FrenchOpening", "Bonjour,"),
}
