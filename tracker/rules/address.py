"""Canadian forms of address: the "addressed as" line and the salutation of a letter.

Rules from Canadian Heritage's *Styles of address* and *Formules épistolaires* (see shared
FORMS-OF-ADDRESS.md): "The Honourable" and P.C. only for a Privy Councillor on the letter's date
(the feed's honorific says they are one; the day they were sworn in says since when); M.P. only
for a member sitting that day; "His/Her Excellency" for serving ambassadors. A French letter is
addressed and greeted by role in the form that fits the person (Madame la Ministre, Monsieur le
Député), in French only. Where the form of address is not known (Represent's `gender`, or a
coordinator's choice), a neutral form is used rather than a guess from a first name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from importers import committees
from tracker import clock
from tracker.models import AddressForm, FrenchOpening, Official, Role, RoleKind

MINISTERIAL = {RoleKind.MINISTER, RoleKind.SECRETARY_OF_STATE}
# The roles whose holders are sworn into the Privy Council when they take them.
SWORN_IN = {RoleKind.PRIME_MINISTER, *MINISTERIAL}
FR_COURTESY = {"Mr.": "M.", "Ms.": "Mme", "Mrs.": "Mme", "Mx": "Mx", "Dr.": "Dr"}
FEMININE_COURTESY = {"Ms.", "Mrs.", "Dr."}
MASCULINE_COURTESY = {"Mr.", "Dr."}
NEUTRAL_FR = {
    FrenchOpening.MADAME_MONSIEUR: "Madame, Monsieur",
    FrenchOpening.BONJOUR: "Bonjour",
}


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
    title_fr: str | None = None  # where a feed or a coordinator gives it
    form: AddressForm | None = None  # Madame, Monsieur or neither; None when not known
    # A Privy Councillor on the letter's date? None when the day they were sworn in is not
    # known: the feed's honorific then stands (a Privy Councillor is one for life).
    privy_councillor: bool | None = None
    organisation_fr: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masculine(self) -> bool | None:
        """True for Monsieur, False for Madame, None when neither or not known."""
        if self.form is not None:
            return {AddressForm.MADAME: False, AddressForm.MONSIEUR: True}.get(self.form)
        return {"Mr.": True, "Ms.": False, "Mrs.": False}.get(self.courtesy_title or "")

    @property
    def courtesy(self) -> str | None:
        """The English courtesy title: the person's own where it fits their form of address,
        else Mr. or Ms. from it; none for "neither" unless they use Mx."""
        own = self.courtesy_title
        if self.form == AddressForm.MADAME:
            return own if own in FEMININE_COURTESY else "Ms."
        if self.form == AddressForm.MONSIEUR:
            return own if own in MASCULINE_COURTESY else "Mr."
        if self.form == AddressForm.NEITHER:
            return own if own == "Mx" else None
        return own

    @property
    def is_privy_councillor(self) -> bool:
        if self.privy_councillor is not None:
            return self.privy_councillor
        return self.honorific in {"Hon.", "Right Hon."}


def sworn_in_on(official: Official) -> dt.date | None:
    """The day the official became a Privy Councillor, as far as Hilltrack knows: the date a
    coordinator entered, else the start of their earliest ministerial role."""
    if official.privy_council_on is not None:
        return official.privy_council_on
    starts = [r.start_on for r in official.roles if r.kind in SWORN_IN and r.start_on]
    return min(starts) if starts else None


def _held_on(role: Role, day: dt.date) -> bool:
    return (role.start_on is None or role.start_on <= day) and (
        role.end_on is None or role.end_on >= day
    )


def addressee_for(official: Official, role: Role | None, on: dt.date | None) -> Addressee:
    """The addressee for ``official`` in ``role``, with their honours as of ``on``."""
    day = on or clock.today()
    sworn = sworn_in_on(official)
    organisation = role.organisation if role else None
    return Addressee(
        given_name=official.preferred_name or official.given_name,
        family_name=official.family_name,
        honorific=official.honorific,
        courtesy_title=official.courtesy_title,
        kind=role.kind if role else None,
        title=role.title if role else None,
        organisation=organisation.name if organisation else None,
        is_mp=_sat_in_the_house(official, day),
        title_fr=role.title_fr if role else None,
        form=official.address_form,
        privy_councillor=None if sworn is None else sworn <= day,
        organisation_fr=organisation.name_fr if organisation else None,
    )


# Offices only a sitting member holds: the directory may know the office on a day without the
# member's term that covered it (a feed that starts with the current Parliament).
HOUSE_ONLY = {
    RoleKind.MP,
    RoleKind.PARLIAMENTARY_SECRETARY,
    RoleKind.COMMITTEE_CHAIR,
    RoleKind.COMMITTEE_VICE_CHAIR,
}


def _sat_in_the_house(official: Official, day: dt.date) -> bool:
    """Whether ``official`` sat in the House on ``day``: an MP's term, or an office only a
    member holds (a senator chairing a joint committee is not one)."""
    if any(r.kind is RoleKind.SENATOR and _held_on(r, day) for r in official.roles):
        return False
    return any(r.kind in HOUSE_ONLY and _held_on(r, day) for r in official.roles)


# How a letter may name the Prime Minister's office (the 2023 letter: "Prime Minister of Canada").
PRIME_MINISTER_TITLES = {"prime minister", "prime minister of canada"}


def kind_named_by(title: str, known: RoleKind | None = None) -> RoleKind | None:
    """The kind of role a letter's title names: ``known`` where a role says so, else the Prime
    Minister's office by its name; None where the title alone does not say."""
    if known is not None:
        return known
    return RoleKind.PRIME_MINISTER if title.strip().casefold() in PRIME_MINISTER_TITLES else None


def as_the_letter_names(
    who: Addressee, title: str, kind: RoleKind | None, title_fr: str | None
) -> Addressee:
    """``who`` in the role the letter names, where no role of the directory is linked to it:
    the title as the letter gave it, its French form where the directory knows one. A role
    whose holders are sworn into the Privy Council says they were one on the letter's date,
    whatever the directory knows of when they were sworn in."""
    sworn = True if kind in SWORN_IN else who.privy_councillor
    return replace(who, kind=kind, title=title, title_fr=title_fr, privy_councillor=sworn)


def _in_role(official: Official, role: Role) -> Addressee:
    """What a role's French title needs to know (no dates: the title is the role's)."""
    organisation = role.organisation
    return Addressee(
        official.given_name,
        official.family_name,
        courtesy_title=official.courtesy_title,
        kind=role.kind,
        title=role.title,
        title_fr=role.title_fr,
        form=official.address_form,
        organisation=organisation.name if organisation else None,
        organisation_fr=organisation.name_fr if organisation else None,
    )


def french_title_of(official: Official, role: Role | None) -> str | None:
    """The French title ``role`` takes after ``official``'s name (see ``french_title``)."""
    return french_title(_in_role(official, role)) if role else None


def missing_french_of(official: Official, role: Role | None) -> list[str]:
    """The English title or department of ``role`` that has no French form yet."""
    return missing_french(_in_role(official, role)) if role else []


def _style_en(a: Addressee) -> str | None:
    if a.kind is RoleKind.SENATOR:
        return "The Honourable"
    if a.kind is RoleKind.DIPLOMAT and a.masculine is not None:
        return "His Excellency" if a.masculine else "Her Excellency"  # while serving
    if a.is_privy_councillor:
        prime = a.honorific == "Right Hon." or a.kind is RoleKind.PRIME_MINISTER
        return "The Right Honourable" if prime else "The Honourable"
    return a.courtesy


def _style_fr(a: Addressee) -> str | None:
    if a.kind is RoleKind.SENATOR:
        return "L'honorable"
    if a.kind is RoleKind.DIPLOMAT:
        return "Son Excellence"
    if a.is_privy_councillor:
        if a.honorific == "Right Hon." or a.kind is RoleKind.PRIME_MINISTER:
            return "La très honorable" if a.masculine is False else "Le très honorable"
        return "L'honorable"
    return FR_COURTESY.get(a.courtesy or "")


def _post_nominals(a: Addressee, lang: str) -> list[str]:
    letters = []
    if a.is_privy_councillor and a.kind is not RoleKind.SENATOR:
        letters.append("P.C." if lang == "en" else "C.P.")
    if a.is_mp:
        if lang == "en":
            letters.append("M.P.")
        else:
            letters.append("députée" if a.masculine is False else "député")
    return letters


def address_line(a: Addressee, lang: str = "en", *, post_nominals: bool = True) -> str:
    """E.g. 'The Honourable Mélanie Joly, P.C., M.P., Minister of Foreign Affairs'. In French,
    only French: a title with no French form is left out (see ``missing_french``)."""
    style = _style_en(a) if lang == "en" else _style_fr(a)
    parts = [f"{style} {a.name}" if style else a.name]
    title = french_title(a) if lang == "fr" else a.title
    if post_nominals:
        letters = _post_nominals(a, lang)
        if lang == "fr" and a.kind is RoleKind.MP and title:
            # "députée de Trois-Rivières" says "députée" already.
            letters = [p for p in letters if not p.startswith("député")]
        parts += letters
    if title:
        parts.append(title)
    if a.kind is RoleKind.PUBLIC_SERVANT:
        organisation = a.organisation_fr if lang == "fr" else a.organisation
        if organisation:
            parts.append(organisation)
    return ", ".join(parts)


def missing_french(a: Addressee) -> list[str]:
    """The English texts of ``a``'s address that have no French form yet (a title, a
    department): a French letter leaves them out until a coordinator writes them."""
    missing = []
    # A member's own title ("Member of Parliament for …") says what "député" says already.
    if a.title and a.kind is not RoleKind.MP and french_title(a) is None:
        missing.append(a.title)
    if a.kind is RoleKind.PUBLIC_SERVANT and a.organisation and not a.organisation_fr:
        missing.append(a.organisation)
    return missing


STANDING_ROLE = re.compile(r"^(Chair|Vice-Chair) of the Standing Committee on (.+)$")
FRENCH_CHAIRS = {
    "Chair": ("président", "présidente"),
    "Vice-Chair": ("vice-président", "vice-présidente"),
}


def french_title(a: Addressee) -> str | None:
    """The title in French where the sources give it (a feed's French title, or one a
    coordinator wrote) or the House names it (the Prime Minister, senators, a standing
    committee's chair and vice-chairs); None where only English exists: it is never
    machine-translated. After a name, a French title takes a small letter."""
    if a.title_fr:
        return a.title_fr[:1].lower() + a.title_fr[1:]
    feminine = a.masculine is False
    if a.kind is RoleKind.PRIME_MINISTER:
        return "première ministre du Canada" if feminine else "premier ministre du Canada"
    if a.kind is RoleKind.SENATOR and (a.title or "Senator") == "Senator":
        return "sénatrice" if feminine else "sénateur"
    match = STANDING_ROLE.match(a.title or "")
    committee = committees.french_name(match.group(2)) if match else None
    if match and committee:
        return f"{FRENCH_CHAIRS[match.group(1)][feminine]} du {committee}"
    return None


def salutation(
    a: Addressee, lang: str = "en", neutral: FrenchOpening = FrenchOpening.MADAME_MONSIEUR
) -> str:
    """E.g. 'Dear Prime Minister', 'Dear Minister Joly', 'Madame la Ministre'. ``neutral`` is
    the campaign's French opening for a person whose form of address is not known."""
    return _salutation_en(a) if lang == "en" else _salutation_fr(a, neutral)


def _is_deputy_minister(a: Addressee) -> bool:
    return a.kind is RoleKind.PUBLIC_SERVANT and (a.title or "").startswith("Deputy Minister")


def _salutation_en(a: Addressee) -> str:
    if a.kind is RoleKind.PRIME_MINISTER:
        return "Dear Prime Minister"
    if a.kind in MINISTERIAL:
        return f"Dear Minister {a.family_name}"
    if a.kind is RoleKind.SENATOR:
        return f"Dear Senator {a.family_name}"
    if a.kind is RoleKind.DIPLOMAT:
        return "Dear Ambassador"
    if _is_deputy_minister(a):
        return "Dear Deputy Minister"
    if a.courtesy:
        return f"Dear {a.courtesy} {a.family_name}"
    return f"Dear {a.name}"  # neutral: no courtesy title is guessed


# The French salutation by role, (Monsieur, Madame): FORMS-OF-ADDRESS.md's French table.
FRENCH_BY_ROLE = {
    RoleKind.PRIME_MINISTER: ("Monsieur le Premier Ministre", "Madame la Première Ministre"),
    RoleKind.MINISTER: ("Monsieur le Ministre", "Madame la Ministre"),
    RoleKind.SECRETARY_OF_STATE: ("Monsieur le Ministre", "Madame la Ministre"),
    RoleKind.SENATOR: ("Monsieur le Sénateur", "Madame la Sénatrice"),
    RoleKind.DIPLOMAT: ("Monsieur l'Ambassadeur", "Madame l'Ambassadrice"),
}
MEMBER = ("Monsieur le Député", "Madame la Députée")
DEPUTY_MINISTER = ("Monsieur le Sous-ministre", "Madame la Sous-ministre")
ANYONE = ("Monsieur", "Madame")


def _salutation_fr(a: Addressee, neutral: FrenchOpening) -> str:
    forms = FRENCH_BY_ROLE.get(a.kind) if a.kind else None
    if forms is None and _is_deputy_minister(a):
        forms = DEPUTY_MINISTER
    if forms is None:
        forms = MEMBER if a.is_mp else ANYONE
    if a.masculine is None:
        # "Excellence" names an ambassador's office, whoever holds it.
        return "Excellence" if a.kind is RoleKind.DIPLOMAT else NEUTRAL_FR[neutral]
    return forms[0] if a.masculine else forms[1]
