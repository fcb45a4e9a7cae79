"""Forms for contact details entered by hand: a pasted or uploaded list, and one address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import EmailField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from importers.contacts_list import MAX_CHARACTERS
from tracker.forms.base import BaseForm, SendableAddress


class ContactsListForm(BaseForm):
    """A list of officials' e-mail addresses, pasted or as a file."""

    text = TextAreaField(
        _l("Paste the list"),
        validators=[
            Optional(),
            Length(
                max=MAX_CHARACTERS,
                message=_l("The list is longer than %(max)d characters; split it."),
            ),
        ],
        description=_l(
            "One official a line: a name or a PersonId, then an e-mail address, and if you have "
            "them a phone number and a postal address, separated by tabs (pasted from a "
            "spreadsheet) or commas. “Robert Oliphant <robert.oliphant@parl.gc.ca>” works too."
        ),
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    file = FileField(
        _l("Or upload a file (CSV or text)"),
        validators=[
            FileAllowed(["csv", "txt"], _l("Upload a .csv or .txt file.")),
        ],
    )
    campaign = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField(_l("Preview"))


class ContactsConfirmForm(BaseForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    campaign = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField(_l("Save these contact details"))


class EmailAddressForm(BaseForm):
    """One official's e-mail address, typed on a campaign's Letters page."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Type the e-mail address.")),
            Length(max=254),
            Email(_l("That is not an e-mail address."), check_deliverability=False),
            SendableAddress(),
        ],
    )
    submit = SubmitField(_l("Add"))
