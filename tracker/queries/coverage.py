"""What the directory covers, category by category: how many are known now, from which sources,
as of when; and, where none are, why and what to do."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker.models import Official, Role, RoleKind
from tracker.rules.contact_source import contact_source

CATEGORIES: dict[str, tuple[RoleKind, ...]] = {
    "MPs": (RoleKind.MP,),
    "Ministers": (RoleKind.PRIME_MINISTER, RoleKind.MINISTER),
    "Secretaries of state": (RoleKind.SECRETARY_OF_STATE,),
    "Parliamentary secretaries": (RoleKind.PARLIAMENTARY_SECRETARY,),
    "Committee chairs": (RoleKind.COMMITTEE_CHAIR,),
    "Committee vice-chairs": (RoleKind.COMMITTEE_VICE_CHAIR,),
    "Committee members": (RoleKind.COMMITTEE_MEMBER,),
    "House officers": (RoleKind.HOUSE_OFFICER,),
}
CONTACTS = "Contact details"
# What the pages show: each category and each reason in the page's language.
LABELS = {
    "MPs": _l("MPs"),
    "Ministers": _l("Ministers"),
    "Secretaries of state": _l("Secretaries of state"),
    "Parliamentary secretaries": _l("Parliamentary secretaries"),
    "Committee chairs": _l("Committee chairs"),
    "Committee vice-chairs": _l("Committee vice-chairs"),
    "Committee members": _l("Committee members"),
    "House officers": _l("House officers"),
    CONTACTS: _l("Contact details"),
}
FEED_FIX = _l(
    "Run an import with network access (Imports, Import now), or enter the role by hand on an "
    "official's page or through the officials spreadsheet."
)
NO_COMMITTEE_PAGES = _l(
    "The bundled data has no committee pages. Run an import with network access (Imports, "
    "Import now), or enter the role by hand on an official's page or through the officials "
    "spreadsheet."
)
WHY_NONE = {
    "Parliamentary secretaries": _l(
        "The bundled House of Commons data has no file of parliamentary secretaries. Run an "
        "import with network access (Imports, Import now), or enter the role by hand on an "
        "official's page or through the officials spreadsheet."
    ),
    "Committee chairs": NO_COMMITTEE_PAGES,
    "Committee vice-chairs": NO_COMMITTEE_PAGES,
    "Committee members": NO_COMMITTEE_PAGES,
    CONTACTS: _l(
        "E-mail addresses and phone numbers come from Open North Represent, which the "
        "bundled data does not include. Run an import with network access, or add them by "
        "hand (Officials, Add e-mail addresses for many officials)."
    ),
}
# Which category each add-by-role choice draws on.
SELECTION_CATEGORIES = {
    "ministers": ("Ministers",),
    "secretaries_of_state": ("Secretaries of state",),
    "parliamentary_secretaries": ("Parliamentary secretaries",),
    "committee_leads": ("Committee chairs", "Committee vice-chairs"),
    "committee_members": ("Committee chairs", "Committee vice-chairs", "Committee members"),
    "party": ("MPs",),
    "province": ("MPs",),
}


@dataclass(frozen=True)
class CoverageLine:
    """One category: how many hold it now, the sources that say so, the latest feed's date."""

    category: str
    count: int
    sources: tuple[str, ...]
    as_of: dt.datetime | None

    @property
    def label(self) -> str:
        """The category in the page's language."""
        return str(LABELS.get(self.category, self.category))

    @property
    def why_none(self) -> str | None:
        """Why there are none, and what to do, for a category that is empty."""
        if self.count:
            return None
        return str(WHY_NONE.get(self.category, FEED_FIX))


def coverage(session: Session) -> list[CoverageLine]:
    """Every category, in a fixed order: two queries whatever the size of the directory."""
    by_kind = _roles_by_kind(session)
    lines = [_line(category, kinds, by_kind) for category, kinds in CATEGORIES.items()]
    lines.append(_contacts(session))
    return lines


def role_counts(session: Session) -> dict[str, int]:
    """How many hold each role category now, as ``coverage`` counts them, in one query: for
    the add-by-role menu, which shows the counts and not the contact details (reading those
    cost the campaign page a query and a loop over every official with an address)."""
    by_kind = _roles_by_kind(session)
    return {
        category: _line(category, kinds, by_kind).count for category, kinds in CATEGORIES.items()
    }


def _roles_by_kind(session: Session) -> dict[RoleKind, list[tuple[str, int, dt.datetime | None]]]:
    """Per role kind held now: each source, how many officials it names, when last seen."""
    by_kind: dict[RoleKind, list[tuple[str, int, dt.datetime | None]]] = defaultdict(list)
    for kind, source, count, seen in session.execute(
        select(
            Role.kind,
            Role.source,
            func.count(func.distinct(Role.official_id)),
            func.max(Role.last_seen_in_feed_at),
        )
        .where(Role.end_on.is_(None))
        .group_by(Role.kind, Role.source)
    ):
        by_kind[RoleKind(kind)].append((source, count, seen))
    return by_kind


def _line(
    category: str,
    kinds: tuple[RoleKind, ...],
    by_kind: dict[RoleKind, list[tuple[str, int, dt.datetime | None]]],
) -> CoverageLine:
    rows = [row for kind in kinds for row in by_kind.get(kind, [])]
    seen = [when for _, _, when in rows if when is not None]
    return CoverageLine(
        category,
        sum(count for _, count, _ in rows),
        tuple(sorted({source for source, _, _ in rows})),
        max(seen) if seen else None,
    )


def _contacts(session: Session) -> CoverageLine:
    """Officials in office with an e-mail address or a phone, and where those came from: by
    hand or from Represent (rules/contact_source.py), one query."""
    in_office = select(Role.official_id).where(Role.end_on.is_(None))
    rows = session.execute(
        select(Official.email, Official.phone, Official.edited_fields).where(
            Official.id.in_(in_office),
            or_(Official.email.is_not(None), Official.phone.is_not(None)),
        )
    ).all()
    sources = {
        source
        for email, phone, edited in rows
        for source in (
            contact_source("email", email, edited),
            contact_source("phone", phone, edited),
        )
        if source
    }
    return CoverageLine(CONTACTS, len(rows), tuple(sorted(sources)), None)


def _in_a_sentence(category: str) -> str:
    return category if category.startswith(("MPs", "House")) else category.lower()


def summary(lines: list[CoverageLine]) -> str:
    """One line for a terminal: what is known, and what is not."""
    known = ", ".join(
        f"{line.count:,} {_in_a_sentence(line.category)}" for line in lines if line.count
    )
    missing = ", ".join(_in_a_sentence(line.category) for line in lines if not line.count)
    text = f"The directory holds {known or 'no one yet'}."
    if missing:
        text += (
            f" None yet: {missing} (run `hilltrack import officials` with network access, "
            "or enter roles by hand)."
        )
    return text
