"""Admins read the audit trail with filters; nobody else can."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import post_form
from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.models import Channel, User, UserRole
from tracker.operations.campaigns import (
    RoleSelection,
    add_recipients,
    create_campaign,
    officials_by_role,
)
from tracker.operations.interactions import bulk_mark_sent, record_interaction

DAY = dt.date(2026, 1, 12)


def test_admin_filters_the_audit_trail_by_action_and_person(
    client: FlaskClient, signed_in: Callable[[UserRole], User], make_user: Callable[..., User]
) -> None:
    admin = signed_in(UserRole.ADMIN)
    volunteer = make_user(UserRole.VOLUNTEER)
    post_form(client, f"/admin/users/{volunteer.id}/active", {}, token_page="/admin/users")
    page = client.get("/admin/audit/?action=user.deactivate").get_data(as_text=True)
    assert "1 event" in page
    assert f"Deactivated {volunteer.name}: changed is active" in page
    assert "is_active: True → False" in page
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


def test_the_audit_trail_reads_like_sentences_with_names_and_links(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
    app: Flask,
    tmp_path: Path,
) -> None:
    admin = signed_in(UserRole.ADMIN)
    run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))
    campaign = create_campaign(db, {"title": "Open letter", "letter_on": DAY}, actor=admin)
    chosen = [
        pair
        for pair in officials_by_role(db, RoleSelection("ministers"), DAY)
        if pair[0].family_name in {"Joly", "Anand"}
    ]
    recipients, _ = add_recipients(db, campaign, chosen, actor=admin)
    bulk_mark_sent(
        db, recipients, sent_on=DAY, channel=Channel.EMAIL, actor=admin, submission_key="k"
    )
    joly = next(r for r in recipients if r.official.family_name == "Joly")
    record_interaction(
        db,
        joly,
        {"kind": "reply_received", "occurred_on": DAY, "reply_class": "substantive"},
        actor=admin,
        today=DAY,
    )
    db.commit()
    page = client.get("/admin/audit/?action=interaction").get_data(as_text=True)
    assert (
        f'<a href="/officials/{joly.official_id}">Mélanie Joly</a>: reply received (substantive)'
        f' · <a href="/campaigns/{campaign.id}">“Open letter”</a>'
    ) in page
    # A bulk send is one entry listing its recipients by name, not one entry each.
    assert page.count("Marked 2 recipients of") == 1
    assert (
        f'<a href="/officials/{joly.official_id}">Mélanie Joly</a>'
        in page.split("Marked 2 recipients of")[1].split("</td>")[0]
    )
    sentences = " ".join(re.findall(r'<td class="sentence">(.*?)</td>', page, re.S))
    assert "#" not in sentences and "official_id" not in sentences
