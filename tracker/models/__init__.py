"""Every model, importable from one place (Alembic reads Base.metadata from here)."""

from tracker.models.accounts import AuditEvent, SignInAttempt, User
from tracker.models.enums import (
    CampaignStatus,
    Channel,
    FollowUpStatus,
    ImportStatus,
    InboundKind,
    InboundState,
    InteractionKind,
    JobState,
    LetterState,
    OrganisationKind,
    ReplyClass,
    ReviewKind,
    ReviewStatus,
    RoleKind,
    SignatoryKind,
    UserRole,
)
from tracker.models.imports import ImportReview, ImportRun
from tracker.models.inbound import InboundAttachment, InboundMessage, KnownSender
from tracker.models.officials import Official, OfficialIdentifier, Organisation, Role
from tracker.models.outreach import (
    Campaign,
    CampaignTally,
    FollowUp,
    Interaction,
    Recipient,
    ReplyTally,
    Signatory,
)
from tracker.models.queue import Job, Letter

__all__ = [
    "AuditEvent",
    "Campaign",
    "CampaignStatus",
    "CampaignTally",
    "Channel",
    "FollowUp",
    "FollowUpStatus",
    "ImportReview",
    "ImportRun",
    "ImportStatus",
    "InboundAttachment",
    "InboundKind",
    "InboundMessage",
    "InboundState",
    "Interaction",
    "InteractionKind",
    "Job",
    "JobState",
    "KnownSender",
    "Letter",
    "LetterState",
    "Official",
    "OfficialIdentifier",
    "Organisation",
    "OrganisationKind",
    "Recipient",
    "ReplyClass",
    "ReplyTally",
    "ReviewKind",
    "ReviewStatus",
    "Role",
    "RoleKind",
    "SignInAttempt",
    "Signatory",
    "SignatoryKind",
    "User",
    "UserRole",
]
