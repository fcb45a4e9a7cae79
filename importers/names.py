"""Folding names and places so the same person matches across feeds and spellings."""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u00b4`]")
_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Lower-case, accent-free, one kind of dash and apostrophe, single spaces.

    'Mélanie Joly' → 'melanie joly'; 'Parry Sound—Muskoka' → 'parry sound-muskoka'.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _APOSTROPHES.sub("'", _DASHES.sub("-", stripped))
    stripped = re.sub(r"\s*-\s*", "-", stripped)
    return _SPACES.sub(" ", stripped).strip().casefold()


def name_key(given_name: str, family_name: str) -> str:
    """The folded full name used to find an official a feed names without a stable id."""
    return fold(f"{given_name} {family_name}")


def normalize_honorific(value: str | None) -> str | None:
    """The feed's short honorific in one spelling: 'Hon.' or 'Right Hon.' (or None)."""
    if value is None:
        return None
    folded = fold(value).replace(".", "").replace(" ", "")
    if folded in {"righthon", "rthon"}:
        return "Right Hon."
    if folded == "hon":
        return "Hon."
    return value.strip() or None


def sentence_case(title: str) -> str:
    """Capitalise the first letter only: the House officers feed writes 'chief opposition whip'."""
    title = title.strip()
    return title[:1].upper() + title[1:]
