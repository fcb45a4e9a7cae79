"""Every page, as every role, and on another person's records: the server decides, every time.

A new route must be added to MIN_ROLE, so no page can ship without a decided access rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tracker import create_app
from tracker.models import (
    ApiScope,
    ApiToken,
    Campaign,
    FollowUp,
    ImportRun,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    User,
    UserRole,
)
from tracker.web.access import PUBLIC_ENDPOINTS

V, C, A = UserRole.VOLUNTEER, UserRole.COORDINATOR, UserRole.ADMIN
OWN = "own"  # volunteers: only their own records; coordinators and admins: any
SELF = "self"  # only its owner, whatever their role (an API token): the records are another's
MIN_ROLE: dict[str, UserRole | str] = {
    "home.index": V,
    "auth.account": V,
    "two_factor.setup": V,
    "audit.index": A,
    "admin.users": A,
    "admin.edit_user": A,
    "campaigns.index": V,
    "campaigns.detail": V,
    "campaigns.attachment": V,
    "campaigns.edit": C,
    "campaigns.new": C,
    "recipients.edit_recipient": C,
    "recipients.find_official": C,
    "recipients.add_page": C,
    "recipients.search_results": C,
    "past_work.upload": C,
    "past_work.check": C,
    "exports.download": C,
    "imports.index": C,
    "imports.detail": C,
    "letters.index": C,
    "letters.confirm": C,
    "letters.status": C,
    "mail.index": V,
    "mail.triage": V,
    "mail.message": V,
    "mail.raw": C,
    "mail.attachment": V,
    "letters.preview": V,
    "letters.pdf": V,
    "letters.zip_all": C,
    "queue.index": C,
    "reports.dashboard": C,
    "reports.responsiveness": C,
    "officials.index": V,
    "officials.detail": V,
    "officials.edit": C,
    "officials.new": C,
    "officials.upload": C,
    "officials.upload_preview": C,
    "officials.upload_example": C,
    "contacts.paste": C,
    "contacts.preview": C,
    "outcomes.said": V,
    "follow_ups.index": V,
    "follow_ups.complete": OWN,
    "log.find": V,
    "log.record": V,
    "log.done": V,
    "log.edit": OWN,
    "webhooks.index": C,
    "webhooks.detail": C,
}


def get_endpoints() -> set[str]:
    app = create_app({"SECRET_KEY": "x"})
    return {r.endpoint for r in app.url_map.iter_rules() if "GET" in (r.methods or set())}


def api_endpoints() -> set[str]:
    """The JSON API's routes: a bearer token's, never a session's (tests/test_api.py)."""
    app = create_app({"SECRET_KEY": "x"})
    return {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}


def test_every_page_has_a_decided_access_rule() -> None:
    assert get_endpoints() - PUBLIC_ENDPOINTS - api_endpoints() == set(MIN_ROLE)


@pytest.mark.parametrize("endpoint", sorted(api_endpoints() - PUBLIC_ENDPOINTS))
def test_a_signed_in_session_never_reaches_the_api(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    records: dict[str, int],
    endpoint: str,
) -> None:
    signed_in(A)
    path = url_for_endpoint(endpoint, records)
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert client.get(path).status_code in {401, 405}
    assert client.post(path, data={"csrf_token": token}).status_code in {401, 405}


@pytest.fixture
def records(db: Session, make_user: Callable[..., User]) -> dict[str, int]:
    """Records that belong to someone else: another volunteer's entry and follow-up."""
    owner = make_user(V)
    official = Official(given_name="A", family_name="B", name_key="a b")
    campaign = Campaign(title="Letter")
    db.add_all([official, campaign])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id, official_id=official.id, addressed_as="A B", salutation="Dear A B"
    )
    db.add(recipient)
    db.flush()
    interaction = Interaction(
        official_id=official.id,
        recipient_id=recipient.id,
        kind=InteractionKind.NOTE,
        occurred_on=dt.date(2026, 1, 1),
        recorded_by_id=owner.id,
    )
    follow_up = FollowUp(official_id=official.id, due_on=dt.date(2026, 1, 1), assignee_id=owner.id)
    run = ImportRun(source="members")
    token = ApiToken(
        user_id=owner.id, name="Theirs", prefix="hlt_x", secret_hash="0" * 64, scope=ApiScope.READ
    )
    db.add_all([interaction, follow_up, run, token])
    db.commit()
    return {
        "campaign_id": campaign.id,
        "official_id": official.id,
        "recipient_id": recipient.id,
        "interaction_id": interaction.id,
        "follow_up_id": follow_up.id,
        "run_id": run.id,
        "user_id": owner.id,
        "token_id": token.id,
    }


def url_for_endpoint(endpoint: str, ids: dict[str, int]) -> str:
    app = create_app({"SECRET_KEY": "x"})
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {arg: ids.get(arg, 1) for arg in rule.arguments}
    values.update(
        {
            k: v
            for k, v in {"kind": "interactions", "token": "0" * 32}.items()
            if k in rule.arguments
        }
    )
    return rule.build(values)[1]  # type: ignore[index]


def allowed(rule: UserRole | str, role: UserRole) -> bool:
    # The fixture's records belong to another volunteer: only coordinators and admins pass.
    if rule == SELF:
        return False
    minimum = C if rule == OWN else rule
    assert isinstance(minimum, UserRole)
    return role.rank >= minimum.rank


def assert_decided(rule: UserRole | str, role: UserRole, status: int, what: str) -> None:
    """Refused (403) below the rule's role; above it, never refused and never a server error."""
    if allowed(rule, role):
        assert status != 403, f"{role.value} refused {what}"
        assert status < 500, f"{what} failed for {role.value}"
    else:
        assert status == 403, f"{role.value} reached {what} ({status})"


@pytest.mark.parametrize("role", [V, C, A], ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", sorted(MIN_ROLE))
def test_each_page_as_each_role(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    records: dict[str, int],
    endpoint: str,
    role: UserRole,
) -> None:
    signed_in(role)
    path = url_for_endpoint(endpoint, records)
    assert_decided(MIN_ROLE[endpoint], role, client.get(path).status_code, path)


# Every route that takes a POST, with the least role that may post to it. Volunteers may mark
# recipients as sent: they often post or e-mail the letters themselves (README, "Roles").
MIN_POST_ROLE: dict[str, UserRole | str] = {
    "admin.edit_user": A,
    "admin.reset_password": A,
    "admin.toggle_active": A,
    "admin.users": A,
    "auth.account": V,
    "auth.logout": V,
    "api_tokens.create": V,
    "api_tokens.revoke": SELF,
    "campaigns.edit": C,
    "campaigns.new": C,
    "follow_ups.calendar_settings": V,
    "follow_ups.complete": OWN,
    "follow_ups.plan": C,
    "follow_ups.snooze": OWN,
    "imports.resolve": C,
    "imports.start": C,
    "letters.send": C,
    "letters.write_french": C,
    "mail.place": V,
    "mail.not_outreach": V,
    "mail.undo_not": V,
    "letters.was_sent": C,
    "letters.send_again": C,
    "log.edit": OWN,
    "log.record": V,
    "officials.edit": C,
    "officials.new": C,
    "officials.add_role": C,
    "officials.form_of_address": C,
    "officials.upload": C,
    "officials.upload_confirm": C,
    "contacts.paste": C,
    "contacts.confirm": C,
    "letters.add_email": C,
    "outcomes.check": C,
    "outcomes.subject": C,
    "past_work.check": C,
    "past_work.upload": C,
    "queue.again": C,
    "queue.retry": C,
    "recipients.add_by_name": C,
    "recipients.add_ticked": C,
    "recipients.change_language": C,
    "recipients.add_by_role": C,
    "recipients.delete_recipient": C,
    "recipients.edit_recipient": C,
    "recipients.mark_sent": V,
    "replies.classify": V,
    "signatories.add": C,
    "signatories.paste": C,
    "signatories.save_list": C,
    "two_factor.setup": V,
    "two_factor.start": V,
    "two_factor.turn_off": V,
    "webhooks.create": C,
    "webhooks.pause": C,
    "webhooks.resume": C,
    "webhooks.send_test": C,
    "webhooks.delete": C,
}
# Reached without a session (sign-in and its code step): covered by tests/test_auth.py.
PUBLIC_POSTS = {"auth.login", "two_factor.verify", "language.choose"}


def post_endpoints() -> set[str]:
    app = create_app({"SECRET_KEY": "x"})
    return {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or set())}


def test_every_post_route_has_a_decided_access_rule() -> None:
    assert post_endpoints() - PUBLIC_POSTS - api_endpoints() == set(MIN_POST_ROLE)


@pytest.mark.parametrize("role", [V, C, A], ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", sorted(MIN_POST_ROLE))
def test_each_post_route_as_each_role(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    records: dict[str, int],
    endpoint: str,
    role: UserRole,
) -> None:
    """An empty form with a valid CSRF token: refused below the route's role; above it, a form
    error or a redirect, never a server error."""
    signed_in(role)
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    path = url_for_endpoint(endpoint, records)
    status = client.post(path, data={"csrf_token": token}).status_code
    assert_decided(MIN_POST_ROLE[endpoint], role, status, f"POST {path}")
