"""A stored sentence (importers/said.py) in the language of whoever reads it: the page's, or the
installation's for the command line and the worker."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from importers.said import Said


def in_reader_language(text: str | None) -> str:
    """``text`` translated if it was stored as a sentence; any other text as it is."""
    if not isinstance(text, Said):
        return text or ""
    if text.parts is not None:
        return text.separator.join(in_reader_language(part) for part in text.parts)
    values = {
        key: in_reader_language(value) if isinstance(value, Said) else value
        for key, value in text.values.items()
    }
    if text.plural is not None and text.number is not None:
        values.pop("num", None)  # ngettext puts the count there itself
        return str(ngettext(text.template, text.plural, text.number, **values))
    return str(gettext(text.template, **values)) if values else str(gettext(text.template))
