"""The quick-log form: what happened with a recipient."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from tracker.forms.base import BaseForm, PlausibleDateField, enum_choices
from tracker.models import Channel, InteractionKind, ReplyClass

LOG_KIND_CHOICES = enum_choices(InteractionKind)


CHANNEL_CHOICES = [SelectChoice("", "—"), *enum_choices(Channel)]


REPLY_CHOICES = [SelectChoice("", "—"), *enum_choices(ReplyClass)]


class InteractionForm(BaseForm):
    recipient_id = SelectField(
        "Campaign", validate_choice=False, validators=[InputRequired("Choose the campaign.")]
    )
    kind = SelectField("What happened", choices=LOG_KIND_CHOICES, default="sent")
    occurred_on = PlausibleDateField(
        "Date", validators=[InputRequired("Give the date it happened.")]
    )
    channel = SelectField("How", choices=CHANNEL_CHOICES, validate_choice=True)
    reply_class = SelectField("Kind of reply", choices=REPLY_CHOICES, validate_choice=True)
    summary = TextAreaField("Summary or notes", validators=[Optional(), Length(max=20_000)])
    stance = StringField("Stance or outcome", validators=[Optional(), Length(max=80)])
    official_attendees = StringField(
        "Who attended for the office", validators=[Optional(), Length(max=2000)]
    )
    coalition_attendees = StringField(
        "Who attended for the coalition", validators=[Optional(), Length(max=2000)]
    )
    asks_made = TextAreaField("Asks made", validators=[Optional(), Length(max=5000)])
    commitments = TextAreaField("Commitments", validators=[Optional(), Length(max=5000)])
    submission_key = HiddenField()
    version = HiddenField()
    submit = SubmitField("Save")
