"""The titles Hilltrack builds for offices the feeds name in English only, in French: one rule
for the directory, the exports and the letters.

The House's feeds give an MP's riding, a committee seat and a parliamentary secretary's minister,
but only English titles. Their French forms follow the House's own wording, in the form that fits
the person (Madame, Monsieur); where the form of address is not known, the inclusive "Député(e)"
rather than a guess. A parliamentary secretary is named after the minister they serve, in that
minister's French title and form ("de la ministre des Affaires étrangères"). Nothing is
machine-translated: a title the rule cannot build stays None (English).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from importers import committees
from importers.names import fold
from tracker.models import AddressForm, RoleKind

# The kinds whose French title Hilltrack builds (the others come from a feed or a coordinator).
BUILT = frozenset(
    {
        RoleKind.MP,
        RoleKind.COMMITTEE_CHAIR,
        RoleKind.COMMITTEE_VICE_CHAIR,
        RoleKind.COMMITTEE_MEMBER,
        RoleKind.PARLIAMENTARY_SECRETARY,
    }
)
MEMBER_FOR = re.compile(r"^Member of Parliament for (.+)$")
UNNAMED_RIDING = "an unnamed riding"  # what importers/ourcommons.py writes for a missing one
SECRETARY_TO = re.compile(r"^Parliamentary Secretary to the (.+)$", re.IGNORECASE)
# (Madame, Monsieur, not known)
MP_WORDS = ("Députée", "Député", "Député(e)")
COMMITTEE_WORDS = {
    RoleKind.COMMITTEE_CHAIR: ("Présidente", "Président", "Président(e)"),
    RoleKind.COMMITTEE_VICE_CHAIR: ("Vice-présidente", "Vice-président", "Vice-président(e)"),
    RoleKind.COMMITTEE_MEMBER: ("Membre", "Membre", "Membre"),
}
# Words of a French ministerial title that take the holder's form (ministre, secrétaire and
# leader are the same for both; président, premier are not).
EPICENE = {"ministre", "secrétaire", "leader"}


# Before a vowel "de" elides, as the House writes it: "Député d'Ahuntsic-Cartierville",
# "Députée d'Orléans" (with a typographic apostrophe). Not before a y, nor an aspirated h
# ("de Hull—Aylmer"); before the silent h of these ridings' first words, it does.
ELIDING = frozenset("AEIOUÂÀÉÈÊËÎÏÔÛÙÜaeiouâàéèêëîïôûùü")
SILENT_H = ("Hochelaga", "Honoré")


def of_place(name: str) -> str:
    """ "de" and a riding's name, elided before a vowel or a silent h."""
    if name[:1] in ELIDING or unicodedata.normalize("NFC", name).startswith(SILENT_H):
        return f"d\u2019{name}"
    return f"de {name}"


@dataclass(frozen=True)
class Minister:
    """What a parliamentary secretary's title needs of the minister they serve."""

    title_fr: str  # as the French ministries export gives it: "Ministre des Affaires étrangères"
    form: AddressForm | None = None


def _by_form(words: tuple[str, str, str], form: AddressForm | None) -> str:
    if form is AddressForm.MADAME:
        return words[0]
    if form is AddressForm.MONSIEUR:
        return words[1]
    return words[2]


def french_role_title(
    kind: RoleKind,
    title: str,
    *,
    form: AddressForm | None = None,
    constituency: str | None = None,
    committee_acronym: str | None = None,
    ministers: Mapping[str, Minister] | None = None,
) -> str | None:
    """The French title of an office whose title Hilltrack builds, e.g. "Députée de
    Trois-Rivières", "Présidente du Comité permanent de la santé", "Secrétaire parlementaire de
    la ministre des Affaires étrangères"; None where the rule cannot build it. ``ministers``
    holds the ministerial titles by their folded English title."""
    if kind is RoleKind.MP:
        found = MEMBER_FOR.match(title)
        riding = found.group(1) if found else constituency
        if not riding or riding == UNNAMED_RIDING:
            return None
        return f"{_by_form(MP_WORDS, form)} {of_place(riding)}"
    if kind in COMMITTEE_WORDS:
        committee = committees.french_by_acronym(committee_acronym)
        return f"{_by_form(COMMITTEE_WORDS[kind], form)} du {committee}" if committee else None
    if kind is RoleKind.PARLIAMENTARY_SECRETARY:
        return _secretary_title(title, ministers or {})
    return None


def _secretary_title(title: str, ministers: Mapping[str, Minister]) -> str | None:
    found = SECRETARY_TO.match(title.strip())
    if found is None:
        return None
    served = []
    for part in re.split(r",? and (?:to )?the ", found.group(1)):
        minister = ministers.get(fold(part))
        if minister is None:
            return None
        served.append(_of_the(minister))
    return "Secrétaire parlementaire " + " et ".join(served)


def _of_the(minister: Minister) -> str:
    """ "de la ministre des Affaires étrangères", "du président du Conseil du Trésor"."""
    title = minister.title_fr[:1].lower() + minister.title_fr[1:]
    first = title.split(" ", 1)[0]
    if first not in EPICENE:
        # The feed's French title is already in its holder's form: the article follows it.
        return f"de la {title}" if first.endswith("e") else f"du {title}"
    if minister.form is AddressForm.MADAME:
        return f"de la {title}"
    if minister.form is AddressForm.MONSIEUR:
        return f"du {title}"
    return f"du ou de la {title}"


def ministers_title(kind: RoleKind, title_fr: str | None, form: AddressForm | None) -> str | None:
    """A ministerial role's French title as a parliamentary secretary's names it: the feed's,
    or the Prime Minister's in the holder's form."""
    if title_fr:
        if kind is RoleKind.PRIME_MINISTER and form is AddressForm.MADAME:
            return "Première ministre"
        return title_fr
    if kind is RoleKind.PRIME_MINISTER:
        return "Première ministre" if form is AddressForm.MADAME else "Premier ministre"
    return None
