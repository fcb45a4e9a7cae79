"""Form classes shared across blueprints; every form carries a CSRF token."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import flash
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.widgets import Select

from tracker.models import (
    CampaignStatus,
    Channel,
    InteractionKind,
    ReplyClass,
    RoleKind,
    SignatoryKind,
    UserRole,
)
from tracker.models.enums import StrEnum
from tracker.operations import OperationError
from tracker.rules.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters."
)


def enum_choices(members: Iterable[StrEnum]) -> list[SelectChoice]:
    """Select options for enum members: their stored value, their readable label."""
    return [SelectChoice(member.value, member.label) for member in members]


ROLE_CHOICES = enum_choices(UserRole)


class BaseForm(FlaskForm):
    """The CSRF-protected base of every form."""

    def show_error(self, error: OperationError) -> None:
        """Show a refused operation's message on its field, or as a form-level flash."""
        field = self._fields.get(error.field) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, "error")


class ActionForm(BaseForm):
    """A bare POST button (sign out, deactivate): only the CSRF token travels."""


class LoginForm(BaseForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField("Sign in")


class PasswordChangeForm(BaseForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=f"At least {MIN_LENGTH} characters; a long phrase is easiest to remember.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two do not match.")],
    )
    submit = SubmitField("Change password")


class UserCreateForm(BaseForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=UserRole.VOLUNTEER.value)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=f"At least {MIN_LENGTH} characters. Share it with the person privately.",
    )
    submit = SubmitField("Add user")


class UserEditForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Save")


ROLE_KIND_CHOICES = [SelectChoice("", "Any role"), *enum_choices(RoleKind)]
STATUS_CHOICES = [
    SelectChoice("current", "In office now"),
    SelectChoice("former", "Former only"),
    SelectChoice("all", "Current and former"),
]


class DirectoryForm(BaseForm):
    """The officials directory's search and filters (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = SearchField("Name or riding", validators=[Optional(), Length(max=100)])
    kind = SelectField("Role", choices=ROLE_KIND_CHOICES, validate_choice=False)
    party = SelectField("Party", validate_choice=False)
    province = SelectField("Province or territory", validate_choice=False)
    committee = SelectField("Committee", validate_choice=False)
    status = SelectField("Status", choices=STATUS_CHOICES, default="current", validate_choice=False)


class OfficialForm(BaseForm):
    honorific = StringField(
        "Honorific",
        validators=[Optional(), Length(max=40)],
        description="As the feeds write it: Hon. or Right Hon.",
    )
    courtesy_title = SelectField(
        "Courtesy title",
        choices=[
            SelectChoice("", "Not known (use a neutral form)"),
            SelectChoice("Mr.", "Mr."),
            SelectChoice("Ms.", "Ms."),
            SelectChoice("Mx", "Mx"),
        ],
        validate_choice=True,
        description="Only as the person uses it; never guessed from a first name.",
    )
    given_name = StringField("Given name", validators=[DataRequired(), Length(max=120)])
    family_name = StringField("Family name", validators=[DataRequired(), Length(max=120)])
    preferred_name = StringField("Preferred first name", validators=[Optional(), Length(max=120)])
    email = EmailField("Email", validators=[Optional(), Email(), Length(max=254)])
    phone = TelField("Phone", validators=[Optional(), Length(max=40)])
    party = StringField("Party", validators=[Optional(), Length(max=80)])
    constituency = StringField("Riding", validators=[Optional(), Length(max=200)])
    province = StringField("Province or territory", validators=[Optional(), Length(max=80)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField("Save")


class NewOfficialForm(OfficialForm):
    role_kind = SelectField(
        "Role",
        choices=enum_choices(
            [
                RoleKind.DIPLOMAT,
                RoleKind.SENATOR,
                RoleKind.PUBLIC_SERVANT,
                RoleKind.OTHER,
                RoleKind.MINISTER,
                RoleKind.MP,
            ]
        ),
    )
    role_title = StringField(
        "Title",
        validators=[Optional(), Length(max=400)],
        description="e.g. Permanent Representative of Canada to the UN",
    )
    organisation = StringField(
        "Organisation",
        validators=[Optional(), Length(max=300)],
        description="e.g. Global Affairs Canada",
    )
    role_start_on = DateField("In this role since", validators=[Optional()])
    submit = SubmitField("Add official")


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


CAMPAIGN_STATUS_CHOICES = enum_choices(CampaignStatus)
MAX_ATTACHMENT_MB = 10


class CampaignForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    letter_on = DateField("Date of the letter", validators=[Optional()])
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


BY_ROLE_CHOICES = [
    SelectChoice("ministers", "All current ministers (and the Prime Minister)"),
    SelectChoice("parliamentary_secretaries", "Parliamentary secretaries (to a given minister)"),
    SelectChoice("committee_leads", "Chair and vice-chairs of a committee"),
    SelectChoice("committee_members", "All members of a committee"),
    SelectChoice("party", "MPs of a party"),
    SelectChoice("province", "MPs of a province or territory"),
]
LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("fr", "Français")]


class RecipientsByRoleForm(BaseForm):
    selection = SelectField("Add", choices=BY_ROLE_CHOICES)
    committee = SelectField("Committee", validate_choice=False)
    minister = StringField(
        "Minister's title",
        validators=[Optional(), Length(max=300)],
        description="For parliamentary secretaries, e.g. Minister of "
        "Foreign Affairs; leave empty for all.",
    )
    party = SelectField("Party", validate_choice=False)
    province = SelectField("Province or territory", validate_choice=False)
    language = SelectField("Letter language", choices=LANGUAGE_CHOICES)
    post_nominals = BooleanField("Add P.C. and M.P. after names", default=True)
    submit = SubmitField("Add recipients")


class RecipientByNameForm(BaseForm):
    official_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
    language = SelectField("Letter language", choices=LANGUAGE_CHOICES)
    submit = SubmitField("Add")


class RecipientEditForm(BaseForm):
    addressed_as = StringField("Addressed as", validators=[DataRequired(), Length(max=600)])
    salutation = StringField("Salutation", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Save")


LOG_KIND_CHOICES = enum_choices(InteractionKind)
CHANNEL_CHOICES = [SelectChoice("", "—"), *enum_choices(Channel)]
REPLY_CHOICES = [SelectChoice("", "—"), *enum_choices(ReplyClass)]


class InteractionForm(BaseForm):
    recipient_id = SelectField("Campaign", validate_choice=False)
    kind = SelectField("What happened", choices=LOG_KIND_CHOICES, default="sent")
    occurred_on = DateField("Date", validators=[DataRequired()])
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


class BulkSentForm(BaseForm):
    sent_on = DateField("Sent on", validators=[DataRequired()])
    channel = SelectField("How", choices=enum_choices(Channel))
    submission_key = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Mark selected as sent")


class LongSelect(Select):
    """WTForms' select widget, with each plain option written by one format: the list of
    everyone a follow-up can go to has hundreds, and the stock widget builds every option's
    attributes one by one."""

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)  # type: ignore[no-any-return]
        chosen = Markup(" selected") if choice.selected else ""
        return Markup('<option value="{}"{}>{}</option>').format(
            choice.value, chosen, choice.label or choice.value
        )


class FollowUpForm(BaseForm):
    # From an official's page: the official; from a campaign page: the recipient (who implies
    # the official).
    official_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    recipient_id = HiddenField(validators=[Optional(), Regexp(r"^\d*$")])
    due_on = DateField("Due", validators=[DataRequired()])
    assignee_id = SelectField("Assigned to", validate_choice=False, widget=LongSelect())
    note = StringField("What to do", validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField("Plan follow-up")


class CompleteFollowUpForm(BaseForm):
    outcome = TextAreaField("What came of it", validators=[DataRequired(), Length(max=5000)])
    next_due_on = DateField("Next step due (optional)", validators=[Optional()])
    next_note = StringField("Next step", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Mark done")


class CodeForm(BaseForm):
    code = StringField(
        "Six-digit code",
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    submit = SubmitField("Continue")


class DisableTwoFactorForm(BaseForm):
    password = PasswordField("Your password", validators=[DataRequired()])
    submit = SubmitField("Turn off two-factor sign-in")
