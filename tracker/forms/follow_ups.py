"""Forms for planning and completing follow-ups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from tracker.forms.base import BaseForm, LongSelect, PlausibleDateField


class FollowUpForm(BaseForm):
    # From an official's page: the official; from a campaign page: the recipient (who implies
    # the official).
    official_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    recipient_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    due_on = PlausibleDateField(_l("Due"), validators=[InputRequired(_l("Give the due date."))])
    assignee_id = SelectField(_l("Assigned to"), validate_choice=False, widget=LongSelect())
    # Shown when the menu cannot list everyone (see queries.accounts.assignee_choices).
    assignee_email = StringField(
        _l("Or someone else: their e-mail"), validators=[Optional(), Length(max=254)]
    )
    note = StringField(_l("What to do"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Plan follow-up"))


class CompleteFollowUpForm(BaseForm):
    outcome = TextAreaField(_l("What came of it"), validators=[DataRequired(), Length(max=5000)])
    next_due_on = PlausibleDateField(_l("Next step due (optional)"), validators=[Optional()])
    next_note = StringField(_l("Next step"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Mark done"))
