"""What typed text may hold: no invisible control codes, no text-direction overrides that make a
name read as another in a list, no zero-width characters in names."""

from __future__ import annotations

import re
import unicodedata

# Overrides, embeddings and isolates: "\u202eenoJ" shows as "Jone". The marks U+200E and U+200F
# that right-to-left text needs are allowed.
DIRECTION_CODES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
LINE_BREAKS = frozenset("\n\r\t")
# Control codes other than tab and line breaks (C0, DEL, C1), the direction codes and the
# zero-width characters: what a mail or a feed can carry that shows nothing, or turns text around.
HIDDEN_CODES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(DIRECTION_CODES | ZERO_WIDTH)) + "]"
)


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why ``value`` cannot be stored as typed text, or None when it can."""
    if "\x00" in value:
        return "This text holds a NUL character; retype it or paste it as plain text."
    allowed = LINE_BREAKS if multiline else frozenset("\t")
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        return "This text holds invisible control characters; retype it or paste it as plain text."
    if any(ch in DIRECTION_CODES for ch in value):
        return "This text holds codes that reverse its direction on screen; remove them."
    if "\ufffd" in value:
        return "This text holds characters that could not be read (�); retype them."
    return None


def without_zero_width(value: str) -> str:
    """``value`` without zero-width characters, which make two names look alike but differ."""
    return "".join(ch for ch in value if ch not in ZERO_WIDTH)


def without_hidden_codes(value: str) -> str:
    """``value`` without control codes (tabs and line breaks kept), direction codes or zero-width
    characters: text from outside as an export may carry it."""
    return HIDDEN_CODES.sub("", value) if HIDDEN_CODES.search(value) else value


# Characters that end a line or a paragraph without being control codes.
LINE_SEPARATORS = frozenset("\u0085\u2028\u2029")


def single_line(text: str) -> str:
    """``text`` as one line that shows what it holds: control characters and line breaks
    become spaces, direction overrides and zero-width characters are removed, and runs of
    spaces become one. For anything from outside that is shown on one line: a mail's subject,
    a sender's name and address, a file name."""
    kept = []
    for ch in text:
        if ch in DIRECTION_CODES or ch in ZERO_WIDTH:
            continue
        if ch in LINE_SEPARATORS or unicodedata.category(ch) == "Cc":
            kept.append(" ")
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def several_lines(text: str) -> str:
    """``text`` that may run over several lines (a mail's body, a log's summary) without
    control characters other than line breaks and tabs, and without direction overrides."""
    return "".join(
        ch
        for ch in text.replace("\r\n", "\n")
        if ch not in DIRECTION_CODES and (ch in "\n\t" or unicodedata.category(ch) != "Cc")
    )
