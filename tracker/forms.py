"""Form classes shared across blueprints; every form carries a CSRF token."""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.models import UserRole
from tracker.models.enums import StrEnum
from tracker.operations import OperationError
from tracker.passwords import MAX_LENGTH, MIN_LENGTH

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
