"""Contact details entered by hand: one official's e-mail address from a campaign's Letters
page, or a pasted list's for many officials at once. A person's entry is theirs: the feeds then
leave it alone, and the pages say it was entered by hand (rules/contact_source.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from importers.contacts_list import ContactLine
from importers.names import fold
from importers.said import Said, said
from tracker.models import Official, User
from tracker.operations import audit
from tracker.queries.people import person_index
from tracker.rules.person_match import How, Match

HAND_OFFICE = "hand"  # an office address a person entered: shown as "Office"


@dataclass
class ContactPlan:
    """One line of the list with the official it names (sure, or a question)."""

    line: ContactLine
    match: Match

    @property
    def asks(self) -> bool:
        return self.line.ok and self.match.how is How.ASK

    @property
    def nobody(self) -> bool:
        return self.line.ok and self.match.how is How.NOBODY


@dataclass
class ContactsResult:
    """What saving the list did: officials whose details changed, already had them, skipped."""

    updated: int = 0
    unchanged: int = 0
    skipped: list[Said] = field(default_factory=list)


def plan_contacts(session: Session, lines: list[ContactLine]) -> list[ContactPlan]:
    """Each line with the official it names by PersonId or by name."""
    index = person_index(session)
    return [
        ContactPlan(
            line,
            index.match_full_name(line.name, line.person_id) if line.ok else Match(How.NOBODY),
        )
        for line in lines
    ]


def _chosen(plan: ContactPlan, answers: dict[int, str]) -> Official | None:
    if plan.match.official is not None:
        return plan.match.official
    answer = answers.get(plan.line.line)
    return next((o for o in plan.match.candidates if str(o.id) == answer), None)


def _skip(plan: ContactPlan, why: Said) -> Said:
    return said(
        "Line %(line)d, %(name)s: %(why)s", line=plan.line.line, name=plan.line.label, why=why
    )


def save_contacts(
    session: Session, plans: list[ContactPlan], answers: dict[int, str], *, actor: User
) -> ContactsResult:
    """Store each matched line's details as entered by hand; a line with a problem, naming
    nobody, or left unanswered is skipped whole (never half-saved), with its reason."""
    result = ContactsResult()
    for plan in plans:
        line = plan.line
        official = _chosen(plan, answers) if line.ok else None
        if not line.ok:
            result.skipped.append(_skip(plan, Said("", parts=line.errors, separator="; ")))
        elif official is None:
            why = (
                said("no official has this name or PersonId")
                if plan.match.how is How.NOBODY
                else said("you did not say who this is")
            )
            result.skipped.append(_skip(plan, why))
        elif set_contacts(
            session, official, email=line.email, phone=line.phone, postal=line.postal, actor=actor
        ):
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def set_contacts(
    session: Session,
    official: Official,
    *,
    email: str | None = None,
    phone: str | None = None,
    postal: str | None = None,
    actor: User,
) -> dict[str, Any]:
    """Record an official's e-mail address, phone or office address as entered by hand; the
    fields given become the person's, which imports then leave alone."""
    values: dict[str, Any] = {}
    if email:
        values["email"] = email.strip()
    if phone:
        values["phone"] = phone.strip()
    if postal and not any(
        fold(o.get("postal", "")) == fold(postal) for o in official.offices or []
    ):
        values["offices"] = [
            *(official.offices or []),
            {"type": HAND_OFFICE, "postal": postal.strip()},
        ]
    before, after = audit.changes(official, values)
    if not after:
        return {}
    official.edited_fields = sorted(set(official.edited_fields or []) | set(after))
    session.flush()
    audit.record(session, "official.update", actor=actor, obj=official, before=before, after=after)
    return after
