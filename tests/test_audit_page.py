"""Admins read the audit trail with filters; nobody else can."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.conftest import post_form
from tracker.models import User, UserRole


def test_admin_filters_the_audit_trail_by_action_and_person(
    client: FlaskClient, signed_in: Callable[[UserRole], User], make_user: Callable[..., User]
) -> None:
    admin = signed_in(UserRole.ADMIN)
    volunteer = make_user(UserRole.VOLUNTEER)
    post_form(client, f"/admin/users/{volunteer.id}/active", {}, token_page="/admin/users")
    page = client.get("/admin/audit/?action=user.deactivate").get_data(as_text=True)
    assert "1 event" in page
    assert "is_active: True" in page and "is_active: False" in page
    mine = client.get(f"/admin/audit/?actor={admin.id}").get_data(as_text=True)
    assert "auth.login" in mine and "user.deactivate" in mine
    assert "Entries are never edited or removed." in mine


@pytest.mark.parametrize("role", [UserRole.VOLUNTEER, UserRole.COORDINATOR])
def test_only_admins_read_the_audit_trail(
    client: FlaskClient, signed_in: Callable[[UserRole], User], role: UserRole
) -> None:
    signed_in(role)
    assert client.get("/admin/audit/").status_code == 403


def test_the_database_refuses_to_change_or_delete_an_audit_event(
    connection: object, make_user: Callable[..., User]
) -> None:
    import sqlalchemy as sa
    from sqlalchemy.exc import DBAPIError

    make_user()  # its creation is not audited here; write one event directly
    conn: sa.Connection = connection  # type: ignore[assignment]
    conn.execute(sa.text("INSERT INTO audit_event (at, action) VALUES (CURRENT_TIMESTAMP, 'x')"))
    for statement in ("UPDATE audit_event SET action = 'rewritten'", "DELETE FROM audit_event"):
        savepoint = conn.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(sa.text(statement))
        savepoint.rollback()
