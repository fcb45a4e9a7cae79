"""The CSRF-protected base every form shares, and helpers for choices and widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import current_app, flash
from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from tracker.errors import OperationError
from tracker.forms import attributes
from tracker.models.base import EARLIEST_DATE, LATEST_DATE, plausible_date
from tracker.models.enums import StrEnum
from tracker.rules.text import text_problem, without_zero_width

# Every form's widgets draw their attributes the cheaper way (same text): forms/attributes.py.
attributes.install()


def enum_choices(members: Iterable[StrEnum]) -> list[SelectChoice]:
    """Select options for enum members: their stored value, their readable label."""
    return [
        SelectChoice(member.value, lazy_pgettext(type(member).__name__, member.english))
        for member in members
    ]


class BaseForm(FlaskForm):
    """The CSRF-protected base of every form; its text fields refuse control characters and
    direction overrides, and single-line fields (names) lose their zero-width characters."""

    def validate(self, extra_validators: Any = None) -> bool:
        checked = bool(super().validate(extra_validators))
        for field in self._fields.values():
            if not isinstance(field, StringField) or isinstance(field, PasswordField):
                continue
            if not isinstance(field.data, str):
                continue
            multiline = isinstance(field, TextAreaField)
            if not multiline:
                field.data = without_zero_width(field.data)
            problem = text_problem(field.data, multiline=multiline)
            if problem:
                field.errors = [*field.errors, problem]
                checked = False
        return checked

    def show_error(self, error: OperationError) -> None:
        """Show a refused operation's message on its field, or as a form-level flash."""
        field = self._fields.get(error.field) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, "error")


class ActionForm(BaseForm):
    """A bare POST button (sign out, deactivate): only the CSRF token travels."""


class LongSelect(Select):
    """WTForms' select widget, with each plain option written by one format: the list of
    everyone a follow-up can go to has hundreds, and the stock widget builds every option's
    attributes one by one."""

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)  # type: ignore[no-any-return]
        # Joined as text, each value escaped (Markup.format ran a string formatter per option).
        chosen = " selected" if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option value="{value}"{chosen}>{label}</option>')  # noqa: S704 (escaped)


class PlausibleDateField(DateField):
    """A date typed as YYYY-MM-DD between 1900 and 2100, refused with what is wrong with it
    ("2026-02-30 is not a date"), not a bare "This field is required."."""

    data: Any  # like every WTForms field: a date once validated, else None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip()[:40]
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self.data = None
            raise ValueError(
                _("%(text)s is not a date: write it as YYYY-MM-DD.", text=text)
            ) from None
        if not plausible_date(value):
            self.data = None
            raise ValueError(
                _(
                    "Give a date between %(first)d and %(last)d.",
                    first=EARLIEST_DATE.year,
                    last=LATEST_DATE.year,
                )
            ) from None
        self.data = value


class SendableAddress:
    """An e-mail address letters can go to: one with letters beyond plain ASCII (andré@..., a
    full-width letter a, U+FF41) is refused unless the mail server offers SMTPUTF8
    (TRACKER_MAIL_SMTPUTF8), since the server could not take the letter."""

    def __call__(self, form: Any, field: Any) -> None:
        address = field.data or ""
        if address.isascii() or current_app.config.get("MAIL_SMTPUTF8"):
            return
        beyond = sorted({c for c in address if not c.isascii()})
        raise ValidationError(
            _(
                "This address has letters beyond plain ASCII (%(letters)s), which the mail "
                "server cannot take. Check it for a look-alike letter, or ask an admin whether "
                "the server offers SMTPUTF8.",
                letters=", ".join(f"{c} U+{ord(c):04X}" for c in beyond),
            )
        )
