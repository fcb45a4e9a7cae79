"""The frozen records every source parses into, before anything touches the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Language names as Represent gives them (and their French forms), to the codes letters use.
LANGUAGE_CODES = {"english": "en", "anglais": "en", "french": "fr", "français": "fr"}


@dataclass(frozen=True)
class Person:
    """Who a feed record is about, as the feed names them."""

    given_name: str
    family_name: str
    person_id: int | None = None
    honorific: str | None = None
    constituency: str | None = None
    province: str | None = None
    party: str | None = None
    # The caucus's French short name: the French members list's, else the table of facts.
    party_fr: str | None = None


@dataclass(frozen=True)
class Term:
    """An office a feed says a person holds (or held) between two dates."""

    person: Person
    kind: str  # a tracker.models.RoleKind value
    title: str
    start_on: dt.date | None
    end_on: dt.date | None = None
    organisation: str | None = None  # e.g. a committee name; None for the House itself
    organisation_acronym: str | None = None


@dataclass(frozen=True)
class Office:
    """An office address and phone numbers from Represent."""

    type: str
    postal: str = ""
    tel: str = ""
    fax: str = ""


@dataclass(frozen=True)
class Contact:
    """Contact details for a person, keyed by their ourcommons PersonId."""

    person_id: int
    email: str | None = None
    photo_url: str | None = None
    phone: str | None = None
    offices: tuple[Office, ...] = field(default_factory=tuple)
    source_url: str | None = None
    # The languages the office corresponds in, as Represent lists them ("English", "French"):
    # what a letter in the recipient's language can go by.
    languages: tuple[str, ...] = ()
    # Represent's `gender`, "F" or "M" where it gives one: the form of address (Madame,
    # Monsieur) a letter uses; never guessed from a first name.
    gender: str | None = None

    @property
    def preferred_language(self) -> str | None:
        """ "en" or "fr" when the office names one of the two only; None when it names both
        (a bilingual office: the campaign's language then decides) or neither."""
        known = {
            LANGUAGE_CODES[w.casefold()] for w in self.languages if w.casefold() in LANGUAGE_CODES
        }
        return known.pop() if len(known) == 1 else None


@dataclass(frozen=True)
class TitleInFrench:
    """A ministerial title as the English export gives it, and the French export's form."""

    person: Person
    title: str
    title_fr: str
    start_on: dt.date | None = None


@dataclass(frozen=True)
class FeedSnapshot:
    """Everything one source said in one fetch: its terms, its contacts, and what it covers."""

    source: str
    terms: tuple[Term, ...] = ()
    contacts: tuple[Contact, ...] = ()
    # Role kinds this source is authoritative for: their current roles not in `terms` end.
    covers: frozenset[str] = frozenset()
    # When set, only these PersonIds' roles can end (profiles are fetched person by person).
    scope: frozenset[int] | None = None
    warnings: tuple[str, ...] = ()
    # False for a source that only adds roles to people the others know (committee pages): an
    # unknown PersonId there is held for review, never created blind, and the people's details
    # (party, riding) stay the members feed's.
    creates_officials: bool = True
    # French forms of titles other sources gave (the ministries CSV pair).
    titles_fr: tuple[TitleInFrench, ...] = ()
