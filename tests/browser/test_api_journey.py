"""The API's documentation page draws itself offline, under the pages' strict CSP; a person
makes a token on their account page on a phone, in English and in French, and revokes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE, LiveServer, no_sideways_scroll
from tests.browser.test_header_journey import sign_in_fr
from tests.browser.test_sign_in_journey import sign_in
from tracker.models import UserRole


def test_the_documentation_page_works_offline_under_the_csp(
    browser: Browser, live_server: LiveServer
) -> None:
    # The app's own Content-Security-Policy applies here (no bypass, unlike other tests).
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_role("heading", name="Hilltrack API")).to_be_visible()
    expect(page.get_by_text("/api/v1/campaigns/{campaign_id}/recipients").first).to_be_visible()
    assert refused == []
    assert [url for url in elsewhere if not url.startswith("data:")] == []
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_volunteer_makes_and_revokes_a_token_on_a_phone(
    browser: Browser, live_server: LiveServer, language: str
) -> None:
    email = f"tina-{language}@example.org"
    live_server.create_user(UserRole.VOLUNTEER, email, "Tina Token")
    context = browser.new_context(viewport=PHONE, locale="fr-CA" if language == "fr" else "en-CA")  # type: ignore[arg-type]
    page = context.new_page()
    if language == "fr":
        sign_in_fr(page, live_server, email)
    else:
        sign_in(page, live_server, email)
    page.goto(f"{live_server.url}/account#api-tokens")
    no_sideways_scroll(page)
    name = "Synchro CRM" if language == "fr" else "CRM sync"
    page.locator("#token-name").fill(name)
    page.get_by_role(
        "button", name="Créer un jeton" if language == "fr" else "Make a token"
    ).click()
    secret = page.locator("#token-secret").input_value()
    assert secret.startswith("hlt_")
    no_sideways_scroll(page)
    answer = page.request.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.json()["name"] == name
    page.goto(f"{live_server.url}/account#api-tokens")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Révoquer" if language == "fr" else "Revoke").click()
    # The API is asked on a connection of its own: only once the page says so is it revoked.
    expect(page.locator(".flash-success")).to_be_visible()
    refused = page.request.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401
    context.close()
