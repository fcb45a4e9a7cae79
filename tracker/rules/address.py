"""Canadian forms of address: the "addressed as" line and the salutation of a letter.

Rules from Canadian Heritage's *Styles of address* (see shared FORMS-OF-ADDRESS.md): the feed's
honorific, not the current role, decides "The Honourable" (Privy Councillors keep it for life);
"His/Her Excellency" for serving ambassadors; P.C. then M.P. after the name; and where no
courtesy title is known, a neutral form rather than a guess from a first name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from importers import committees
from tracker.models import Official, Role, RoleKind

MINISTERIAL = {RoleKind.MINISTER, RoleKind.SECRETARY_OF_STATE}
FR_COURTESY = {"Mr.": "M.", "Ms.": "Mme", "Mrs.": "Mme", "Mx": "Mx", "Dr.": "Dr"}


@dataclass(frozen=True)
class Addressee:
    """What the forms of address need to know about a recipient, as of the letter."""

    given_name: str
    family_name: str
    honorific: str | None = None  # the feed's short form: "Hon." or "Right Hon."
    courtesy_title: str | None = None  # "Mr.", "Ms.", "Mx"... only as the person uses it
    kind: RoleKind | None = None
    title: str | None = None
    organisation: str | None = None
    is_mp: bool = False
    title_fr: str | None = None  # where a feed gives it; else the English title is used

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masculine(self) -> bool | None:
        """True for Mr., False for Ms./Mrs., None when not known (never guessed)."""
        return {"Mr.": True, "Ms.": False, "Mrs.": False}.get(self.courtesy_title or "")


def addressee_for(official: Official, role: Role | None, on: dt.date | None) -> Addressee:
    """The addressee for ``official`` in ``role``, with MP status as of ``on``."""
    day = on or dt.date.today()
    is_mp = any(
        r.kind is RoleKind.MP
        and (r.start_on is None or r.start_on <= day)
        and (r.end_on is None or r.end_on >= day)
        for r in official.roles
    )
    return Addressee(
        given_name=official.preferred_name or official.given_name,
        family_name=official.family_name,
        honorific=official.honorific,
        courtesy_title=official.courtesy_title,
        kind=role.kind if role else None,
        title=role.title if role else None,
        organisation=role.organisation.name if role and role.organisation else None,
        is_mp=is_mp,
        title_fr=role.title_fr if role else None,
    )


def _style_en(a: Addressee) -> str | None:
    if a.honorific == "Right Hon.":
        return "The Right Honourable"
    if a.honorific == "Hon." or a.kind is RoleKind.SENATOR:
        return "The Honourable"
    if a.kind is RoleKind.DIPLOMAT and a.masculine is not None:
        return "His Excellency" if a.masculine else "Her Excellency"
    return a.courtesy_title


def _style_fr(a: Addressee) -> str | None:
    if a.honorific == "Right Hon.":
        # The feminine only from a stated courtesy title; otherwise the usual generic form.
        return "La très honorable" if a.masculine is False else "Le très honorable"
    if a.honorific == "Hon." or a.kind is RoleKind.SENATOR:
        return "L'honorable"
    if a.kind is RoleKind.DIPLOMAT:
        return "Son Excellence"
    return FR_COURTESY.get(a.courtesy_title or "")


def _post_nominals(a: Addressee, lang: str) -> list[str]:
    letters = []
    if a.honorific in {"Hon.", "Right Hon."} and a.kind is not RoleKind.SENATOR:
        letters.append("P.C." if lang == "en" else "C.P.")
    if a.is_mp:
        if lang == "en":
            letters.append("M.P.")
        else:
            letters.append("députée" if a.masculine is False else "député")
    return letters


def address_line(a: Addressee, lang: str = "en", *, post_nominals: bool = True) -> str:
    """E.g. 'The Honourable Mélanie Joly, P.C., M.P., Minister of Foreign Affairs'."""
    style = _style_en(a) if lang == "en" else _style_fr(a)
    parts = [f"{style} {a.name}" if style else a.name]
    if post_nominals:
        parts += _post_nominals(a, lang)
    french = french_title(a) if lang == "fr" else None
    if french:
        parts.append(french)
    elif a.title:
        parts.append(a.title)
    if a.kind is RoleKind.PUBLIC_SERVANT and a.organisation:
        parts.append(a.organisation)
    return ", ".join(parts)


STANDING_ROLE = re.compile(r"^(Chair|Vice-Chair) of the Standing Committee on (.+)$")
FRENCH_CHAIRS = {
    "Chair": ("président", "présidente"),
    "Vice-Chair": ("vice-président", "vice-présidente"),
}


def french_title(a: Addressee) -> str | None:
    """The title in French where the sources give it (a feed's French title) or the House
    names it (the Prime Minister, a standing committee's chair and vice-chairs); None where
    only English exists: it is shown as it is, never machine-translated. After a name, a
    French title takes a small letter: "..., ministre des Finances"."""
    if a.title_fr:
        return a.title_fr[:1].lower() + a.title_fr[1:]
    feminine = a.masculine is False
    if a.kind is RoleKind.PRIME_MINISTER:
        return "première ministre du Canada" if feminine else "premier ministre du Canada"
    match = STANDING_ROLE.match(a.title or "")
    committee = committees.french_name(match.group(2)) if match else None
    if match and committee:
        return f"{FRENCH_CHAIRS[match.group(1)][feminine]} du {committee}"
    return None


def salutation(a: Addressee, lang: str = "en") -> str:
    """E.g. 'Dear Prime Minister', 'Dear Minister Joly', 'Dear Mr. Ehsassi'."""
    return _salutation_en(a) if lang == "en" else _salutation_fr(a)


def _salutation_en(a: Addressee) -> str:
    if a.kind is RoleKind.PRIME_MINISTER:
        return "Dear Prime Minister"
    if a.kind in MINISTERIAL:
        return f"Dear Minister {a.family_name}"
    if a.kind is RoleKind.SENATOR:
        return f"Dear Senator {a.family_name}"
    if a.kind is RoleKind.DIPLOMAT:
        return "Dear Ambassador"
    if a.kind is RoleKind.PUBLIC_SERVANT and (a.title or "").startswith("Deputy Minister"):
        return "Dear Deputy Minister"
    if a.courtesy_title:
        return f"Dear {a.courtesy_title} {a.family_name}"
    return f"Dear {a.name}"  # neutral: no courtesy title is guessed


def _salutation_fr(a: Addressee) -> str:
    gendered = {
        RoleKind.PRIME_MINISTER: ("Monsieur le Premier Ministre", "Madame la Première Ministre"),
        RoleKind.MINISTER: ("Monsieur le Ministre", "Madame la Ministre"),
        RoleKind.SECRETARY_OF_STATE: (
            "Monsieur le Secrétaire d'État",
            "Madame la Secrétaire d'État",
        ),
        RoleKind.SENATOR: ("Monsieur le Sénateur", "Madame la Sénatrice"),
    }
    if a.kind is RoleKind.DIPLOMAT:
        return "Excellence"
    forms = gendered.get(a.kind) if a.kind else None
    if forms is None and a.is_mp:
        forms = ("Monsieur le Député", "Madame la Députée")
    if forms is None:
        forms = ("Monsieur", "Madame")
    if a.masculine is None:
        return "Bonjour"  # the accepted neutral opening
    return forms[0] if a.masculine else forms[1]
