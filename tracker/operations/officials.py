"""Officials a person creates or edits by hand (the feeds then leave those fields alone)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import committees
from importers.names import fold, name_key
from importers.ourcommons import caucus_fr
from tracker.errors import OperationError
from tracker.models import (
    AddressForm,
    AddressFormSource,
    Official,
    Organisation,
    OrganisationKind,
    Role,
    RoleKind,
    User,
)
from tracker.operations import audit
from tracker.operations.recipients import readdress_unsent, unsent_lines
from tracker.operations.role_titles import build_french_title, build_french_titles, ministers

# Fields a coordinator may edit; feeds own the rest (names, party, riding) unless edited here.
EDITABLE_FIELDS = (
    "honorific",
    "courtesy_title",
    "given_name",
    "family_name",
    "preferred_name",
    "email",
    "phone",
    "party",
    "constituency",
    "province",
    "notes",
)
# Fields that live only in Hilltrack: editing them is no conflict with any feed.
LOCAL_FIELDS = {"courtesy_title", "preferred_name", "notes"}


class ConflictError(OperationError):
    """Someone else saved this record since the form was opened."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("Someone else changed this record while you were editing it.")
        self.current = current


@dataclass(frozen=True)
class NewRole:
    kind: RoleKind
    title: str
    organisation: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    committee_acronym: str | None = None  # a House committee, found or created by acronym


def find_or_create_organisation(
    session: Session, name: str, kind: OrganisationKind, acronym: str | None = None
) -> Organisation:
    """The organisation of this kind and name (folded), created if new."""
    for org in session.scalars(select(Organisation).where(Organisation.kind == kind)):
        if fold(org.name) == fold(name):
            return org
    org = Organisation(kind=kind, name=name.strip(), acronym=acronym)
    session.add(org)
    session.flush()
    return org


def find_or_create_committee(session: Session, acronym: str) -> Organisation:
    """The House committee with this acronym (FAAE, JUST), created with its full name if new."""
    acronym = acronym.strip().upper()
    found = session.scalar(
        select(Organisation).where(
            Organisation.kind == OrganisationKind.COMMITTEE, Organisation.acronym == acronym
        )
    )
    if found is not None:
        found.name_fr = found.name_fr or committees.french_by_acronym(acronym)
        return found
    name = committees.by_acronym(acronym)
    if name is None:
        raise OperationError(
            _("No House committee is called %(acronym)s.", acronym=acronym), field="committee"
        )
    org = find_or_create_organisation(session, name, OrganisationKind.COMMITTEE, acronym)
    org.name_fr = org.name_fr or committees.french_by_acronym(acronym)
    return org


def create_official(
    session: Session, values: dict[str, Any], role: NewRole | None, *, actor: User | None
) -> Official:
    """Create an official the feeds do not cover (a diplomat, senator or public servant)."""
    given, family = values.get("given_name", "").strip(), values.get("family_name", "").strip()
    if not given or not family:
        raise OperationError(_("Give both a given name and a family name."), field="family_name")
    clean = {
        k: (v.strip() if isinstance(v, str) else v) or None
        for k, v in values.items()
        if k in EDITABLE_FIELDS
    }
    official = Official(
        **{**clean, "given_name": given, "family_name": family},
        name_key=name_key(given, family),
        party_fr=caucus_fr(clean.get("party")),
        offices=[],
        edited_fields=sorted(k for k, v in clean.items() if v),
    )
    session.add(official)
    session.flush()
    if role is not None and role.title.strip():
        add_role(session, official, role, actor=actor)
    audit.record(
        session,
        "official.create",
        actor=actor,
        obj=official,
        after={k: v for k, v in clean.items() if v},
    )
    return official


def add_role(
    session: Session,
    official: Official,
    role: NewRole,
    *,
    actor: User | None,
    source: str = "manual",
) -> Role:
    """Record an office held, entered by hand (or taken from a letter): no import ends it."""
    if role.committee_acronym:
        org: Organisation | None = find_or_create_committee(session, role.committee_acronym)
    elif role.organisation:
        org = find_or_create_organisation(
            session, role.organisation, organisation_kind_for(role.kind)
        )
    else:
        org = None
    new = Role(
        official_id=official.id,
        kind=role.kind,
        title=role.title.strip(),
        organisation_id=org.id if org else None,
        start_on=role.start_on,
        end_on=role.end_on,
        source=source,
    )
    session.add(new)
    session.flush()
    build_french_title(new, official, ministers(session))
    audit.record(
        session,
        "role.create",
        actor=actor,
        obj=new,
        after={"official_id": official.id, "kind": role.kind.value, "title": new.title},
    )
    return new


COMMITTEE_ROLE_LABELS = {
    RoleKind.COMMITTEE_CHAIR: "Chair",
    RoleKind.COMMITTEE_VICE_CHAIR: "Vice-Chair",
    RoleKind.COMMITTEE_MEMBER: "Member",
}


def add_role_by_hand(session: Session, official: Official, role: NewRole, *, actor: User) -> Role:
    """A role a coordinator knows of and the feeds do not carry (yet): a committee seat by the
    committee's acronym, a parliamentary secretary to a named minister, or any other office.
    It is marked as entered by hand; no import ends it, and a feed that later lists it takes it
    over, keeping the earlier start date."""
    if role.start_on and role.end_on and role.end_on < role.start_on:
        raise OperationError(_("The end date is before the start date."), field="end_on")
    label = COMMITTEE_ROLE_LABELS.get(role.kind)
    if label is not None:
        if not role.committee_acronym:
            raise OperationError(_("Choose the committee."), field="committee")
        committee = find_or_create_committee(session, role.committee_acronym)
        title = role.title.strip() or f"{label} of the {committee.name}"
        role = dataclasses.replace(role, title=title)
    elif not role.title.strip():
        raise OperationError(
            _("Give the title, e.g. Parliamentary Secretary to the Minister of Foreign Affairs."),
            field="title",
        )
    return add_role(session, official, role, actor=actor)


def update_official(
    session: Session, official: Official, values: dict[str, Any], *, version: int, actor: User
) -> dict[str, Any]:
    """Save a person's edits if nobody saved in between; edited feed fields become theirs."""
    if version != official.version:
        raise ConflictError({f: getattr(official, f) for f in EDITABLE_FIELDS})
    clean = {
        k: (v.strip() if isinstance(v, str) else v) or None
        for k, v in values.items()
        if k in EDITABLE_FIELDS
    }
    if not clean.get("given_name") or not clean.get("family_name"):
        raise OperationError(_("Give both a given name and a family name."), field="family_name")
    before, after = audit.changes(official, clean)
    if not after:
        return {}
    official.name_key = name_key(official.given_name, official.family_name)
    if "party" in after:  # the French name of the caucus typed, where the table knows it
        official.party_fr = caucus_fr(official.party)
    owned = set(official.edited_fields or []) | (set(after) - LOCAL_FIELDS)
    official.edited_fields = sorted(owned)
    session.flush()
    audit.record(session, "official.update", actor=actor, obj=official, before=before, after=after)
    return after


def organisation_kind_for(kind: RoleKind) -> OrganisationKind:
    """What kind of organisation a hand-entered role of this kind belongs to."""
    return {
        RoleKind.DIPLOMAT: OrganisationKind.MISSION,
        RoleKind.PUBLIC_SERVANT: OrganisationKind.DEPARTMENT,
        RoleKind.SENATOR: OrganisationKind.LEGISLATURE,
        RoleKind.MINISTER: OrganisationKind.DEPARTMENT,
    }.get(kind, OrganisationKind.OTHER)


def set_form_of_address(
    session: Session,
    official: Official,
    *,
    form: AddressForm | None,
    privy_council_on: dt.date | None,
    actor: User,
) -> dict[str, Any]:
    """Record a coordinator's choice of Madame, Monsieur or neither (imports then leave it
    alone; "not known" hands it back to Represent) and the day the official was sworn into
    the Privy Council."""
    chosen = form is not None
    generated = unsent_lines(session, official)
    before, after = audit.changes(
        official,
        {
            "address_form": form,
            "address_form_source": AddressFormSource.COORDINATOR if chosen else None,
            "privy_council_on": privy_council_on,
        },
    )
    if "address_form" not in after and "privy_council_on" not in after:
        return {}
    edited = set(official.edited_fields or []) - {"address_form"}
    official.edited_fields = sorted(edited | ({"address_form"} if chosen else set()))
    build_french_titles(session, [official])
    audit.record(session, "official.update", actor=actor, obj=official, before=before, after=after)
    # Their letters not yet sent now greet them as chosen, unless a person wrote the lines.
    readdress_unsent(session, generated, actor=actor)
    return after
