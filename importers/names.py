"""Folding names and places so the same person matches across feeds and spellings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u00b4`]")
_SPACES = re.compile(r"\s+")


# An import folds each of a thousand officials' names, places and titles several times over
# (keys, search words, sort keys), and the next import the same ones again: remembered.
@lru_cache(maxsize=32_768)
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


# Letters NFKD leaves whole, written as a reader would type them: "Lœwen" is found by "loewen".
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)
# Anything that is not a letter or a digit separates words: hyphens, dashes, apostrophes, dots.
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_words(value: str) -> list[str]:
    """The folded words of a name, a place or a query: accents, case, hyphens, apostrophes and
    dashes ignored. 'Trois-Rivières' → ['trois', 'rivieres']; "d'Entremont" → ['d', 'entremont']."""
    return _NOT_WORD.sub(" ", fold(value.translate(_LIGATURES))).split()


def _compact(value: str) -> str:
    return "".join(search_words(value))


def search_key(*parts: str | None) -> str:
    """What a search matches each of its words against: the folded words of every part, and
    each part's words run together too, so "dentremont" finds "d'Entremont" and "vankoeverden"
    finds "van Koeverden". Stored, and so computed once, by the one writer rule."""
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        split = search_words(part)
        words.extend(split)
        if len(split) > 1:
            words.append("".join(split))
    return " ".join(words)


def sort_key(family_name: str, given_name: str) -> str:
    """Where a name sorts in a list, the way a Canadian directory sorts: by the family name
    folded with its particles and punctuation run together ("Bélanger" with the Bs,
    "d'Entremont" with the Ds, "van Koeverden" with the Vs), then by the given name."""
    return f"{_compact(family_name)} {_compact(given_name)}"
