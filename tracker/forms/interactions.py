"""The quick-log form: what happened with a recipient."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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


CHANNEL_CHOICES = [SelectChoice("", _l("—")), *enum_choices(Channel)]


REPLY_CHOICES = [SelectChoice("", _l("—")), *enum_choices(ReplyClass)]


class InteractionForm(BaseForm):
    recipient_id = SelectField(
        _l("Campaign"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose the campaign."))],
    )
    kind = SelectField(_l("What happened"), choices=LOG_KIND_CHOICES, default="sent")
    occurred_on = PlausibleDateField(
        _l("Date"), validators=[InputRequired(_l("Give the date it happened."))]
    )
    channel = SelectField(_l("How"), choices=CHANNEL_CHOICES, validate_choice=True)
    reply_class = SelectField(_l("Kind of reply"), choices=REPLY_CHOICES, validate_choice=True)
    summary = TextAreaField(_l("Summary or notes"), validators=[Optional(), Length(max=20_000)])
    stance = StringField(_l("Stance or outcome"), validators=[Optional(), Length(max=80)])
    official_attendees = StringField(
        _l("Who attended for the office"), validators=[Optional(), Length(max=2000)]
    )
    coalition_attendees = StringField(
        _l("Who attended for the coalition"), validators=[Optional(), Length(max=2000)]
    )
    asks_made = TextAreaField(_l("Asks made"), validators=[Optional(), Length(max=5000)])
    commitments = TextAreaField(_l("Commitments"), validators=[Optional(), Length(max=5000)])
    submission_key = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Save"))
