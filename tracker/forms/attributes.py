"""WTForms' ``html_params``, the attributes of every widget it draws, without its per-attribute
``Markup.format`` (a string formatter run for each attribute and each option of a select): the
same text at a tenth of the calls. The quick log's form drew its nine fields in about a quarter
of its view, most of it there. tests/test_form_attributes.py holds both to the same output."""

from __future__ import annotations

from typing import Any

import wtforms.widgets.core
from markupsafe import Markup, escape

# WTForms' own, kept for the test that compares them.
wtforms_html_params = wtforms.widgets.core.html_params


def html_params(**kwargs: Any) -> Markup:
    """``wtforms.widgets.core.html_params``: sorted attributes, ``data_``/``aria_`` keys
    hyphenated, True bare, False left out, values escaped and their quotes too (a Markup
    value is not escaped again, but its double quotes are)."""
    params: list[str] = []
    for key, value in sorted(kwargs.items()):
        name = escape(wtforms.widgets.core.clean_key(key))
        if value is True:
            params.append(name)
        elif value is not False:
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 (every name and value above is escaped)


def install() -> None:
    """The widgets of wtforms.widgets.core look the function up in their module when they
    draw, but for the inputs and buttons, which hold it as a class attribute."""
    core = wtforms.widgets.core
    core.html_params = html_params
    for widget in (core.Input, core.Button):
        widget.html_params = staticmethod(html_params)
