"""The campaign page's editable signatory list, its rows built in Python.

Each row is five form fields and four sentences; drawn by WTForms from the template, a list of
two dozen signatories cost more than the rest of the page (every field's attributes sorted,
escaped and formatted one by one through ``Markup.format``). Here each field is written as
WTForms writes it (the attributes in name order, values escaped), its limits read from the
form's own validators, and the row's words are looked up once per list.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from tracker.forms.campaigns import SignatoryListForm
from tracker.web.templating import escaped

WORDS = {
    "position": _l("Position of %(name)s"),
    "name": _l("Name"),
    "note": _l("Note on %(name)s"),
    "placeholder": _l("Note (optional)"),
    "lead": _l("Lead"),
    "remove": _l("Remove"),
    "up": _l("Move %(name)s up"),
    "down": _l("Move %(name)s down"),
}


def _input(**attributes: Any) -> str:
    """An ``<input>`` as WTForms's html_params writes it: attributes sorted by name, ``True``
    as the bare name, ``False`` or ``None`` left out, every value escaped but our markup."""
    written = []
    for name, value in sorted(attributes.items()):
        if value is True:
            written.append(name)
        elif value is not False and value is not None:
            text = value if isinstance(value, Markup) else escaped(str(value))
            written.append(f'{name}="{text}"')
    return f"<input {' '.join(written)}>"


def _filled(sentence: str, name: str) -> str:
    return sentence % {"name": escaped(name)}


def signatory_rows(form: SignatoryListForm) -> Markup:
    """Every row of the list, as the template's markup around them expects: the position,
    name and note fields, the lead radio, the remove box and the move buttons."""
    if not form.rows.entries:
        return Markup("")
    # The catalogue's words are our markup, as the template's _() gave them; names are escaped.
    words = {key: str(text) for key, text in WORDS.items()}
    first = form.rows.entries[0].form
    # The limits the validators set, the same on every row (WTForms reads them as flags).
    position_min, position_max = first.position.flags.min, first.position.flags.max
    name_max, note_max = first.name.flags.maxlength, first.note.flags.maxlength
    lead_name, lead = escaped(form.lead.name), str(form.lead.data or "")
    rows = []
    for row in form.rows.entries:
        r = row.form
        name, row_id = str(r.name.data or ""), r.id._value()
        rows.append(
            '\n      <li class="signatory-row">\n        '
            + _input(id=r.id.id, name=r.id.name, type="hidden", value=row_id)
            + '\n        <label class="position"><span class="visually-hidden">'
            + _filled(words["position"], name)
            + "</span>"
            + _input(
                id=r.position.id,
                inputmode="numeric",
                max=position_max,
                min=position_min,
                name=r.position.name,
                type="number",
                value=r.position._value(),
            )
            + '</label>\n        <label class="name"><span class="visually-hidden">'
            + words["name"]
            + "</span>"
            + _input(
                id=r.name.id,
                maxlength=name_max,
                name=r.name.name,
                required=True,
                type="text",
                value=r.name._value(),
            )
            + '</label>\n        <label class="note"><span class="visually-hidden">'
            + _filled(words["note"], name)
            + "</span>"
            + _input(
                id=r.note.id,
                maxlength=note_max,
                name=r.note.name,
                placeholder=Markup(words["placeholder"]),  # noqa: S704 (the catalogue's)
                type="text",
                value=r.note._value(),
            )
            + '</label>\n        <span class="row-actions">\n          <label><input type="radio"'
            + f' name="{lead_name}" value="{escaped(row_id)}" '
            + ("checked" if lead == row_id else "")
            + f"> {words['lead']}</label>\n          <label>"
            + _input(
                checked=bool(r.remove.data),
                id=r.remove.id,
                name=r.remove.name,
                type="checkbox",
                value="y",
            )
            + f" {words['remove']}</label>\n"
            + '          <button type="button" class="secondary outline small" data-move="up"'
            + f' aria-label="{_filled(words["up"], name)}">↑</button>\n'
            + '          <button type="button" class="secondary outline small" data-move="down"'
            + f' aria-label="{_filled(words["down"], name)}">↓</button>\n'
            + "        </span>\n      </li>\n    "
        )
    return Markup("".join(rows))  # noqa: S704 (every value escaped as it went in)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["signatory_rows"] = signatory_rows
