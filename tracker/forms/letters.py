"""The confirmation before a campaign's letters leave: one tick for each warning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import ngettext
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms.base import BaseForm
from tracker.rules.send_checks import SendWarning, unticked


class SendForm(BaseForm):
    """Send the letters, each warning ticked. The warnings are those of the moment the form is
    posted: one that appeared since the page was shown is not ticked, and the send is refused."""

    confirm = SelectMultipleField(
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )

    def __init__(self, warnings: Sequence[SendWarning], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.warnings = list(warnings)
        self.confirm.choices = [(warning.key, warning.text) for warning in self.warnings]

    def validate_confirm(self, field: SelectMultipleField) -> None:
        left = unticked(self.warnings, field.data or [])
        if left:
            raise ValidationError(
                ngettext(
                    "Nothing was sent: %(num)d warning is not ticked. Tick it to send anyway.",
                    "Nothing was sent: %(num)d warnings are not ticked. Tick each to send anyway.",
                    len(left),
                )
            )
