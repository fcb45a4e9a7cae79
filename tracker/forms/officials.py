"""Forms for the officials directory and an official's details."""

from __future__ import annotations

from wtforms import (
    EmailField,
    HiddenField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from importers import committees
from tracker.forms.base import BaseForm, PlausibleDateField, enum_choices
from tracker.models import RoleKind

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
    role_start_on = PlausibleDateField("In this role since", validators=[Optional()])
    submit = SubmitField("Add official")


HAND_ROLE_CHOICES = [
    SelectChoice(kind.value, kind.label)
    for kind in (
        RoleKind.PARLIAMENTARY_SECRETARY,
        RoleKind.COMMITTEE_CHAIR,
        RoleKind.COMMITTEE_VICE_CHAIR,
        RoleKind.COMMITTEE_MEMBER,
        RoleKind.MINISTER,
        RoleKind.SECRETARY_OF_STATE,
        RoleKind.HOUSE_OFFICER,
        RoleKind.DIPLOMAT,
        RoleKind.PUBLIC_SERVANT,
        RoleKind.SENATOR,
        RoleKind.OTHER,
    )
]
COMMITTEE_CHOICES = [
    SelectChoice("", "—"),
    *(
        SelectChoice(acronym, f"{acronym} · {committees.by_acronym(acronym)}")
        for acronym in committees.ACRONYMS
    ),
]


class RoleForm(BaseForm):
    kind = SelectField("Role", choices=HAND_ROLE_CHOICES)
    committee = SelectField(
        "Committee",
        choices=COMMITTEE_CHOICES,
        validators=[Optional()],
        description="For a chair, vice-chair or member.",
    )
    title = StringField(
        "Title",
        validators=[Optional(), Length(max=400)],
        description="E.g. Parliamentary Secretary to the Minister of Foreign Affairs; "
        "for a committee role, leave it empty.",
    )
    start_on = PlausibleDateField("From", validators=[Optional()])
    end_on = PlausibleDateField("To", validators=[Optional()], description="Empty while held.")
    submit = SubmitField("Add the role")
