"""Forms for the officials directory and an official's details."""

from __future__ import annotations

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
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
from tracker.forms.base import BaseForm, PlausibleDateField, SendableAddress, enum_choices
from tracker.models import AddressForm, RoleKind

ROLE_KIND_CHOICES = [SelectChoice("", _l("Any role")), *enum_choices(RoleKind)]


STATUS_CHOICES = [
    SelectChoice("current", _l("In office now")),
    SelectChoice("former", _l("Former only")),
    SelectChoice("all", _l("Current and former")),
]


class DirectoryForm(BaseForm):
    """The officials directory's search and filters (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or riding"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Role"), choices=ROLE_KIND_CHOICES, validate_choice=False)
    party = SelectField(_l("Party"), validate_choice=False)
    province = SelectField(_l("Province or territory"), validate_choice=False)
    committee = SelectField(_l("Committee"), validate_choice=False)
    status = SelectField(
        _l("Status"), choices=STATUS_CHOICES, default="current", validate_choice=False
    )


class OfficialForm(BaseForm):
    honorific = StringField(
        _l("Honorific"),
        validators=[Optional(), Length(max=40)],
        description=_l("As the feeds write it: Hon. or Right Hon."),
    )
    courtesy_title = SelectField(
        _l("Courtesy title"),
        choices=[
            SelectChoice("", _l("Not known (use a neutral form)")),
            SelectChoice("Mr.", _l("Mr.")),
            SelectChoice("Ms.", _l("Ms.")),
            SelectChoice("Mx", _l("Mx")),
        ],
        validate_choice=True,
        description=_l("Only as the person uses it; never guessed from a first name."),
    )
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=120)])
    preferred_name = StringField(
        _l("Preferred first name"), validators=[Optional(), Length(max=120)]
    )
    email = EmailField(
        _l("Email"), validators=[Optional(), Email(), Length(max=254), SendableAddress()]
    )
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)])
    party = StringField(_l("Party"), validators=[Optional(), Length(max=80)])
    constituency = StringField(_l("Riding"), validators=[Optional(), Length(max=200)])
    province = StringField(_l("Province or territory"), validators=[Optional(), Length(max=80)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class NewOfficialForm(OfficialForm):
    role_kind = SelectField(
        _l("Role"),
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
        _l("Title"),
        validators=[Optional(), Length(max=400)],
        description=_l("e.g. Permanent Representative of Canada to the UN"),
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=300)],
        description=_l("e.g. Global Affairs Canada"),
    )
    role_start_on = PlausibleDateField(_l("In this role since"), validators=[Optional()])
    submit = SubmitField(_l("Add official"))


HAND_ROLE_CHOICES = [
    SelectChoice(kind.value, lazy_pgettext("RoleKind", kind.english))
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


def committee_choices() -> list[SelectChoice]:
    """Each committee by acronym and name, in the reader's language where the House gives it."""
    french = str(get_locale() or "").startswith("fr")
    return [
        SelectChoice("", str(_l("—"))),
        *(
            SelectChoice(acronym, f"{acronym} · {_committee_name(acronym, french)}")
            for acronym in committees.ACRONYMS
        ),
    ]


def _committee_name(acronym: str, french: bool) -> str | None:
    found = committees.french_by_acronym(acronym) if french else None
    return found or committees.by_acronym(acronym)


class RoleForm(BaseForm):
    kind = SelectField(_l("Role"), choices=HAND_ROLE_CHOICES)
    committee = SelectField(
        _l("Committee"),
        choices=committee_choices,
        validators=[Optional()],
        description=_l("For a chair, vice-chair or member."),
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=400)],
        description=_l(
            "E.g. Parliamentary Secretary to the Minister of Foreign Affairs; "
            "for a committee role, leave it empty."
        ),
    )
    start_on = PlausibleDateField(_l("From"), validators=[Optional()])
    end_on = PlausibleDateField(
        _l("To"), validators=[Optional()], description=_l("Empty while held.")
    )
    submit = SubmitField(_l("Add the role"))


class FormOfAddressForm(BaseForm):
    """A coordinator's choice of how the official is addressed, and their Privy Council date."""

    address_form = SelectField(
        _l("Form of address"),
        choices=[SelectChoice("", _l("Not known")), *enum_choices(AddressForm)],
        description=_l("As the person uses it; never guessed from a first name."),
    )
    privy_council_on = PlausibleDateField(
        _l("Sworn into the Privy Council on"),
        validators=[Optional()],
        description=_l("Empty: the start of their first ministerial role counts."),
    )
    submit = SubmitField(_l("Save the form of address"))


class FrenchTitleForm(BaseForm):
    """A title or department a French letter lacks, written once in French."""

    english = HiddenField(validators=[DataRequired(), Length(max=400)])
    french = StringField(
        _l("In French"),
        validators=[DataRequired(), Length(max=400)],
        description=_l("As it follows the name, e.g. secrétaire d'État (Sport)."),
    )
    submit = SubmitField(_l("Save for every French letter"))
