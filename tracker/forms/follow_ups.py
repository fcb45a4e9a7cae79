"""Forms for planning and completing follow-ups."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from tracker.forms.base import BaseForm, LongSelect, PlausibleDateField


class FollowUpForm(BaseForm):
    # From an official's page: the official; from a campaign page: the recipient (who implies
    # the official).
    official_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    recipient_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    due_on = PlausibleDateField("Due", validators=[InputRequired("Give the due date.")])
    assignee_id = SelectField("Assigned to", validate_choice=False, widget=LongSelect())
    note = StringField("What to do", validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField("Plan follow-up")


class CompleteFollowUpForm(BaseForm):
    outcome = TextAreaField("What came of it", validators=[DataRequired(), Length(max=5000)])
    next_due_on = PlausibleDateField("Next step due (optional)", validators=[Optional()])
    next_note = StringField("Next step", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Mark done")
