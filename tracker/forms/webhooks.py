"""Subscribing a URL to events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms.base import BaseForm
from tracker.models import WebhookEvent

EVENT_LABELS = {
    WebhookEvent.INTERACTION_LOGGED: _l("An interaction is logged (a send, reply, meeting, call…)"),
    WebhookEvent.RECIPIENT_STATUS_CHANGED: _l("A recipient's status changes"),
    WebhookEvent.LETTER_SENT: _l("A letter is sent by e-mail"),
    WebhookEvent.LETTER_BOUNCED: _l("A letter bounces"),
    WebhookEvent.MESSAGE_IN_TRIAGE: _l("A message waits in triage"),
    WebhookEvent.OUTCOME_FOUND: _l("Something a member said in Parliament is found"),
}


class SubscriptionForm(BaseForm):
    url = StringField(
        _l("Receiver's URL"),
        validators=[
            DataRequired(_l("Give the URL that should receive the events.")),
            Length(max=2000),
        ],
        description=_l("Where Hilltrack POSTs each event, e.g. https://crm.example.org/hooks."),
    )
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(kind.value, label) for kind, label in EVENT_LABELS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
