"""Every page in French, for every role: no sentence of the English catalogue is left in what a
French reader sees (data — names, titles, what people typed — is the only English allowed)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from zoneinfo import ZoneInfo as zoneinfo

import pytest
from babel import dates
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import get_locale
from sqlalchemy.orm import Session

from tests.letters import sent_letters
from tests.test_catalogue import PO
from tests.test_role_matrix import MIN_ROLE, allowed, records, url_for_endpoint  # noqa: F401
from tracker.models import User, UserRole
from tracker.web.templating import local_datetime, utc_offset

FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9"}
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def english_sentences() -> list[str]:
    """Messages whose French differs and that cannot be data: no placeholder, two words or more."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.context == "honorific":
            # The feeds' own spellings ("Right Hon."): a French page names them as the values
            # to type ("Hon. ou Right Hon., en anglais"); shown on a person, they are translated.
            continue
        text = TAGS.sub("", message.id)
        if len(text.split()) < 2 or message.string == message.id:
            continue
        found.append(text)
    return found


ENGLISH = english_sentences()


def visible_text(html: str) -> str:
    body = html.split("<body", 1)[-1]
    return " ".join(unescape(TAGS.sub(" ", body)).split())


def english_left(html: str) -> list[str]:
    text = visible_text(html)
    return [sentence for sentence in ENGLISH if sentence in text]


@pytest.mark.parametrize("role", [UserRole.VOLUNTEER, UserRole.ADMIN], ids=lambda r: r.value)
@pytest.mark.parametrize("endpoint", sorted(MIN_ROLE))
def test_every_page_reads_in_french_for_a_french_browser(
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    records: dict[str, int],  # noqa: F811
    endpoint: str,
    role: UserRole,
) -> None:
    if not allowed(MIN_ROLE[endpoint], role):
        pytest.skip("refused to this role: the refusal page is checked with the others")
    signed_in(role)
    response = client.get(
        url_for_endpoint(endpoint, records), headers=FRENCH, follow_redirects=True
    )
    if response.mimetype != "text/html":
        pytest.skip("not a page (a file download)")
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert english_left(html) == []


@pytest.mark.parametrize(
    ("path", "heading"), [("/login", "Se connecter à Hilltrack"), ("/no-such-page", "Introuvable")]
)
def test_sign_in_and_error_pages_read_in_french_too(
    client: FlaskClient, path: str, heading: str
) -> None:
    html = client.get(path, headers=FRENCH, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert english_left(html) == []
    assert heading in html


@pytest.mark.parametrize(
    ("language", "zone", "shown"),
    [
        ("fr", "America/Toronto", "2026-01-09 07:00 HNE"),
        ("en", "America/Toronto", "2026-01-09 07:00 EST"),
        ("fr", "Europe/Paris", "2026-01-09 13:00 UTC+1"),
    ],
)
def test_times_name_their_zone_as_the_readers_language_does(
    app: Flask, language: str, zone: str, shown: str
) -> None:
    app.config["TIMEZONE"] = zone
    headers = {"Accept-Language": language}
    with app.test_request_context("/", headers=headers):
        assert local_datetime(dt.datetime(2026, 1, 9, 12, 0, tzinfo=dt.UTC)) == shown


@pytest.mark.parametrize("zone", ["America/Toronto", "Europe/Paris", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_time_reads_as_babel_writes_it_across_summer_time(
    app: Flask, language: str, zone: str
) -> None:
    """The zone's name is kept from one instant to the next (tracker/web/templating.py): every
    instant of two years, hour by hour around each change of the clocks, reads as Babel
    writes it for that instant, naive instants read as UTC."""
    app.config["TIMEZONE"] = zone
    start = dt.datetime(2025, 1, 1, 0, 7, tzinfo=dt.UTC)
    instants = [start + dt.timedelta(hours=5 * n + n % 3) for n in range(3_600)]
    instants += [dt.datetime(2026, 3, 8, 6, 59), dt.datetime(2026, 3, 8, 7, 0)]  # naive: UTC
    with app.test_request_context("/", headers={"Accept-Language": language}):
        locale = get_locale()
        for instant in instants:
            aware = instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
            named = dates.format_datetime(aware, "z", tzinfo=zoneinfo(zone), locale=locale)
            if named[:1] in "+-":
                named = utc_offset(aware.astimezone(zoneinfo(zone)).utcoffset() or dt.timedelta())
            when = dates.format_datetime(
                aware, "yyyy-MM-dd HH:mm", tzinfo=zoneinfo(zone), locale=locale
            )
            assert local_datetime(instant) == f"{when} {named}", instant


def test_a_sent_letters_log_entry_and_its_language_read_in_french(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    letter, letters = sent_letters(app, db, coordinator)
    trudeau = letters[0].recipient
    official = visible_text(
        client.get(f"/officials/{trudeau.official_id}", headers=FRENCH).get_data(as_text=True)
    )
    assert f"Envoyée par Hilltrack à {letters[0].to_address}" in official
    assert "Sent by Hilltrack" not in official
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/", headers=FRENCH)
    text = visible_text(page.get_data(as_text=True))
    assert "· anglais" in text and "· English" not in text
