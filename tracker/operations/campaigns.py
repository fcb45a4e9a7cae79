"""Campaigns (letters), their co-signatories, and who they are addressed to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker import clock
from tracker.errors import OperationError
from tracker.models import (
    Campaign,
    CampaignStatus,
    FollowUp,
    FrenchOpening,
    Interaction,
    Official,
    Recipient,
    Role,
    RoleKind,
    User,
)
from tracker.operations import audit
from tracker.operations.officials import ConflictError
from tracker.operations.recipients import (
    check_language,
    language_for,
    note_line_languages,
    readdressing,
)
from tracker.rules.address import NEUTRAL_FR, address_line, addressee_for, salutation
from tracker.rules.line_language import LINE_LANGUAGE, languages_after_change

CAMPAIGN_FIELDS = (
    "title",
    "subject",
    "summary",
    "asks",
    "body",
    "title_fr",
    "subject_fr",
    "summary_fr",
    "asks_fr",
    "body_fr",
    "default_language",
    "letter_on",
    "link_url",
    "status",
    "french_opening",  # forms of address (letter-address)
)


def _clean(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        k: (v.strip() if isinstance(v, str) else v) or None
        for k, v in values.items()
        if k in fields
    }


def _check_texts(clean: dict[str, Any], default_language: str) -> None:
    """A title in some language, a title for each language the letter is written in, and the
    English title standing in as the lists' name when only the French one is given."""
    if not clean.get("title") and not clean.get("title_fr"):
        raise OperationError(_("Give the campaign a title."), field="title")
    if clean.get("body_fr") and not clean.get("title_fr"):
        raise OperationError(_("Give the French version a title."), field="title_fr")
    if clean.get("body") and not clean.get("title"):
        raise OperationError(_("Give the English version a title."), field="title")
    clean["title"] = clean.get("title") or clean["title_fr"]
    clean["default_language"] = check_language(clean.get("default_language") or default_language)


def create_campaign(session: Session, values: dict[str, Any], *, actor: User) -> Campaign:
    """Create a campaign owned by ``actor``."""
    clean = _clean(values, CAMPAIGN_FIELDS)
    _check_texts(clean, "en")
    clean["status"] = CampaignStatus(clean.get("status") or CampaignStatus.DRAFT)
    clean["french_opening"] = FrenchOpening(
        clean.get("french_opening") or FrenchOpening.MADAME_MONSIEUR
    )
    campaign = Campaign(**clean, owner_id=actor.id)
    session.add(campaign)
    session.flush()
    audit.record(
        session,
        "campaign.create",
        actor=actor,
        obj=campaign,
        after={k: audit.plain(v) for k, v in clean.items() if v},
    )
    return campaign


def update_campaign(
    session: Session, campaign: Campaign, values: dict[str, Any], *, version: int, actor: User
) -> dict[str, Any]:
    """Save edits if nobody saved in between (else ConflictError, nothing written)."""
    if version != campaign.version:
        raise ConflictError({f: getattr(campaign, f) for f in CAMPAIGN_FIELDS})
    current = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS}
    clean = {**current, **_clean(values, CAMPAIGN_FIELDS)}  # fields not given stay as they are
    _check_texts(clean, campaign.default_language)
    clean["status"] = CampaignStatus(clean.get("status") or campaign.status)
    opening = FrenchOpening(clean.get("french_opening") or campaign.french_opening)
    clean["french_opening"] = opening
    _regreet(campaign, campaign.french_opening, opening)
    before, after = audit.changes(campaign, clean)
    if after:
        session.flush()
        audit.record(
            session, "campaign.update", actor=actor, obj=campaign, before=before, after=after
        )
    return after


def _regreet(campaign: Campaign, old: FrenchOpening, new: FrenchOpening) -> None:
    """French recipients greeted with the campaign's old neutral opening get the new one."""
    if old == new:
        return
    for recipient in campaign.recipients:
        if recipient.language == "fr" and recipient.salutation == NEUTRAL_FR[old]:
            recipient.salutation = NEUTRAL_FR[new]


# -- recipients ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSelection:
    """A "by role" choice of recipients: what a coordinator picks in one step."""

    kind: str  # ministers, secretaries_of_state, parliamentary_secretaries, committee_leads,
    # committee_members, party, province
    value: str = ""  # a minister's title, a committee id, a party or a province


def _current(query: Any, on: dt.date) -> Any:
    return query.where(
        (Role.start_on.is_(None)) | (Role.start_on <= on),
        (Role.end_on.is_(None)) | (Role.end_on >= on),
    )


def officials_by_role(
    session: Session, selection: RoleSelection, on: dt.date
) -> list[tuple[Official, Role]]:
    """Officials holding the selected kind of role on ``on``, with that role."""
    query = select(Role).options(
        selectinload(Role.official).selectinload(Official.roles), selectinload(Role.organisation)
    )
    kinds = {
        "ministers": [RoleKind.PRIME_MINISTER, RoleKind.MINISTER],
        "secretaries_of_state": [RoleKind.SECRETARY_OF_STATE],
        "parliamentary_secretaries": [RoleKind.PARLIAMENTARY_SECRETARY],
        "committee_leads": [RoleKind.COMMITTEE_CHAIR, RoleKind.COMMITTEE_VICE_CHAIR],
        "committee_members": [
            RoleKind.COMMITTEE_CHAIR,
            RoleKind.COMMITTEE_VICE_CHAIR,
            RoleKind.COMMITTEE_MEMBER,
        ],
        "party": [RoleKind.MP],
        "province": [RoleKind.MP],
    }.get(selection.kind)
    if kinds is None:
        raise OperationError(_("Choose which officials to add."))
    query = _current(query.where(Role.kind.in_(kinds)), on)
    if selection.kind.startswith("committee"):
        if not selection.value.isdigit():
            raise OperationError(_("Choose a committee."), field="value")
        query = query.where(Role.organisation_id == int(selection.value))
    elif selection.kind == "parliamentary_secretaries" and selection.value:
        query = query.where(Role.title.like(f"%to the {selection.value}%"))
    elif selection.kind in {"party", "province"}:
        if not selection.value:
            raise OperationError(
                _("Choose a party.") if selection.kind == "party" else _("Choose a province."),
                field="value",
            )
        column = Official.party if selection.kind == "party" else Official.province
        query = query.join(Role.official).where(column == selection.value)
    roles = session.scalars(query).all()
    chosen: dict[int, Role] = {}
    for role in sorted(roles, key=_role_rank):
        chosen.setdefault(role.official_id, role)  # the senior role when someone holds two
    return sorted(
        ((r.official, r) for r in chosen.values()),
        key=lambda pair: (_role_rank(pair[1]), pair[0].family_name),
    )


def _role_rank(role: Role) -> tuple[int, str]:
    order = [
        RoleKind.PRIME_MINISTER,
        RoleKind.MINISTER,
        RoleKind.SECRETARY_OF_STATE,
        RoleKind.COMMITTEE_CHAIR,
        RoleKind.COMMITTEE_VICE_CHAIR,
        RoleKind.PARLIAMENTARY_SECRETARY,
        RoleKind.COMMITTEE_MEMBER,
    ]
    return (order.index(role.kind) if role.kind in order else len(order), role.title)


def current_role(official: Official, on: dt.date) -> Role | None:
    """The official's most senior role on ``on`` (for a recipient added by name)."""
    held = [
        r
        for r in official.roles
        if (r.start_on is None or r.start_on <= on) and (r.end_on is None or r.end_on >= on)
    ]
    return min(held, key=_role_rank) if held else None


@dataclass(frozen=True)
class PlannedRecipient:
    """Who a by-role choice would add, addressed as the letter would address them."""

    official: Official
    role: Role | None
    addressed_as: str
    salutation: str
    already: bool  # already a recipient: adding skips them
    language: str = "en"


def existing_recipients(session: Session, campaign: Campaign) -> set[int]:
    """The ids of the officials the campaign is addressed to already."""
    return set(
        session.scalars(select(Recipient.official_id).where(Recipient.campaign_id == campaign.id))
    )


def planned_recipients(
    campaign: Campaign,
    chosen: Sequence[tuple[Official, Role | None]],
    existing: set[int],
    *,
    language: str | None = None,
    post_nominals: bool = True,
) -> list[PlannedRecipient]:
    """Each chosen official with the address line and salutation as of the letter's date, in
    ``language`` or else their own (language_for); an official listed twice, or already on the
    campaign, is marked ``already``."""
    on = campaign.letter_on or clock.today()
    seen = set(existing)
    lines = []
    for official, role in chosen:
        who = addressee_for(official, role, on)
        theirs = language_for(campaign, official, language)
        lines.append(
            PlannedRecipient(
                official,
                role,
                address_line(who, theirs, post_nominals=post_nominals),
                salutation(who, theirs, campaign.french_opening),
                already=official.id in seen,
                language=theirs,
            )
        )
        seen.add(official.id)
    return lines


def add_recipients(
    session: Session,
    campaign: Campaign,
    chosen: Sequence[tuple[Official, Role | None]],
    *,
    language: str | None = None,
    post_nominals: bool = True,
    actor: User | None,
) -> tuple[list[Recipient], int]:
    """Address the campaign to each official, with the role and forms of address as of the
    letter's date; officials already on it are skipped. Returns (added, skipped)."""
    existing = existing_recipients(session, campaign)
    position = (
        session.scalar(
            select(func.max(Recipient.position)).where(Recipient.campaign_id == campaign.id)
        )
        or 0
    )
    added = []
    for line in planned_recipients(
        campaign, chosen, existing, language=language, post_nominals=post_nominals
    ):
        if line.already:
            continue
        position += 1
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=line.official.id,
            role_id=line.role.id if line.role else None,
            party=line.official.party,
            role_kind=line.role.kind.value if line.role else None,
            position=position,
            role_title=line.role.title if line.role else None,
            language=line.language,
            addressed_as=line.addressed_as,
            salutation=line.salutation,
            address_line_language=line.language,
            salutation_language=line.language,
        )
        session.add(recipient)
        added.append(recipient)
    session.flush()
    for recipient in added:
        audit.record(
            session,
            "recipient.create",
            actor=actor,
            obj=recipient,
            after={
                "campaign_id": campaign.id,
                "official_id": recipient.official_id,
                "addressed_as": recipient.addressed_as,
            },
        )
    return added, len(chosen) - len(added)


def update_recipient(
    session: Session,
    recipient: Recipient,
    *,
    addressed_as: str,
    salutation_text: str,
    actor: User,
    email_override: str | None = None,
    language: str | None = None,
) -> tuple[str, ...]:
    """Correct how the letter addressed this recipient, where its e-mail goes and its language.
    A new language with the address line and salutation left as they were writes those two
    again in that language; returns the titles with no French form for which the address line
    was kept as it was (see ``readdressing``)."""
    if not addressed_as.strip() or not salutation_text.strip():
        raise OperationError(_("Both the address line and the salutation are needed."))
    values = {
        "addressed_as": addressed_as.strip(),
        "salutation": salutation_text.strip(),
        "email_override": (email_override or "").strip() or None,
    }
    untranslated: tuple[str, ...] = ()
    edited = [line for line in LINE_LANGUAGE if values[line] != getattr(recipient, line)]
    languages: dict[str, str | None] = {}
    if language and language != recipient.language:
        values["language"] = check_language(language)
        rewritten: dict[str, str] = {}
        if not edited:
            written = readdressing(session, recipient, language)
            rewritten, untranslated = written.values, written.untranslated
            values.update(rewritten)
        languages = languages_after_change(recipient, rewritten, language)
    # A line a person wrote is in the letter's language; one left as it was keeps its own.
    languages.update({LINE_LANGUAGE[line]: None for line in edited})
    note_line_languages(recipient, languages)
    before, after = audit.changes(recipient, values)
    if after:
        session.flush()
        audit.record(
            session, "recipient.update", actor=actor, obj=recipient, before=before, after=after
        )
    return untranslated


def remove_recipient(session: Session, recipient: Recipient, *, actor: User) -> None:
    """Take a recipient off a campaign, only while nothing has been recorded for them."""
    history = [Interaction.recipient_id == recipient.id, FollowUp.recipient_id == recipient.id]
    if any(session.scalar(select(func.count()).where(condition)) for condition in history):
        raise OperationError(_("This recipient has recorded history; it cannot be removed."))
    audit.record(
        session,
        "recipient.delete",
        actor=actor,
        obj=recipient,
        before={
            "campaign_id": recipient.campaign_id,
            "official_id": recipient.official_id,
            "addressed_as": recipient.addressed_as,
        },
    )
    session.delete(recipient)
    session.flush()
