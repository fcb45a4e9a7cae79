"""Admins manage accounts: add users, change roles, deactivate and reactivate."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.errors import OperationError
from tracker.forms.accounts import UserCreateForm, UserEditForm
from tracker.forms.base import ActionForm
from tracker.models import User, UserRole
from tracker.operations.accounts import (
    create_user,
    issue_one_time_password,
    set_active,
    update_user,
)
from tracker.queries.accounts import all_users
from tracker.web.access import require_role
from tracker.web.db import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> None:
    require_role(UserRole.ADMIN)


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    """List every account and add a new one."""
    db = get_session()
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                db,
                email=form.email.data or "",
                name=form.name.data or "",
                role=UserRole(form.role.data),
                password=form.password.data or "",
                actor=current_user,
                one_time=True,  # an admin chose it: its owner replaces it
            )
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            flash(
                _("Added %(name)s as %(value)s.", name=user.name, value=user.role.label.lower()),
                "success",
            )
            return redirect(url_for("admin.users"))
    accounts = all_users(db)
    return render_template("admin/users.html", form=form, users=accounts, action=ActionForm())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change a user's name and role."""
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user, data={"role": user.role.value})
    if form.validate_on_submit():
        db = get_session()
        try:
            update_user(
                db,
                user,
                name=form.name.data or "",
                email=form.email.data or "",
                role=UserRole(form.role.data),
                actor=current_user,
            )
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            flash(_("Saved %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user, action=ActionForm())


@bp.post("/users/<int:user_id>/one-time-password")
def reset_password(user_id: int) -> ResponseReturnValue:
    """Give someone a new one-time password (shown once), ending their sessions."""
    user = _user_or_404(user_id)
    db = get_session()
    password = issue_one_time_password(db, user, actor=current_user)
    db.commit()
    return render_template("admin/one_time_password.html", user=user, password=password)


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id: int) -> ResponseReturnValue:
    """Deactivate an active user, or reactivate an inactive one."""
    user = _user_or_404(user_id)
    db = get_session()
    try:
        set_active(db, user, active=not user.is_active, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        if user.is_active:
            flash(_("%(name)s reactivated.", name=user.name), "success")
        else:
            flash(_("%(name)s deactivated; their sessions have ended.", name=user.name), "success")
    return redirect(url_for("admin.users"))
