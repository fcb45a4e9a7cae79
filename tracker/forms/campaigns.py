"""Forms for a campaign, its signatories and its recipients."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

from tracker.forms.base import BaseForm, PlausibleDateField, SendableAddress, enum_choices
from tracker.models import CampaignStatus, Channel, FrenchOpening, SignatoryKind

CAMPAIGN_STATUS_CHOICES = enum_choices(CampaignStatus)


MAX_ATTACHMENT_MB = 10


LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("fr", "Français")]
# A new recipient's language when none is chosen: the official's own, else the campaign's.
THEIR_OWN = SelectChoice("", _l("Their own language, else the campaign's"))
MARKDOWN = _l("Markdown: *italics*, **bold**, lists, links.")


class CampaignForm(BaseForm):
    title = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    subject = StringField(
        _l("Subject line in English"),
        validators=[Optional(), Length(max=300)],
        description=_l("Leave empty to use the title."),
    )
    summary = TextAreaField(_l("Summary in English"), validators=[Optional(), Length(max=5000)])
    asks = TextAreaField(
        _l("Asks in English"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line."),
    )
    body = TextAreaField(
        _l("Letter text in English"),
        validators=[Optional(), Length(max=100_000)],
        description=MARKDOWN,
    )
    french_opening = SelectField(
        _l("French opening when the form of address is not known"),
        choices=enum_choices(FrenchOpening),
        default=FrenchOpening.MADAME_MONSIEUR.value,
        description=_l(
            "“Bonjour,” is the inclusive opening; “Madame, Monsieur,” the traditional one."
        ),
    )
    title_fr = StringField(_l("Title in French"), validators=[Optional(), Length(max=300)])
    subject_fr = StringField(
        _l("Subject line in French"),
        validators=[Optional(), Length(max=300)],
        description=_l("Leave empty to use the title."),
    )
    summary_fr = TextAreaField(_l("Summary in French"), validators=[Optional(), Length(max=5000)])
    asks_fr = TextAreaField(
        _l("Asks in French"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line."),
    )
    body_fr = TextAreaField(
        _l("Letter text in French"),
        validators=[Optional(), Length(max=100_000)],
        description=MARKDOWN,
    )
    default_language = SelectField(
        _l("Language of new recipients"),
        choices=LANGUAGE_CHOICES,
        description=_l("Unless the directory knows the official's own language."),
    )
    letter_on = PlausibleDateField(_l("Date of the letter"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=CAMPAIGN_STATUS_CHOICES, default="draft")
    link_url = URLField(
        _l("Link to the published letter"),
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
    )
    attachment = FileField(
        _l("PDF of the letter"),
        validators=[Optional(), FileAllowed(["pdf"], _l("Attach a PDF file."))],
        description=_l("Optional; up to %(mb)d MB.", mb=MAX_ATTACHMENT_MB),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate_link_url(self, field: Field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Give a web address starting with https://"))


class SignatoryForm(BaseForm):
    name = StringField(_l("Organisation or person"), validators=[DataRequired(), Length(max=400)])
    kind = SelectField(_l("Kind"), choices=enum_choices(SignatoryKind))
    is_lead = BooleanField(_l("Lead author"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=400)])
    submit = SubmitField(_l("Add signatory"))


class PastedSignatoriesForm(BaseForm):
    names = TextAreaField(
        _l("Organisations, one per line"),
        validators=[DataRequired(_l("Paste at least one name.")), Length(max=100_000)],
        description=_l("Bullets and numbers at the start of a line are dropped."),
    )
    kind = SelectField(_l("Kind"), choices=enum_choices(SignatoryKind))
    preview = SubmitField(_l("Preview"))
    confirm = SubmitField(_l("Add them"))


class SignatoryRowForm(Form):
    """One row of the editable signatories list (inside the list's CSRF-protected form)."""

    id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    position = IntegerField(_l("Position"), validators=[NumberRange(1, 10_000)])
    name = StringField(_l("Name"), validators=[Length(max=400)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=400)])
    remove = BooleanField(_l("Remove"))


class SignatoryListForm(BaseForm):
    rows = FieldList(FormField(SignatoryRowForm))
    lead = StringField(_l("Lead author"), validators=[Optional(), Regexp(r"^\d{1,9}$")])
    submit = SubmitField(_l("Save the list"))


BY_ROLE_CHOICES = [
    SelectChoice("ministers", _l("All current ministers (and the Prime Minister)")),
    SelectChoice("secretaries_of_state", _l("All current secretaries of state")),
    SelectChoice(
        "parliamentary_secretaries", _l("Parliamentary secretaries (to a given minister)")
    ),
    SelectChoice("committee_leads", _l("Chair and vice-chairs of a committee")),
    SelectChoice("committee_members", _l("All members of a committee")),
    SelectChoice("party", _l("MPs of a party")),
    SelectChoice("province", _l("MPs of a province or territory")),
]
# Which options each extra field belongs to (the page shows a field only for its options).
BY_ROLE_FIELDS = {
    "committee": "committee_leads committee_members",
    "minister": "parliamentary_secretaries",
    "party": "party",
    "province": "province",
}


class RecipientsByRoleForm(BaseForm):
    selection = SelectField(_l("Add"), choices=BY_ROLE_CHOICES)
    committee = SelectField(_l("Committee"), validate_choice=False)
    minister = SelectField(
        _l("Secretary to"),
        validate_choice=False,
        description=_l("The minister's parliamentary secretary, or all of them."),
    )
    party = SelectField(_l("Party"), validate_choice=False)
    province = SelectField(_l("Province or territory"), validate_choice=False)
    language = SelectField(_l("Letter language"), choices=[THEIR_OWN, *LANGUAGE_CHOICES])
    post_nominals = BooleanField(_l("Add P.C. and M.P. after names"), default=True)
    preview = SubmitField(_l("Preview who will be added"))
    submit = SubmitField(_l("Add recipients"))


class RecipientByNameForm(BaseForm):
    official_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
    language = SelectField(_l("Letter language"), choices=[THEIR_OWN, *LANGUAGE_CHOICES])
    submit = SubmitField(_l("Add"))


class RecipientsPickForm(BaseForm):
    """Add every official ticked in the search results (their ids come as ``official``)."""

    language = SelectField(_l("Letter language"), choices=[THEIR_OWN, *LANGUAGE_CHOICES])
    submit = SubmitField(_l("Add the ticked"))


class RecipientEditForm(BaseForm):
    addressed_as = StringField(_l("Addressed as"), validators=[DataRequired(), Length(max=600)])
    salutation = StringField(_l("Salutation"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Letter language"),
        choices=LANGUAGE_CHOICES,
        description=_l(
            "A new language with the two lines above left as they are writes them again in it."
        ),
    )
    email_override = EmailField(
        _l("Send this letter to"),
        validators=[Optional(), Email(), Length(max=254), SendableAddress()],
        description=_l("Leave empty to use the e-mail address in the officials directory."),
    )
    submit = SubmitField(_l("Save"))


class RecipientLanguageForm(BaseForm):
    """The language of the recipients ticked on a campaign's page, or listed on its Letters
    page as waiting for a version in theirs."""

    language = SelectField(_l("Letter language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Write their letters in this language"))


class BulkSentForm(BaseForm):
    sent_on = PlausibleDateField(
        _l("Sent on"), validators=[InputRequired(_l("Give the date they were sent."))]
    )
    channel = SelectField(_l("How"), choices=enum_choices(Channel))
    submission_key = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Mark as sent"))
