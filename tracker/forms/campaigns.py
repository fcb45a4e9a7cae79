"""Forms for a campaign, its signatories and its recipients."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from tracker.forms.base import BaseForm, PlausibleDateField, enum_choices
from tracker.models import CampaignStatus, Channel, SignatoryKind

CAMPAIGN_STATUS_CHOICES = enum_choices(CampaignStatus)


MAX_ATTACHMENT_MB = 10


class CampaignForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    letter_on = PlausibleDateField("Date of the letter", validators=[Optional()])
    status = SelectField("Status", choices=CAMPAIGN_STATUS_CHOICES, default="draft")
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=5000)])
    asks = TextAreaField(
        "Asks", validators=[Optional(), Length(max=5000)], description="One per line."
    )
    body = TextAreaField(
        "Letter text",
        validators=[Optional(), Length(max=100_000)],
        description="Markdown: *italics*, **bold**, lists, links.",
    )
    link_url = URLField(
        "Link to the published letter",
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
    )
    attachment = FileField(
        "PDF of the letter",
        validators=[Optional(), FileAllowed(["pdf"], "Attach a PDF file.")],
        description=f"Optional; up to {MAX_ATTACHMENT_MB} MB.",
    )
    version = HiddenField()
    submit = SubmitField("Save")

    def validate_link_url(self, field: Field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Give a web address starting with https://")


class SignatoryForm(BaseForm):
    name = StringField("Organisation or person", validators=[DataRequired(), Length(max=400)])
    kind = SelectField("Kind", choices=enum_choices(SignatoryKind))
    is_lead = BooleanField("Lead author")
    note = StringField("Note", validators=[Optional(), Length(max=400)])
    submit = SubmitField("Add signatory")


class PastedSignatoriesForm(BaseForm):
    names = TextAreaField(
        "Organisations, one per line",
        validators=[DataRequired("Paste at least one name."), Length(max=100_000)],
        description="Bullets and numbers at the start of a line are dropped.",
    )
    kind = SelectField("Kind", choices=enum_choices(SignatoryKind))
    preview = SubmitField("Preview")
    confirm = SubmitField("Add them")


class SignatoryRowForm(Form):
    """One row of the editable signatories list (inside the list's CSRF-protected form)."""

    id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    position = IntegerField("Position", validators=[NumberRange(1, 10_000)])
    name = StringField("Name", validators=[Length(max=400)])
    note = StringField("Note", validators=[Optional(), Length(max=400)])
    remove = BooleanField("Remove")


class SignatoryListForm(BaseForm):
    rows = FieldList(FormField(SignatoryRowForm))
    lead = StringField("Lead author", validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField("Save the list")


BY_ROLE_CHOICES = [
    SelectChoice("ministers", "All current ministers (and the Prime Minister)"),
    SelectChoice("secretaries_of_state", "All current secretaries of state"),
    SelectChoice("parliamentary_secretaries", "Parliamentary secretaries (to a given minister)"),
    SelectChoice("committee_leads", "Chair and vice-chairs of a committee"),
    SelectChoice("committee_members", "All members of a committee"),
    SelectChoice("party", "MPs of a party"),
    SelectChoice("province", "MPs of a province or territory"),
]
# Which options each extra field belongs to (the page shows a field only for its options).
BY_ROLE_FIELDS = {
    "committee": "committee_leads committee_members",
    "minister": "parliamentary_secretaries",
    "party": "party",
    "province": "province",
}
LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("fr", "Français")]


class RecipientsByRoleForm(BaseForm):
    selection = SelectField("Add", choices=BY_ROLE_CHOICES)
    committee = SelectField("Committee", validate_choice=False)
    minister = SelectField(
        "Secretary to",
        validate_choice=False,
        description="The minister's parliamentary secretary, or all of them.",
    )
    party = SelectField("Party", validate_choice=False)
    province = SelectField("Province or territory", validate_choice=False)
    language = SelectField("Letter language", choices=LANGUAGE_CHOICES)
    post_nominals = BooleanField("Add P.C. and M.P. after names", default=True)
    preview = SubmitField("Preview who will be added")
    submit = SubmitField("Add recipients")


class RecipientByNameForm(BaseForm):
    official_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
    language = SelectField("Letter language", choices=LANGUAGE_CHOICES)
    submit = SubmitField("Add")


class RecipientEditForm(BaseForm):
    addressed_as = StringField("Addressed as", validators=[DataRequired(), Length(max=600)])
    salutation = StringField("Salutation", validators=[DataRequired(), Length(max=200)])
    email_override = EmailField(
        "Send this letter to",
        validators=[Optional(), Email(), Length(max=254)],
        description="Leave empty to use the e-mail address in the officials directory.",
    )
    submit = SubmitField("Save")


class BulkSentForm(BaseForm):
    sent_on = PlausibleDateField(
        "Sent on", validators=[InputRequired("Give the date they were sent.")]
    )
    channel = SelectField("How", choices=enum_choices(Channel))
    submission_key = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Mark selected as sent")
