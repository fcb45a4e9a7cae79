"""Creating users, changing their roles, deactivating them, and signing them in."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import User, UserRole
from tracker.operations import audit
from tracker.operations.api_tokens import end_tokens_of
from tracker.rules.passwords import (
    burn_equal_time,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email, whatever its case."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: UserRole,
    password: str,
    actor: User | None,
    one_time: bool = False,
) -> User:
    """Create an active user after checking the email is free and the password acceptable.
    A ``one_time`` password (chosen by someone else) must be replaced at the first sign-in."""
    email = normalize_email(email)
    if "@" not in email:
        raise OperationError(_("Enter an email address."), field="email")
    if find_user_by_email(session, email) is not None:
        raise OperationError(_("A user with this email already exists."), field="email")
    problem = password_problem(password)
    if problem:
        raise OperationError(problem, field="password")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        must_change_password=one_time,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, "user.create", actor=actor, obj=user, after={"email": email, "role": role.value}
    )
    return user


def update_user(
    session: Session,
    user: User,
    *,
    name: str,
    role: UserRole,
    actor: User,
    email: str | None = None,
) -> None:
    """Change a user's name, email or role; an admin cannot demote the last active admin."""
    if user.role is UserRole.ADMIN and role is not UserRole.ADMIN:
        _refuse_losing_last_admin(session, user)
    values: dict[str, object] = {"name": name.strip(), "role": role}
    if email is not None:
        email = normalize_email(email)
        if "@" not in email:
            raise OperationError(_("Enter an email address."), field="email")
        taken = find_user_by_email(session, email)
        if taken is not None and taken.id != user.id:
            raise OperationError(_("A user with this email already exists."), field="email")
        values["email"] = email
    before, after = audit.changes(user, values)
    if after:
        if "role" in after:
            user.session_version += 1  # the new rights apply from a fresh sign-in
        session.flush()
        audit.record(session, "user.update", actor=actor, obj=user, before=before, after=after)


def set_active(session: Session, user: User, *, active: bool, actor: User) -> None:
    """Activate or deactivate ``user``; deactivation ends all their sessions at once."""
    if not active:
        if user.id == actor.id:
            raise OperationError(_("You cannot deactivate your own account."))
        if user.role is UserRole.ADMIN:
            _refuse_losing_last_admin(session, user)
        user.session_version += 1
        end_tokens_of(session, user)  # a deactivated person's tools lose access with them
    before, after = audit.changes(user, {"is_active": active})
    if after:
        session.flush()
        action = "user.activate" if active else "user.deactivate"
        audit.record(session, action, actor=actor, obj=user, before=before, after=after)


def _refuse_losing_last_admin(session: Session, user: User) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == UserRole.ADMIN, User.is_active.is_(True), User.id != user.id)
    )
    if not others:
        raise OperationError(_("Hilltrack needs at least one active admin."))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with these credentials, upgrading an outdated hash; else None.

    Unknown emails cost the same hashing work as wrong passwords, so timing tells nothing.
    """
    user = find_user_by_email(session, email)
    if user is None:
        burn_equal_time(password)
        audit.record(session, "auth.login_failed", actor=None, after={"email": email[:254]})
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        audit.record(session, "auth.login_failed", actor=user, obj=user)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(session, "auth.login", actor=user, obj=user)
    return user


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        audit.record(session, "auth.password_change_failed", actor=user, obj=user)
        raise OperationError(_("That is not your current password."), field="current_password")
    _set_password(session, user, new)


def replace_one_time_password(session: Session, user: User, *, new: str) -> None:
    """Replace a one-time password its owner typed to sign in, in this same session, a moment
    ago: asking for it again proves nothing more. Only while the account must change it."""
    if not user.must_change_password:
        raise OperationError(_("That is not your current password."), field="current_password")
    _set_password(session, user, new)


def _set_password(session: Session, user: User, new: str) -> None:
    problem = password_problem(new)
    if problem:
        raise OperationError(problem, field="new_password")
    if verify_password(user.password_hash, new):
        raise OperationError(
            _("Choose a password other than the current one."), field="new_password"
        )
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_version += 1
    audit.record(session, "auth.password_change", actor=user, obj=user)


def sign_out_everywhere(session: Session, user: User) -> None:
    """Invalidate every session of ``user``: a copied cookie stops working too."""
    user.session_version += 1
    audit.record(session, "auth.logout", actor=user, obj=user)


def generate_password() -> str:
    """A random password well above the policy's minimum, for first admins and demo users."""
    return secrets.token_urlsafe(15)


def create_user_with_one_time_password(
    session: Session, *, email: str, name: str, role: UserRole, actor: User | None
) -> tuple[User, str]:
    """Create a user with a generated password, to be replaced at their first sign-in."""
    password = generate_password()
    user = create_user(
        session, email=email, name=name, role=role, password=password, actor=actor, one_time=True
    )
    return user, password


def issue_one_time_password(session: Session, user: User, *, actor: User) -> str:
    """Give ``user`` a new generated password (an admin's reset): their sessions end, and they
    must choose their own at the next sign-in."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    audit.record(session, "user.password_reset", actor=actor, obj=user)
    return password


def ensure_first_admin(session: Session, email: str, name: str) -> tuple[User, str] | None:
    """Create an admin with a one-time password if there is no user at all."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    return create_user_with_one_time_password(
        session, email=email, name=name, role=UserRole.ADMIN, actor=None
    )


LANGUAGES = ("en", "fr")


def set_language(session: Session, user: User, language: str | None) -> None:
    """Save the language ``user`` reads Hilltrack in (None: follow their browser)."""
    if language is not None and language not in LANGUAGES:
        raise OperationError(_("Choose English or French."))
    before, after = audit.changes(user, {"language": language})
    if after:
        audit.record(session, "user.language", actor=user, obj=user, before=before, after=after)
