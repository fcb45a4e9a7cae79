"""An official whose name and title carry markup (typed into the officials spreadsheet) is shown
as those characters on every first-hour surface: the spreadsheet's preview, the search as you
type (whose results the page's script puts in place), the contacts preview, the campaign page
and the Letters page. Nothing from a spreadsheet becomes a tag."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from
from tests.test_contacts_paste import paste
from tests.test_officials_upload import confirm, upload
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
