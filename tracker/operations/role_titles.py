"""French titles Hilltrack builds (rules/titles.py), stored on the roles once per language as a
feed's ministerial titles are, and built again when what they follow changes: a form of address,
a minister's French title."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from importers.names import fold
from tracker.models import Official, Role, RoleKind
from tracker.rules.titles import BUILT, Minister, french_role_title, ministers_title

MINISTERIAL = (RoleKind.PRIME_MINISTER, RoleKind.MINISTER, RoleKind.SECRETARY_OF_STATE)


def ministers(session: Session) -> dict[str, Minister]:
    """Every ministerial title's French form and its holder's form of address, by the folded
    English title: the current holder's where there is one, else the latest."""
    found: dict[str, Minister] = {}
    rows = session.execute(
        select(Role.kind, Role.title, Role.title_fr, Official.address_form)
        .join(Official, Official.id == Role.official_id)
        .where(Role.kind.in_(MINISTERIAL))
        # Latest last, current (no end) after the ended ones: the last written wins.
        .order_by(Role.end_on.is_(None), Role.end_on, Role.start_on, Role.id)
    )
    for kind, title, title_fr, form in rows:
        french = ministers_title(kind, title_fr, form)
        if french:
            found[fold(title)] = Minister(french, form)
    return found


def build_french_title(role: Role, official: Official, known: dict[str, Minister]) -> bool:
    """Give ``role`` the French title the rule builds, unless a feed or a coordinator wrote
    one; True when it changed."""
    if role.kind not in BUILT or (role.title_fr and not role.title_fr_built):
        return False
    organisation = role.organisation
    french = french_role_title(
        role.kind,
        role.title,
        form=official.address_form,
        constituency=official.constituency,
        committee_acronym=organisation.acronym if organisation else None,
        ministers=known,
    )
    if french is None or french == role.title_fr:
        return False
    role.title_fr = french
    role.title_fr_built = True
    return True


def build_french_titles(session: Session, officials: Iterable[Official] | None = None) -> int:
    """Build the French titles of these officials' roles (everyone's when None) and of every
    parliamentary secretary (whose title follows a minister's); returns how many changed."""
    session.flush()
    known = ministers(session)
    query = select(Role).options(selectinload(Role.official), selectinload(Role.organisation))
    query = query.where(Role.kind.in_(BUILT))
    if officials is not None:
        ids = [o.id for o in officials]
        query = query.where(
            Role.official_id.in_(ids) | (Role.kind == RoleKind.PARLIAMENTARY_SECRETARY)
        )
    changed = sum(build_french_title(role, role.official, known) for role in session.scalars(query))
    session.flush()
    return changed
