"""Forms for signing in, passwords, two-factor codes and managing accounts."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.forms.base import BaseForm, enum_choices
from tracker.models import UserRole
from tracker.rules.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters."
)


ROLE_CHOICES = enum_choices(UserRole)


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
        description=f"At least {MIN_LENGTH} characters. Share it with the person privately: "
        "they choose their own when they first sign in.",
    )
    submit = SubmitField("Add user")


class UserEditForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Save")


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
