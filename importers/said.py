"""Sentences stored for people to read later, kept as what made them: an English template (the
French catalogue's key), its values, and for a count its plural, so that each reader sees them in
their own language however long after they were written.

A `Said` is the English sentence itself (a `str`), so it logs, prints and compares as English;
it also remembers how it was made. `to_json` and `from_json` store it and read it back (the
models' `SaidText` columns do this); the app translates it for its reader
(`tracker/formats/said.py`). Values stay data: a server's words, a name, a count. A value that
is itself a `Said` is translated too.

Here, not in the app, because the feed parsers write such sentences and know nothing of the
app. Babel extracts the templates: `said` and `said_plural` are keywords of `make messages`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

MARK = '{"said":'


class Said(str):
    """An English sentence that remembers its template, values and plural, or the sentences it
    joins."""

    template: str
    values: Mapping[str, Any]
    plural: str | None
    number: int | None  # the count a plural is chosen by
    parts: tuple[Said, ...] | None
    separator: str

    def __new__(
        cls,
        template: str,
        values: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
        parts: Sequence[Said] | None = None,
        separator: str = ", ",
    ) -> Said:
        values = dict(values or {})
        if parts is not None:
            text = separator.join(parts)
        else:
            chosen = plural if plural is not None and count != 1 else template
            if count is not None:
                values.setdefault("num", count)
            text = chosen % values if values else chosen
        made = super().__new__(cls, text)
        made.template, made.values, made.plural, made.number = template, values, plural, count
        made.parts = tuple(parts) if parts is not None else None
        made.separator = separator
        return made

    def as_data(self) -> dict[str, Any]:
        if self.parts is not None:
            return {"said": "", "parts": [p.as_data() for p in self.parts], "sep": self.separator}
        values = {k: v.as_data() if isinstance(v, Said) else v for k, v in self.values.items()}
        data: dict[str, Any] = {"said": self.template, "values": values}
        if self.plural is not None:
            data.update(plural=self.plural, count=self.number)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Said:
        if "parts" in data:
            return cls("", parts=[cls.from_data(p) for p in data["parts"]], separator=data["sep"])
        values = {
            key: cls.from_data(value) if isinstance(value, dict) else value
            for key, value in (data.get("values") or {}).items()
        }
        return cls(data["said"], values, plural=data.get("plural"), count=data.get("count"))


def said(template: str, **values: Any) -> Said:
    """A sentence from its English template: ``said("Gave up after %(num)d tries.", num=6)``."""
    return Said(template, values)


def said_plural(singular: str, plural: str, count: int, **values: Any) -> Said:
    """A sentence about ``count`` things, ``%(num)d`` in both forms."""
    return Said(singular, values, plural=plural, count=count)


def said_together(parts: Sequence[Said], separator: str = ", ") -> Said:
    """Several sentences as one: "14 sent, 1 bounced"."""
    return Said("", parts=parts, separator=separator)


def to_json(text: str | None) -> str | None:
    """What to store: a `Said` as JSON, any other text as it is."""
    if isinstance(text, Said):
        return json.dumps(text.as_data(), ensure_ascii=False)
    return text


def from_json(stored: str | None) -> str | None:
    """What was stored: a `Said` again, or the text as it was (older rows, data)."""
    if stored is None or not stored.startswith(MARK):
        return stored
    try:
        return Said.from_data(json.loads(stored))
    except (ValueError, KeyError, TypeError):
        return stored  # a text that only starts like one: shown as it is
