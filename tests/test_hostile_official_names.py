"""An official whose name and title carry markup (typed into the officials spreadsheet) is shown
as those characters on every first-hour surface: the spreadsheet's preview, the search as you
type (whose results the page's script puts in place), the contacts preview, the campaign page
and the Letters page. Nothing from a spreadsheet becomes a tag."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.test_contacts_paste import paste
from tests.test_officials_upload import confirm, upload
from tracker import clock
from tracker.models import Campaign, Official, User, UserRole
from tracker.operations.campaigns import create_campaign
from tracker.web.templating import escaped

NAME = "<img src=x onerror=alert(1)>"
TITLE = "<script>alert(2)</script> Director"
SHEET = (
    "given_name,family_name,role_kind,title,organisation\n"
    f"{NAME},Zzhostile,public_servant,{TITLE},<i>Global</i> Affairs\n"
)
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def no_markup_from_the_sheet(html: str) -> None:
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert "<i>Global</i>" not in html


def test_a_name_with_markup_reads_as_text_from_the_spreadsheet_to_the_letters_page(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    preview = upload(client, SHEET.encode()).get_data(as_text=True)
    no_markup_from_the_sheet(preview)
    assert ESCAPED in preview
    confirm(client, preview)
    official = db.scalars(select(Official).where(Official.family_name == "Zzhostile")).one()
    assert official.given_name == NAME

    campaign: Campaign = create_campaign(db, {"title": "A new letter"}, actor=coordinator)
    db.commit()
    results = client.get(
        f"/campaigns/{campaign.id}/recipients/search?q=zzhostile",
        headers={"X-Requested-With": "fetch"},
    ).get_data(as_text=True)
    no_markup_from_the_sheet(results)
    assert ESCAPED in results and f'value="{official.id}"' in results

    add_page = client.get(f"/campaigns/{campaign.id}/recipients/add").get_data(as_text=True)
    client.post(
        f"/campaigns/{campaign.id}/recipients/add",
        data={
            "csrf_token": csrf_token_from(add_page),
            "official": str(official.id),
            "back": "page",
            "pick-language": "",
        },
    )
    for page in (f"/campaigns/{campaign.id}", f"/campaigns/{campaign.id}/letters/"):
        html = client.get(page).get_data(as_text=True)
        assert ESCAPED in html, page
        no_markup_from_the_sheet(html)

    contacts = paste(client, f"{NAME} Zzhostile\tzz@example.org\n").get_data(as_text=True)
    no_markup_from_the_sheet(contacts)
    assert ESCAPED in contacts


# Values from outside put into the rows built in Python (tracker/web/campaign_rows.py,
# letter_rows.py): each hostile in a text node and, where it goes, in an attribute.
HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    '"><script>alert(3)</script>',
    "' onmouseover=alert(4) x='",
)
ADDRESS_LINE = "Ministre</td><td>injected %(name)s {0}"
SMTP_ERROR = "<b>550</b> no such user %s {name}"
ASSIGNEE = "<u>Assignee</u> %(num)d {num}"
CAMPAIGN_TITLE = "<i>Hostile</i> letter %(date)s"
OVERRIDE = 'a"b@example.org'
RAW = (
    "<img src=x",
    "<script>alert(3)",
    "' onmouseover",
    "<td>injected",
    "<b>550</b>",
    "<u>Assignee</u>",
    "<i>Hostile</i>",
    'a"b@',
)
ESCAPED_TOO = (
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;",
    "&#39; onmouseover=alert(4) x=&#39;",
    "Ministre&lt;/td&gt;&lt;td&gt;injected %(name)s {0}",
)


def hostile_campaign(app: Flask, db: Session, make_user: Callable[..., User]) -> tuple[int, list]:
    """The demo's letter campaign, its recipients named (and addressed, and assigned, and
    bounced) with markup: the ids of the campaign and of the recipients."""
    from tests.letters import letter_campaign
    from tracker.clock import utcnow
    from tracker.models import FollowUp, Letter, LetterState

    letter = letter_campaign(app, db)
    campaign = letter.campaign
    campaign.title = CAMPAIGN_TITLE
    assignee = make_user(UserRole.VOLUNTEER, name=ASSIGNEE)
    recipients = letter.recipients
    for recipient, name in zip(recipients, HOSTILE_NAMES, strict=False):
        recipient.official.given_name = name
        recipient.addressed_as = ADDRESS_LINE
    first, second, third = recipients[:3]
    third.email_override = OVERRIDE
    # A line kept in English on a French letter: the advice names the recipient.
    second.language, second.address_line_language = "fr", "en"
    db.add_all(
        [
            Letter(
                campaign_id=campaign.id,
                recipient_id=first.id,
                state=LetterState.BOUNCED,
                to_address="x@example.org",
                error=SMTP_ERROR,
            ),
            Letter(
                campaign_id=campaign.id,
                recipient_id=second.id,
                state=LetterState.QUEUED,
                to_address="y@example.org",
                error=SMTP_ERROR,
                next_attempt_at=utcnow(),
            ),
            FollowUp(
                official_id=first.official_id,
                recipient_id=first.id,
                due_on=clock.today(),
                assignee_id=assignee.id,
            ),
        ]
    )
    # One without an address: its row carries the inline form, the name in its label.
    for recipient in recipients:
        if recipient.official.email is None and not recipient.email_override:
            recipient.official.given_name = HOSTILE_NAMES[1]
    db.commit()
    return campaign.id, [r.id for r in recipients[:3]]


def rows_of(html: str) -> str:
    """The page's table body, where the rows built in Python go."""
    return html[html.index("<tbody>") : html.index("</tbody>")]


def assert_text_only(html: str, page: str) -> None:
    for raw in RAW:
        assert raw not in html, (page, raw)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", [UserRole.COORDINATOR, UserRole.VOLUNTEER])
def test_hostile_values_in_the_rows_built_in_python_read_as_text(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
    language: str,
    role: UserRole,
) -> None:
    campaign_id, _ids = hostile_campaign(app, db, make_user)
    signed_in(role)
    headers = {"Accept-Language": language}
    for page in (f"/campaigns/{campaign_id}", f"/campaigns/{campaign_id}/letters/"):
        response = client.get(page, headers=headers)
        if response.status_code == 403:
            assert role == UserRole.VOLUNTEER, page  # the Letters page is coordinators'
            continue
        html = response.get_data(as_text=True)
        assert response.status_code == 200, page
        assert_text_only(html, page)
        rows = rows_of(html)
        for shown_as_text in ESCAPED_TOO:
            assert shown_as_text in rows, (page, shown_as_text)
        if "letters" in page:
            assert 'class="kept-lines"' in rows
    page = client.get(f"/campaigns/{campaign_id}", headers=headers).get_data(as_text=True)
    assert "&lt;u&gt;Assignee&lt;/u&gt; %(num)d {num}" in rows_of(page)


def test_rows_follow_each_readers_language_and_role_in_one_process(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db: Session
) -> None:
    """A French reader after an English one gets French rows, and a volunteer after a
    coordinator gets no coordinator's links, from the same process's caches."""
    from tests.conftest import sign_in

    campaign_id, ids = hostile_campaign(app, db, make_user)
    coordinator, volunteer = make_user(UserRole.COORDINATOR), make_user(UserRole.VOLUNTEER)
    edit_link = f"/campaigns/{campaign_id}/recipients/{ids[0]}"
    sign_in(client, coordinator)
    english = rows_of(client.get(f"/campaigns/{campaign_id}").get_data(as_text=True))
    assert "Select " in english and edit_link in english
    french = rows_of(
        client.get(f"/campaigns/{campaign_id}", headers={"Accept-Language": "fr"}).get_data(
            as_text=True
        )
    )
    assert "Sélectionner " in french and "Select " not in french
    letters_fr = client.get(
        f"/campaigns/{campaign_id}/letters/", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "Adresse courriel de " in rows_of(letters_fr)
    assert "E-mail address of" not in rows_of(letters_fr)
    other = app.test_client()
    sign_in(other, volunteer)
    seen = rows_of(other.get(f"/campaigns/{campaign_id}").get_data(as_text=True))
    assert "Select " in seen and edit_link not in seen
    assert "plan=" not in seen


# A translation is text where it goes into an attribute: a quote in it (a translator's slip,
# or a hostile contribution) must not close the attribute and start another.
HOSTILE_TRANSLATIONS = {
    "Next follow-up": 'Prochain suivi" onclick="alert(5)',
    "Select %(name)s": 'Sélectionner %(name)s" onfocus="alert(6)',
    "E-mail": 'Courriel" onblur="alert(7)',
    # The value twice: each place gets it (no stand-in left behind).
    "E-mail address of %(name)s": "Adresse courriel de %(name)s (%(name)s)",
}


def test_a_translation_with_a_quote_stays_inside_the_rows_attributes(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    make_user: Callable[..., User],
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flask_babel import get_translations

    campaign_id, _ids = hostile_campaign(app, db, make_user)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        catalogue = get_translations()._catalog  # type: ignore[attr-defined]
    for message, translation in HOSTILE_TRANSLATIONS.items():
        monkeypatch.setitem(catalogue, message, translation)
    signed_in(UserRole.COORDINATOR)
    french = {"Accept-Language": "fr"}
    for page in (f"/campaigns/{campaign_id}", f"/campaigns/{campaign_id}/letters/"):
        rows = rows_of(client.get(page, headers=french).get_data(as_text=True))
        assert "\x00" not in rows, page
        for hostile in ('" onclick="alert(5)', '" onfocus="alert(6)', '" onblur="alert(7)'):
            assert hostile not in rows, (page, hostile)
    campaign = rows_of(
        client.get(f"/campaigns/{campaign_id}", headers=french).get_data(as_text=True)
    )
    assert 'data-label="Prochain suivi&#34; onclick=&#34;alert(5)"' in campaign
    assert "&#34; onfocus=&#34;alert(6)" in campaign
    letters = rows_of(
        client.get(f"/campaigns/{campaign_id}/letters/", headers=french).get_data(as_text=True)
    )
    assert 'data-label="Courriel&#34; onblur=&#34;alert(7)"' in letters
    name = "&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
    assert f"Adresse courriel de {name}" in letters and f"({name}" in letters


def test_row_links_cannot_leave_their_attribute_whatever_the_mount_point(app: Flask) -> None:
    """The rows put their links into href="..." unescaped (built once, filled per row): a mount
    point (SCRIPT_NAME, set by whoever deploys) with a quote or a bracket is percent-encoded."""
    from tracker.web.templating import url_pattern

    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/a\"'<b>x"}):
        link = url_pattern("officials.detail", "official_id")(3)
    assert not set("\"'<>") & set(link)
    assert link.startswith("/a%22%27%3Cb%3Ex/") and "/3" in link


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_committee_name_and_a_failed_reading_read_as_text_in_the_said_line(
    app: Flask, language: str
) -> None:
    """The House feeds name the committee an official spoke in, and a failed reading carries
    the server's words: both are text in the "said since the letter" line."""
    import datetime as dt
    from types import SimpleNamespace

    from tracker.queries.outcomes import RecipientOutcome
    from tracker.web.said_line import said_line

    spoke = SimpleNamespace(
        is_interjection=False,
        intervention=SimpleNamespace(
            is_house=False,
            organization='<img src=x onerror=alert(8)> "Committee" %(date)s {0}',
            spoken_on=dt.date(2026, 3, 2),
        ),
    )
    outcome = RecipientOutcome(
        recipient=SimpleNamespace(id=7),  # type: ignore[arg-type]
        in_house=True,
        since=dt.date(2026, 1, 1),
        checked_to=dt.date(2026, 3, 3),
        failed="<b>503</b> %s {why}",
        said=[spoke],  # type: ignore[list-item]
    )
    with app.test_request_context("/", headers={"Accept-Language": language}):
        line = str(said_line(outcome, campaign_id=3))
    assert "<img" not in line and "<b>" not in line
    assert "&lt;img src=x onerror=alert(8)&gt; &#34;Committee&#34; %(date)s {0}" in line
    assert "&lt;b&gt;503&lt;/b&gt; %s {why}" in line


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("logged_from", ["mail", "sending", "file", "person"])
def test_a_user_named_with_markup_reads_as_text_in_who_wrote_an_entry(
    app: Flask, language: str, logged_from: str
) -> None:
    """A display name is typed by its user: "who wrote it" shows it as text."""
    from types import SimpleNamespace

    from tracker.web.templating import written_by

    entry = SimpleNamespace(
        recorded_by=SimpleNamespace(name='<u>Sam</u> "x" %(name)s {0}'),
        logged_from=logged_from,
        kind="sent",
    )
    with app.test_request_context("/", headers={"Accept-Language": language}):
        line = str(written_by(entry, message_id=5))
    assert "<u>" not in line
    assert "&lt;u&gt;Sam&lt;/u&gt; &#34;x&#34; %(name)s {0}" in line


def test_a_full_address_is_never_kept_from_another_readers_host(app: Flask) -> None:
    """The layout's links are kept per process; an absolute one names the host a request came
    with (a header anyone can send), so it is never kept for the next reader."""
    from tracker.web.templating import fixed_url

    with app.test_request_context("/", base_url="http://evil.example/"):
        first = fixed_url("static", filename="app.css", _external=True)
    with app.test_request_context("/", base_url="https://hilltrack.example/"):
        second = fixed_url("static", filename="app.css", _external=True)
    assert first.startswith("http://evil.example/")
    assert second.startswith("https://hilltrack.example/")


def test_the_rows_escaper_writes_what_markupsafe_writes() -> None:
    # The campaign page's rows escape names with tracker.web.templating.escaped (one call per
    # value instead of a Markup each): every character markupsafe escapes, and only those.
    samples = [
        NAME,
        TITLE,
        'O\'Toole & "Sons" <b>',
        "Mélanie Joly — ministre «\u00a0Affaires\u00a0»",
        "".join(chr(c) for c in range(0x20, 0x250)),
        "",
    ]
    for text in samples:
        assert escaped(text) == str(escape(text))
