"""E-mail addresses for many officials at once: a pasted list, previewed (who gets what, who
matches nobody, which names are only close), then saved as entered by hand, never half-saved."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.contacts_list import MAX_CHARACTERS, read_contacts
from importers.errors import FeedError
from tests.conftest import csrf_token_from
from tests.test_person_match import add_official
from tracker.models import AuditEvent, Official, User, UserRole

PASTE = "/officials/contacts/"


def paste(client: FlaskClient, text: str, **extra: Any) -> Any:
    token = csrf_token_from(client.get(PASTE).get_data(as_text=True))
    return client.post(
        PASTE, data={"csrf_token": token, "text": text, **extra}, follow_redirects=True
    )


def confirm(client: FlaskClient, preview_html: str, **answers: str) -> Any:
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', preview_html)
    assert token, "no confirm form"
    campaign = re.search(r'name="campaign" type="hidden" value="(\d*)"', preview_html)
    return client.post(
        "/officials/contacts/confirm",
        data={
            "csrf_token": csrf_token_from(preview_html),
            "token": token.group(1),
            "campaign": campaign.group(1) if campaign else "",
            **{key.replace("_", "-"): value for key, value in answers.items()},
        },
        follow_redirects=True,
    )


@pytest.fixture
def mps(db: Session) -> dict[str, Official]:
    found = {
        "oliphant": add_official(db, "Robert", "Oliphant", "Don Valley West", 58858),
        "joly": add_official(db, "Mélanie", "Joly", "Ahuntsic-Cartierville", 58733),
        "ehsassi": add_official(db, "Ali", "Ehsassi", "Willowdale", 88368),
    }
    found["joly"].email = "old.joly@represent.example"
    db.commit()
    return found


@pytest.fixture
def pasted(
    client: FlaskClient, signed_in: Callable[[UserRole], User], mps: dict[str, Official]
) -> Callable[[str], str]:
    """A coordinator, signed in, pastes a list about the three MPs: the page that answers."""
    signed_in(UserRole.COORDINATOR)
    return lambda text: paste(client, text).get_data(as_text=True)


def test_a_pasted_list_is_read_whatever_its_separators() -> None:
    lines = read_contacts(
        "Robert Oliphant\trobert.oliphant@parl.gc.ca\t613-992-4964\t1 Wellington St, Ottawa\n"
        "58733, Melanie.Joly@parl.gc.ca\n"
        "\n"
        "Hon. Ali Ehsassi <ali.ehsassi@parl.gc.ca>\n"
    )
    assert [(x.line, x.name, x.person_id, x.email) for x in lines] == [
        (1, "Robert Oliphant", None, "robert.oliphant@parl.gc.ca"),
        (2, "", 58733, "Melanie.Joly@parl.gc.ca"),
        (4, "Hon. Ali Ehsassi", None, "ali.ehsassi@parl.gc.ca"),
    ]
    assert lines[0].phone == "613-992-4964"
    assert lines[0].postal == "1 Wellington St, Ottawa"
    with_header = read_contacts('name;courriel\n"Joly, Mélanie";mj@parl.gc.ca\n')
    assert [(x.name, x.email) for x in with_header] == [("Joly, Mélanie", "mj@parl.gc.ca")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Robert Oliphant, not-an-email", "is not an e-mail address, a phone or an address"),
        ("Robert Oliphant, robert@", "is not an e-mail address"),
        ('=HYPERLINK("http://x"), a@b.ca', "starts like a spreadsheet formula"),
        ("Robert Oliphant, @SUM(A1), a@b.ca", "starts like a spreadsheet formula"),
        ("Robert\x07 Oliphant, a@b.ca", "invisible control characters"),
        ("Robert Oliphant, a@b.ca, c@d.ca", "two e-mail addresses"),
        ("a@b.ca", "names nobody"),
        ("Robert Oliphant, " + "x" * 400 + "@b.ca", "longer than"),
    ],
)
def test_a_hostile_or_broken_line_says_what_is_wrong(line: str, problem: str) -> None:
    (read,) = read_contacts(line)
    assert not read.ok
    assert problem in " ".join(read.errors)


def test_a_huge_paste_is_refused_whole() -> None:
    with pytest.raises(FeedError, match="longer than"):
        read_contacts("Robert Oliphant, a@b.ca\n" * (MAX_CHARACTERS // 20))


def test_the_preview_says_who_gets_what_and_asks_about_near_names(
    pasted: Callable[[str], str],
) -> None:
    html = pasted(
        "Rob Oliphant\trobert.oliphant@parl.gc.ca\n"
        "58733\tmelanie.joly@parl.gc.ca\n"
        "Ali Ehsassi\tali.ehsassi@parl.gc.ca\n"
        "Nobody Known\tnobody@parl.gc.ca\n"
        "Bad Line\tnot@\n",
    )
    assert "3 of 5 lines name an official." in html
    assert "1 line matches nobody." in html
    assert "Rob Oliphant: is this Robert Oliphant (Don Valley West)?" in html
    assert "Mélanie Joly (Ahuntsic-Cartierville)" in html
    assert "instead of old.joly@represent.example" in html
    assert "No official has this name or PersonId: left out." in html
    assert "“not@” is not an e-mail address" in html


def test_confirming_saves_the_answered_lines_as_entered_by_hand(
    client: FlaskClient, db: Session, mps: dict[str, Official], pasted: Callable[[str], str]
) -> None:
    html = pasted(
        "Rob Oliphant\trobert.oliphant@parl.gc.ca\t613-992-4964\n"
        "58733\tmelanie.joly@parl.gc.ca\t\t1 Wellington St, Ottawa\n"
        "Ali Ehsassi\tali.ehsassi@parl.gc.ca\t12 Main St, Toronto\t=cmd|' /C calc'!A0\n"
        "Nobody Known\tnobody@parl.gc.ca\n",
    )
    done = confirm(client, html, answer_1=str(mps["oliphant"].id)).get_data(as_text=True)
    assert "Contact details saved for 2 officials, 2 lines skipped." in done
    assert "Line 4, Nobody Known: no official has this name or PersonId" in done
    db.expire_all()
    assert mps["oliphant"].email == "robert.oliphant@parl.gc.ca"
    assert mps["oliphant"].phone == "613-992-4964"
    assert mps["joly"].email == "melanie.joly@parl.gc.ca"
    assert "email" in mps["joly"].edited_fields  # imports now leave it alone
    # A line with one bad cell is left out whole: no half-saved official.
    assert mps["ehsassi"].email is None
    assert mps["ehsassi"].offices == []
    entries = db.scalars(select(AuditEvent).where(AuditEvent.action == "official.update")).all()
    assert len(entries) == 2

    page = client.get(f"/officials/{mps['joly'].id}").get_data(as_text=True)
    assert 'melanie.joly@parl.gc.ca</a> <small class="muted">(entered by hand)</small>' in page


def test_an_unanswered_question_saves_nothing_for_that_line(
    client: FlaskClient, db: Session, mps: dict[str, Official], pasted: Callable[[str], str]
) -> None:
    html = pasted("Rob Oliphant, robert.oliphant@parl.gc.ca\n")
    done = confirm(client, html).get_data(as_text=True)
    assert "Contact details saved for 0 officials, 1 line skipped." in done
    assert "Line 1, Rob Oliphant: you did not say who this is" in done
    db.expire_all()
    assert mps["oliphant"].email is None


def test_a_huge_paste_gets_a_clear_message_and_saves_nothing(
    db: Session, mps: dict[str, Official], pasted: Callable[[str], str]
) -> None:
    html = pasted("Robert Oliphant, a@b.ca\n" * (MAX_CHARACTERS // 20))
    assert "The list is longer than 200000 characters; split it." in html
    assert 'name="token"' not in html
    db.expire_all()
    assert mps["oliphant"].email is None


def test_an_uploaded_file_is_read_like_a_paste(
    client: FlaskClient, signed_in: Callable[[UserRole], User], mps: dict[str, Official]
) -> None:
    signed_in(UserRole.COORDINATOR)
    token = csrf_token_from(client.get(PASTE).get_data(as_text=True))
    html = client.post(
        PASTE,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(b"person_id,email\n58858,r@parl.gc.ca\n"), "list.csv"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "1 of 1 line names an official." in html
    assert "Robert Oliphant (Don Valley West)" in html


def test_volunteers_cannot_paste_contacts(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get(PASTE).status_code == 403


def test_the_directory_says_where_contact_details_came_from(
    client: FlaskClient, db: Session, mps: dict[str, Official], pasted: Callable[[str], str]
) -> None:
    from tracker.queries.coverage import coverage
    from tracker.rules.contact_source import email_source

    joly, oliphant = mps["joly"], mps["oliphant"]
    assert email_source(joly) == "represent"
    contacts = next(line for line in coverage(db) if line.category == "Contact details")
    assert contacts.sources == ("represent",)

    confirm(client, pasted("58858, robert.oliphant@parl.gc.ca\n"))
    db.expire_all()
    assert email_source(oliphant) == "manual"
    contacts = next(line for line in coverage(db) if line.category == "Contact details")
    assert contacts.sources == ("manual", "represent")
    imports_page = client.get("/officials/").get_data(as_text=True)
    assert "entered by hand, Represent (Open North)" in imports_page
