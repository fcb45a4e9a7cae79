"""Whether something said is on a letter's subject: its words, matched whole, with accents and
case ignored, in English and French alike ("Arménie" is found in "l'ARMENIE", "Nagorno-Karabakh"
in "Nagorno Karabakh", but "Armenia" not in "Armenian")."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"
SEPARATOR = f"[{DASHES}\\s]+"


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


def fold(text: str) -> str:
    """``text`` without accents, in one case, for comparing words."""
    return "".join(_fold_char(c) for c in text)


@functools.cache
def _combining() -> dict[int, None]:
    """Every combining mark, to drop them all at once (built once per process)."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}


def _quick_fold(text: str) -> str:
    """``fold`` for a whole text at once, without keeping positions: a quick first look."""
    return unicodedata.normalize("NFKD", text).translate(_combining()).casefold()


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original one."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


@dataclass(frozen=True)
class SubjectWords:
    """A campaign's subject: its words and phrases, and the index terms picked for it."""

    phrases: tuple[str, ...]
    term_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        words = [p for p in self.phrases if fold(p).strip()]
        parts = [
            SEPARATOR.join(re.escape(w) for w in re.split(SEPARATOR, fold(p).strip()))
            for p in sorted(words, key=len, reverse=True)
        ]
        pattern = f"(?<!\\w)(?:{'|'.join(parts)})(?!\\w)" if parts else None
        object.__setattr__(self, "_pattern", re.compile(pattern) if pattern else None)
        object.__setattr__(self, "_by_fold", {_key(p): p for p in words})

    @property
    def is_empty(self) -> bool:
        """No word and no term: nothing can match."""
        return self._pattern is None and not self.term_ids  # type: ignore[attr-defined]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the subject's words stand in ``text``, as (start, end) of the original text."""
        pattern: re.Pattern[str] | None = self._pattern  # type: ignore[attr-defined]
        if pattern is None or not text:
            return []
        if text.isascii():  # most of the record: folding keeps every position
            return [m.span() for m in pattern.finditer(text.lower())]
        if pattern.search(_quick_fold(text)) is None:
            return []
        folded, where = _folded_with_positions(text)
        return [(where[m.start()], where[m.end() - 1] + 1) for m in pattern.finditer(folded)]

    def found_in(self, texts: Iterable[str]) -> list[str]:
        """The subject's words found in ``texts``, as the campaign wrote them, in order."""
        found: dict[str, None] = {}
        by_fold: dict[str, str] = self._by_fold  # type: ignore[attr-defined]
        for text in texts:
            for start, end in self.spans(text):
                found.setdefault(by_fold.get(_key(text[start:end]), text[start:end]))
        return list(found)

    def matches(self, texts: Sequence[str], term_ids: Iterable[int] = ()) -> list[str]:
        """What makes an intervention match: the words found in its texts, and the picked
        index terms it carries (as "#<id>"); empty when it does not match."""
        words = self.found_in(texts)
        return words + [f"#{t}" for t in term_ids if t in self.term_ids]


def _key(text: str) -> str:
    return " ".join(re.split(SEPARATOR, fold(text).strip()))


def marked(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each saying whether it is one of the subject's words."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
