"""A campaign's co-signatories: added one by one or as a pasted list, reordered, edited, with
one lead author."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers.names import fold
from tracker.errors import OperationError
from tracker.models import Campaign, Signatory, SignatoryKind, User
from tracker.operations import audit

MAX_NAME = 400
# A pasted list often keeps its bullets or numbers: "1. Amnesty", "- Amnesty", "• Amnesty".
LIST_MARKER = re.compile(r"^\s*(?:[-*•·\u2013]|\(?\d{1,3}[.)])\s+")


def add_signatory(
    session: Session,
    campaign: Campaign,
    *,
    name: str,
    kind: SignatoryKind,
    is_lead: bool = False,
    note: str | None = None,
    actor: User,
) -> Signatory:
    """Add a co-signatory at the end of the list; a new lead author replaces the old one."""
    name = name.strip()
    if not name:
        raise OperationError(_("Give the signatory's name."), field="name")
    last = (
        session.scalar(
            select(func.max(Signatory.position)).where(Signatory.campaign_id == campaign.id)
        )
        or 0
    )
    if is_lead:  # from the database: a loaded collection may predate recent additions
        for other in session.scalars(
            select(Signatory).where(
                Signatory.campaign_id == campaign.id, Signatory.is_lead.is_(True)
            )
        ):
            other.is_lead = False
    signatory = Signatory(
        campaign_id=campaign.id,
        position=last + 1,
        kind=kind,
        name=name,
        is_lead=is_lead,
        note=(note or "").strip() or None,
    )
    session.add(signatory)
    session.flush()
    audit.record(
        session,
        "signatory.create",
        actor=actor,
        obj=signatory,
        after={"campaign_id": campaign.id, "name": name, "lead": is_lead},
    )
    return signatory


@dataclass(frozen=True)
class PastedName:
    """One line of a pasted list of signatories, and what adding it would do."""

    name: str
    problem: str | None  # None: it will be added


def read_pasted_list(session: Session, campaign: Campaign, text: str) -> list[PastedName]:
    """The names in a pasted list, one per line (bullets and numbers dropped, blank lines
    skipped), each with the reason it would not be added: already a signatory, listed twice,
    or too long."""
    existing = {
        fold(name)
        for name in session.scalars(
            select(Signatory.name).where(Signatory.campaign_id == campaign.id)
        )
    }
    listed: set[str] = set()
    lines = []
    for raw in text.splitlines():
        name = LIST_MARKER.sub("", raw).strip()
        if not name:
            continue
        key = fold(name)
        problem = None
        if len(name) > MAX_NAME:
            problem = f"longer than {MAX_NAME} characters"
        elif key in existing:
            problem = "already a signatory"
        elif key in listed:
            problem = "listed twice"
        listed.add(key)
        lines.append(PastedName(name, problem))
    return lines


def add_pasted_signatories(
    session: Session, campaign: Campaign, text: str, kind: SignatoryKind, *, actor: User
) -> list[Signatory]:
    """Add the new names of a pasted list at the end, in their order (one audit event)."""
    names = [line.name for line in read_pasted_list(session, campaign, text) if not line.problem]
    if not names:
        raise OperationError(_("The list has no new name to add."), field="names")
    last = (
        session.scalar(
            select(func.max(Signatory.position)).where(Signatory.campaign_id == campaign.id)
        )
        or 0
    )
    added = [
        Signatory(campaign_id=campaign.id, position=last + n, kind=kind, name=name)
        for n, name in enumerate(names, 1)
    ]
    session.add_all(added)
    session.flush()
    audit.record(
        session,
        "signatory.create_many",
        actor=actor,
        obj=campaign,
        after={"campaign_id": campaign.id, "names": names, "kind": kind.value},
    )
    return added


@dataclass(frozen=True)
class SignatoryEdit:
    """One row of the signatories list as a coordinator saved it."""

    id: int
    name: str
    note: str
    position: int
    remove: bool = False


def save_signatory_list(
    session: Session,
    campaign: Campaign,
    edits: list[SignatoryEdit],
    lead_id: int | None,
    *,
    actor: User,
) -> None:
    """Apply a whole list at once: names and notes edited, rows removed, the order (by the
    positions given, ties kept in the old order) and the one lead author."""
    current = {s.id: s for s in campaign.signatories}
    if {edit.id for edit in edits} != set(current):
        raise OperationError(_("The list changed since the page was loaded; reload it and redo."))
    kept = [edit for edit in edits if not edit.remove]
    for edit in kept:
        if not edit.name.strip():
            raise OperationError(_("Every signatory needs a name (or tick Remove)."), field="rows")
        if len(edit.name.strip()) > MAX_NAME or len(edit.note.strip()) > MAX_NAME:
            raise OperationError(
                _("Keep names and notes under %(MAX_NAME)s characters.", MAX_NAME=MAX_NAME)
            )
    if lead_id is not None and lead_id not in {edit.id for edit in kept}:
        raise OperationError(_("The lead author must be one of the signatories kept."))
    before = [_plain(s) for s in campaign.signatories]
    order = sorted(kept, key=lambda e: (e.position, current[e.id].position))
    for edit in edits:
        if edit.remove:
            session.delete(current[edit.id])
    for n, edit in enumerate(order, 1):
        current[edit.id].position = -n  # positions are unique: step aside before taking them
    session.flush()
    for n, edit in enumerate(order, 1):
        signatory = current[edit.id]
        signatory.position = n
        signatory.name = edit.name.strip()
        signatory.note = edit.note.strip() or None
        signatory.is_lead = edit.id == lead_id
    session.flush()
    session.expire(campaign, ["signatories"])
    after = [_plain(current[edit.id]) for edit in order]
    if after != before:
        audit.record(
            session,
            "signatory.update_list",
            actor=actor,
            obj=campaign,
            before={"signatories": before},
            after={"signatories": after},
        )


def _plain(signatory: Signatory) -> dict[str, object]:
    return {"name": signatory.name, "note": signatory.note, "lead": signatory.is_lead}
