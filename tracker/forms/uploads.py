"""Forms for spreadsheet uploads and their confirmation."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp

from tracker.forms.base import BaseForm


class CsvUploadForm(BaseForm):
    file = FileField(
        "Spreadsheet (CSV)",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Upload a .csv file."),
        ],
        description="Columns: given_name, family_name, and any of honorific, courtesy_title, "
        "email, phone, role_kind, title, organisation, start_on, province, party, notes.",
    )
    submit = SubmitField("Preview")


class CsvConfirmForm(BaseForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    submit = SubmitField("Add these officials")
