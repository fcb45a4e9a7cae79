"""Forms for spreadsheet uploads and their confirmation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional, Regexp

from importers import interactions_csv
from importers.spreadsheet import ENCODINGS
from tracker.forms.base import BaseForm

ENCODING_CHOICES = [
    SelectChoice("", _l("Detect it")),
    *(SelectChoice(key, _l(label)) for key, label in ENCODINGS.items()),
]


def _csv_file(description: Any) -> FileField:
    return FileField(
        _l("Spreadsheet (CSV)"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(
                ["csv", "txt"], _l("Upload a .csv file (save it from your spreadsheet as CSV).")
            ),
        ],
        description=description,
    )


def _encoding() -> SelectField:
    return SelectField(
        _l("Text encoding"),
        choices=ENCODING_CHOICES,
        validators=[Optional()],
        description=_l(
            "Leave it to Hilltrack unless accented names come out wrong in the preview."
        ),
    )


class OfficialsUploadForm(BaseForm):
    file = _csv_file(
        _l(
            "Columns: %(required)s, and any of %(optional)s.",
            required="given_name, family_name",
            optional="person_id, honorific, courtesy_title, email, phone, role_kind, title, "
            "organisation, committee, start_on, end_on, province, party, notes",
        )
    )
    encoding = _encoding()
    submit = SubmitField(_l("Preview"))


class PastOutreachUploadForm(BaseForm):
    file = _csv_file(
        _l(
            "Columns: one row per event: the official and the date, and any of %(fields)s "
            "(what happened, how, the kind of reply, notes); you choose which column is which "
            "next.",
            fields=", ".join(f for f in interactions_csv.FIELDS if f not in ("official", "date")),
        )
    )
    encoding = _encoding()
    submit = SubmitField(_l("Preview"))


ANSWER = re.compile(r"^answer-(\d{1,6})$")
ANSWER_VALUE = re.compile(r"^(new|skip|\d{1,12})$")


def answers_from(posted: Mapping[str, str]) -> dict[int, str]:
    """The preview's answers, row by row: "new", "skip" or an official's id; anything else
    is no answer (the row is then skipped, and says so)."""
    answers = {}
    for key, value in posted.items():
        line = ANSWER.match(key)
        if line and ANSWER_VALUE.match(value):
            answers[int(line.group(1))] = value
    return answers


class CsvConfirmForm(BaseForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    encoding = HiddenField(validators=[Optional(), Regexp(r"^[a-z0-9_-]{0,20}$")])
    submit = SubmitField(_l("Add these officials"))
