"""Who a line of a spreadsheet or a pasted list is: an official found by PersonId, then by name.

One rule for every place that names people in bulk (the officials spreadsheet, pasted contacts):
a PersonId decides; the same name (accents, case and punctuation ignored) decides when exactly
one official has it; a given-name variant (Rob for Robert, Kate for Catherine), a name written
family name first without a comma ("Oliphant Robert") or a name several officials share is a
question for a person, never a silent guess and never a silent new official.

The given-name variants come from the `nicknames` package (a maintained, hand-curated list).
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from nicknames import NickNamer

from importers.names import fold
from tracker.models import Official

# Titles people put before a name: "Hon. Robert Oliphant", "L'hon. Mélanie Joly", "Dr. Smith".
_TITLES = frozenset(
    {"hon", "honourable", "honorable", "right", "rt", "the", "l'hon", "lhon", "mr", "mrs"}
    | {"ms", "mx", "dr", "m", "mme", "mlle", "pc", "mp", "qc", "kc", "depute", "deputee"}
)
_NOT_LETTERS = re.compile(r"[^a-z0-9' ]+")


class How(enum.Enum):
    """How a line was matched, from sure to unknown."""

    PERSON_ID = "person_id"  # the ourcommons PersonId: sure
    NAME = "name"  # the only official with this name: sure
    ASK = "ask"  # a near match, or several officials: a person answers
    NOBODY = "nobody"  # no official is called anything like this


@dataclass(frozen=True)
class Match:
    """The official a line names (when sure), or the officials to ask about."""

    how: How
    official: Official | None = None
    candidates: tuple[Official, ...] = field(default=())

    @property
    def is_sure(self) -> bool:
        return self.official is not None


def words(value: str) -> list[str]:
    """A name as folded words: no accents, case, dots or commas; hyphens split words."""
    folded = fold(value).replace("-", " ").replace(".", " ")
    return [w.strip("'") for w in _NOT_LETTERS.sub(" ", folded).split() if w.strip("'")]


def _family_key(value: str) -> str:
    # "d'Entremont", "D Entremont" and "Dentremont" are one family name.
    return "".join(words(value)).replace("'", "")


def _given_key(value: str) -> str:
    return " ".join(w.replace("'", "") for w in words(value) if w not in _TITLES)


@cache
def _namer() -> NickNamer:
    return NickNamer()


def _spelling(name: str) -> str:
    """One spelling for names that sound alike and differ by a letter: Catherine and
    Katherine, Stephen and Stefan are not told apart by the nickname list."""
    name = name.replace("ph", "f").replace("ch", "\x01").replace("c", "k").replace("\x01", "ch")
    return re.sub(r"(.)\1+", r"\1", name.replace("y", "i"))


@cache
def _forms(given: str) -> frozenset[str]:
    """A given name, its nicknames and the names it is a nickname of, each in one spelling."""
    namer = _namer()
    related = {given} | namer.nicknames_of(given) | namer.canonicals_of(given)
    return frozenset(_spelling(name) for name in related)


@cache
def _canonicals(given: str) -> frozenset[str]:
    return frozenset(_spelling(name) for name in _namer().canonicals_of(given) | {given})


def given_names_vary(one: str, other: str) -> bool:
    """Whether two given names are variants of one name (Rob, Bob and Robert; Kate and
    Catherine; Bill and William), by the nickname list, ignoring accents and case."""
    a, b = _given_key(one), _given_key(other)
    if not a or not b:
        return False
    first_a, first_b = a.split()[0], b.split()[0]
    if _spelling(first_a) == _spelling(first_b):
        return True
    if _spelling(first_b) in _forms(first_a) or _spelling(first_a) in _forms(first_b):
        return True
    # Two nicknames of one longer name (Bob and Rob of Robert); the list also calls "Bill" a
    # name Robert and William are both nicknamed by, which makes no two full names one.
    longest = max(len(first_a), len(first_b))
    shared = _canonicals(first_a) & _canonicals(first_b)
    return any(len(name) > longest for name in shared)


class PersonIndex:
    """Every official, found by PersonId or by family name, to match many lines at once."""

    def __init__(self, officials: Iterable[Official]) -> None:
        self._by_person_id: dict[int, Official] = {}
        self._by_family: dict[str, list[Official]] = defaultdict(list)
        for official in officials:
            self.add(official)

    def add(self, official: Official) -> None:
        """Know one more official (one just added from the same list)."""
        if official.ourcommons_id is not None:
            self._by_person_id[official.ourcommons_id] = official
        self._by_family[_family_key(official.family_name)].append(official)

    def match(self, given: str, family: str, person_id: int | None = None) -> Match:
        """The official named by a PersonId, else by a given and a family name; else, where
        the two were written the other way round ("Oliphant Robert", or a sheet's columns
        swapped) and that names exactly one official, a question about them."""
        found = self._named(given, family, person_id)
        if found.how is not How.NOBODY:
            return found
        return _only_as_a_question(self._named(family, given, person_id))

    def _named(self, given: str, family: str, person_id: int | None) -> Match:
        if person_id is not None and person_id in self._by_person_id:
            return Match(How.PERSON_ID, self._by_person_id[person_id])
        candidates = [
            o
            for o in self._by_family.get(_family_key(family), [])
            if person_id is None or o.ourcommons_id is None
        ]
        return _by_given_name(given, candidates)

    def match_full_name(self, name: str, person_id: int | None = None) -> Match:
        """The official named by a PersonId, else by a full name as people write it ("Hon.
        Robert Oliphant", "Oliphant, Rob"): the family name is the end, or before a comma."""
        if person_id is not None and person_id in self._by_person_id:
            return Match(How.PERSON_ID, self._by_person_id[person_id])
        if "," in name:
            family, _, given = name.partition(",")
            return self.match(given, family, person_id)
        parts = [w for w in words(name) if w not in _TITLES]
        best = Match(How.NOBODY)
        for cut in range(1, len(parts)):
            found = self.match(" ".join(parts[:cut]), " ".join(parts[cut:]), person_id)
            if _rank(found) > _rank(best):
                best = found
        return best


def who(official: Official) -> str:
    """An official as a question names them: "Robert Oliphant (Don Valley West)", else with
    their current role or province, to tell apart two people of one name."""
    current = next((r.title for r in official.roles if r.end_on is None), None)
    where = official.constituency or current or official.province
    return f"{official.full_name} ({where})" if where else official.full_name


def _rank(match: Match) -> int:
    return {How.NOBODY: 0, How.ASK: 1, How.NAME: 2, How.PERSON_ID: 3}[match.how]


def _only_as_a_question(found: Match) -> Match:
    """A match of a name written family name first: never taken as sure, and asked about only
    when it names one official (two would make a guess of it)."""
    named = (found.official,) if found.official is not None else found.candidates
    if found.how in (How.NAME, How.ASK) and len(named) == 1:
        return Match(How.ASK, candidates=named)
    return Match(How.NOBODY)


def _same_given(given: str, official: Official) -> bool:
    key = _given_key(given)
    names = [official.given_name, official.preferred_name or ""]
    return bool(key) and any(key == _given_key(n) for n in names if n)


def _by_given_name(given: str, candidates: list[Official]) -> Match:
    same = [o for o in candidates if _same_given(given, o)]
    if len(same) == 1:
        return Match(How.NAME, same[0])
    if same:
        return Match(How.ASK, candidates=tuple(same))
    near = [
        o
        for o in candidates
        if given_names_vary(given, o.given_name)
        or (o.preferred_name and given_names_vary(given, o.preferred_name))
    ]
    if near:
        return Match(How.ASK, candidates=tuple(near))
    return Match(How.NOBODY)
