"""Demo data: the September 2023 open letter, its 23 signatories and 15 recipients.

The recipients keep the role and the address line the letter used; officials the feeds do not
cover (a Global Affairs Canada official) are created. Loading twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.names import fold, name_key
from tracker import clock
from tracker.models import (
    Campaign,
    CampaignStatus,
    Official,
    OrganisationKind,
    Recipient,
    Role,
    RoleKind,
    SignatoryKind,
    User,
    UserRole,
)
from tracker.operations import audit
from tracker.operations.accounts import create_user_with_one_time_password, find_user_by_email
from tracker.operations.campaigns import create_campaign
from tracker.operations.officials import (
    NewRole,
    add_role,
    create_official,
    find_or_create_organisation,
)
from tracker.operations.outcomes import set_subject_words
from tracker.operations.signatories import add_signatory
from tracker.paths import PACKAGE_DIR
from tracker.queries.outcomes import subject_rows
from tracker.rules.address import Addressee, address_line, kind_named_by, salutation

DATA = PACKAGE_DIR / "demo_data"
LETTER = "letter-2023-09-07"
# Recipients whose letter is in French (the rest read English), by given and family name.
IN_FRENCH = {("Stéphane", "Bergeron")}
# English short forms, for names a letter writes differently from the feed's official name.
SHORT_FORMS = [
    {"robert", "rob", "bob", "bobby"},
    {"william", "bill", "will"},
    {"richard", "rick", "dick"},
    {"james", "jim"},
    {"michael", "mike"},
    {"elizabeth", "liz", "beth"},
    {"catherine", "cathy", "kate"},
]
HONORIFICS = {"The Right Honourable": "Right Hon.", "The Honourable": "Hon."}
KINDS = {
    "committee_chair": RoleKind.COMMITTEE_CHAIR,
    "committee_vice_chair": RoleKind.COMMITTEE_VICE_CHAIR,
}
NOT_IN_FEEDS = {RoleKind.DIPLOMAT, RoleKind.PUBLIC_SERVANT}
# Roles the bundled feeds do not carry: recorded as the letter names them, held on its date and
# sourced to it, so adding by role works on the demo data and the record says where it came from.
AS_THE_LETTER_SAYS = {
    RoleKind.COMMITTEE_CHAIR,
    RoleKind.COMMITTEE_VICE_CHAIR,
    RoleKind.PARLIAMENTARY_SECRETARY,
}
# What the letter is about, for "What was said since the letter": the words and their usual
# variants in each language (matched whole, accents and case ignored).
SUBJECT_WORDS_EN = (
    "Armenia",
    "Armenian",
    "Armenians",
    "Azerbaijan",
    "Azerbaijani",
    "Azerbaijanis",
    "Nagorno-Karabakh",
    "Karabakh",
    "Artsakh",
    "Lachin",
)
SUBJECT_WORDS_FR = (
    "Arménie",
    "arménien",
    "arménienne",
    "arméniens",
    "arméniennes",
    "Azerbaïdjan",
    "azerbaïdjanais",
    "azerbaïdjanaise",
    "Haut-Karabakh",
    "Artsakh",
    "Latchine",
)
COMMITTEE_ACRONYM = re.compile(r"\(([A-Z]{4})\)\s*$")


@dataclass
class DemoResult:
    campaign: Campaign
    created: bool
    new_officials: list[str]
    passwords: dict[str, str]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _same_given_name(a: str, b: str) -> bool:
    a, b = fold(a).split(" ")[0], fold(b).split(" ")[0]
    return a == b or any(a in group and b in group for group in SHORT_FORMS)


def resolve_official(session: Session, given: str, family: str) -> Official | None:
    """The one official with this full name, or else with a short form of the given name."""
    exact = session.scalars(select(Official).where(Official.name_key == name_key(given, family)))
    found = list(exact)
    if not found:
        same_family = session.scalars(select(Official).where(Official.family_name == family))
        found = [o for o in same_family if _same_given_name(o.given_name, given)]
    return found[0] if len(found) == 1 else None


def _kind(row: dict[str, str]) -> RoleKind:
    named = kind_named_by(row["title_as_addressed"])
    return named or KINDS.get(row["kind"]) or RoleKind(row["kind"])


def _official_for(
    session: Session, row: dict[str, str], actor: User, created: list[str], letter_on: dt.date
) -> tuple[Official, Role | None]:
    kind = _kind(row)
    official = resolve_official(session, row["given_name"], row["family_name"])
    if official is None:
        official = create_official(
            session,
            {"given_name": row["given_name"], "family_name": row["family_name"]},
            None,
            actor=actor,
        )
        created.append(official.full_name)
    if kind not in NOT_IN_FEEDS | AS_THE_LETTER_SAYS:
        return official, None
    role = next(
        (r for r in official.roles if fold(r.title) == fold(row["title_as_addressed"])), None
    )
    if role is None:
        acronym = COMMITTEE_ACRONYM.search(row["organisation"])
        held_on = letter_on if kind in AS_THE_LETTER_SAYS else None
        role = add_role(
            session,
            official,
            NewRole(
                kind,
                row["title_as_addressed"],
                None if acronym else row["organisation"],
                start_on=held_on,
                end_on=held_on,
                committee_acronym=acronym.group(1) if acronym else None,
            ),
            actor=actor,
            source=f"letter of {letter_on.isoformat()}" if held_on else "manual",
        )
    return official, role


def _demo_user(
    session: Session, email: str, name: str, role: UserRole, passwords: dict[str, str]
) -> User:
    user = find_user_by_email(session, email)
    if user is None:
        user, passwords[email] = create_user_with_one_time_password(
            session, email=email, name=name, role=role, actor=None
        )
    return user


def load_demo(session: Session) -> DemoResult:
    """Load the letter as a campaign (once), with demo volunteer and coordinator accounts."""
    passwords: dict[str, str] = {}
    coordinator = _demo_user(
        session, "demo-coordinator@example.org", "Dana Coordinator", UserRole.COORDINATOR, passwords
    )
    _demo_user(
        session, "demo-volunteer@example.org", "Val Volunteer", UserRole.VOLUNTEER, passwords
    )
    meta = json.loads((DATA / f"{LETTER}.json").read_text(encoding="utf-8"))
    # The French version was written for Hilltrack's demo: the published letter is in English.
    french = json.loads((DATA / f"{LETTER}-fr.json").read_text(encoding="utf-8"))
    existing = session.scalar(select(Campaign).where(Campaign.title == meta["title"]))
    if existing is not None:
        if not subject_rows(session, existing.id):  # loaded before campaigns had subjects
            set_subject_words(session, existing, SUBJECT_WORDS_EN, SUBJECT_WORDS_FR)
        return DemoResult(existing, False, [], passwords)
    campaign = create_campaign(
        session,
        {
            "title": meta["title"],
            "letter_on": dt.date.fromisoformat(meta["sent_on"]),
            "summary": meta["summary"],
            "asks": "\n".join(meta["asks"]),
            # The letter's text for previews and sending: its summary, then its asks as a list.
            "body": _body(meta),
            "title_fr": french["title"],
            "summary_fr": french["summary"],
            "asks_fr": "\n".join(french["asks"]),
            "body_fr": _body(french),
            "status": CampaignStatus.ACTIVE,
        },
        actor=coordinator,
    )
    _add_signatories(session, campaign, meta["author_organisation"], coordinator)
    created: list[str] = []
    _add_letter_recipients(session, campaign, coordinator, created)
    set_subject_words(session, campaign, SUBJECT_WORDS_EN, SUBJECT_WORDS_FR)
    return DemoResult(campaign, True, created, passwords)


def _body(text: dict[str, Any]) -> str:
    return str(text["summary"]) + "\n\n" + "\n".join(f"- {ask}" for ask in text["asks"])


def _add_signatories(session: Session, campaign: Campaign, author: str, actor: User) -> None:
    for row in _rows(f"{LETTER}-signatories.csv"):
        kind = SignatoryKind(row["kind"])
        signatory = add_signatory(
            session,
            campaign,
            name=row["name"],
            kind=kind,
            is_lead=row["name"] == author,
            note=row["note"],
            actor=actor,
        )
        if kind is SignatoryKind.ORGANISATION:
            signatory.organisation_id = find_or_create_organisation(
                session, row["name"], OrganisationKind.COALITION_MEMBER
            ).id


def _add_letter_recipients(
    session: Session, campaign: Campaign, actor: User, created: list[str]
) -> None:
    for row in _rows(f"{LETTER}-recipients.csv"):
        official, role = _official_for(
            session, row, actor, created, campaign.letter_on or clock.today()
        )
        who = Addressee(
            row["given_name"],
            row["family_name"],
            HONORIFICS.get(row["honorific"]),
            "Mr." if row["honorific"] == "His Excellency" else None,
            _kind(row),
            row["title_as_addressed"],
            row["organisation"],
        )
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            role_id=role.id if role else None,
            party=official.party,
            role_kind=role.kind.value if role else None,
            position=int(row["order"]),
            role_title=row["title_as_addressed"],
            addressed_as=row["addressed_as"],
            salutation=salutation(who),
        )
        if (row["given_name"], row["family_name"]) in IN_FRENCH:
            recipient.language = "fr"
            recipient.addressed_as = address_line(who, "fr", post_nominals=False)
            recipient.salutation = salutation(who, "fr", campaign.french_opening)
        # The letter's own lines (in English) and those Hilltrack wrote in French.
        recipient.address_line_language = recipient.salutation_language = recipient.language or "en"
        session.add(recipient)
        session.flush()
        audit.record(
            session,
            "recipient.create",
            actor=actor,
            obj=recipient,
            after={"official_id": official.id, "addressed_as": row["addressed_as"]},
        )
