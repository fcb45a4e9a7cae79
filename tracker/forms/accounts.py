"""Forms for signing in, passwords, two-factor codes and managing accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from tracker.forms.base import BaseForm, enum_choices
from tracker.models import ApiScope, UserRole
from tracker.rules.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH,
    max=MAX_LENGTH,
    message=_l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
)


ROLE_CHOICES = enum_choices(UserRole)


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=_l(
            "At least %(num)d characters; a long phrase is easiest to remember.", num=MIN_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class OwnPasswordForm(BaseForm):
    """The first sign-in with a one-time password: the password was just typed to sign in,
    so only the new one is asked for."""

    new_password = PasswordChangeForm.new_password
    confirm = PasswordChangeForm.confirm
    submit = SubmitField(_l("Choose this password"))


class UserCreateForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=UserRole.VOLUNTEER.value)
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=_l(
            "At least %(num)d characters. Share it with the person privately: "
            "they choose their own when they first sign in.",
            num=MIN_LENGTH,
        ),
    )
    submit = SubmitField(_l("Add user"))


class UserEditForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Save"))


class CodeForm(BaseForm):
    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Continue"))


class DisableTwoFactorForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class ApiTokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Where the token is used, e.g. “CiviCRM sync”."),
    )
    scope = SelectField(_l("Access"), choices=enum_choices(ApiScope), default=ApiScope.READ.value)
    expires_in_days = IntegerField(
        _l("Expires after (days)"),
        default=90,
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description=_l("Leave empty for a token that never expires."),
    )
    submit = SubmitField(_l("Make a token"))
