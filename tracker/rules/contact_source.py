"""Where an official's contact details came from: typed or pasted by a person ("entered by
hand"), or the one feed that carries them, Open North Represent. Every page that says where an
e-mail address came from reads this rule."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.models import Official

BY_HAND = "manual"
REPRESENT = "represent"
CONTACT_FIELDS = ("email", "phone", "offices")


def contact_source(field: str, value: object, edited_fields: Sequence[str] | None) -> str | None:
    """The source of one contact field ("email", "phone" or "offices"): by hand when a person
    entered it (the feed then leaves it alone), else Represent; None when there is none."""
    if not value:
        return None
    return BY_HAND if field in (edited_fields or ()) else REPRESENT


def email_source(official: Official) -> str | None:
    """Where this official's e-mail address came from."""
    return contact_from(official, "email")


def contact_from(official: Official, field: str) -> str | None:
    """Where this official's e-mail address, phone or offices came from."""
    return contact_source(field, getattr(official, field), official.edited_fields)


def contact_sources(official: Official) -> set[str]:
    """Every source of this official's e-mail address, phone and offices."""
    found = (
        contact_source(name, getattr(official, name), official.edited_fields)
        for name in CONTACT_FIELDS
    )
    return {source for source in found if source}
