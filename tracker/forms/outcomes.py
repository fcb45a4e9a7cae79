"""The form for what a campaign's letter is about: its words in English and in French."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length

from tracker.forms.base import BaseForm


class SubjectWordsForm(BaseForm):
    english = TextAreaField(
        _l("Words and phrases in English, one a line"), validators=[Length(max=4000)]
    )
    french = TextAreaField(
        _l("Words and phrases in French, one a line"), validators=[Length(max=4000)]
    )

    # The House indexers' terms seen in matching interventions (choices set by the view).
    terms = SelectMultipleField(_l("Index terms seen in what matched"), coerce=int, choices=[])

    def lines(self, name: str) -> list[str]:
        """The field's lines, blank ones left out."""
        return [
            line.strip() for line in (getattr(self, name).data or "").splitlines() if line.strip()
        ]
