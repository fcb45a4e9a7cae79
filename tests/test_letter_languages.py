"""A campaign written in English and in French: each letter carries its recipient's version, a
recipient whose language has no version waits, and each recipient's language is a choice."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers.records import Contact
from tests.conftest import post_form
from tests.feeds import feed_folder
from tests.importing import run_import
from tests.letters import (
    BODY,
    LetterCampaign,
    address_of,
    demo_title,
    letter_campaign,
    mail_config,
)
from tests.mailserver import Recorder, running_server
from tracker import create_app
from tracker.models import (
    AddressForm,
    Campaign,
    ImportStatus,
    Official,
    Recipient,
    User,
    UserRole,
)
from tracker.operations.demo import DATA, LETTER
from tracker.operations.officials import set_form_of_address


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


@pytest.fixture
def test_config(test_config: dict[str, Any], smtp: tuple[Recorder, int]) -> dict[str, Any]:
    return {**test_config, **mail_config(smtp[1])}


def flat(text: str) -> str:
    """Text with every run of spaces (no-break ones and line ends too) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def english_sentences() -> list[str]:
    """The sentences of the demo letter's English version: its summary's and its asks."""
    meta = json.loads((DATA / f"{LETTER}.json").read_text(encoding="utf-8"))
    sentences = [s for s in re.split(r"(?<=\.)\s+", meta["summary"]) if s]
    return [flat(s) for s in [*sentences, *meta["asks"]]]


def send_command(app: Flask, campaign: Campaign, coordinator: User) -> str:
    result = app.test_cli_runner().invoke(
        args=["letters", "send", "--campaign", str(campaign.id), "--by", coordinator.email, "--yes"]
    )
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_the_demos_french_letter_is_in_french_in_its_pdf_and_its_email(
    app: Flask,
    db: Session,
    smtp: tuple[Recorder, int],
    make_user: Callable[..., User],
) -> None:
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    campaign = db.scalars(select(Campaign).where(Campaign.title == demo_title())).one()
    bergeron = next(r for r in campaign.recipients if r.official.family_name == "Bergeron")
    assert bergeron.language == "fr"
    bergeron.official.email = address_of(bergeron)
    coordinator = make_user(UserRole.COORDINATOR)
    # As a coordinator does on his page once they know it; his draft letter greets him so.
    set_form_of_address(
        db, bergeron.official, form=AddressForm.MONSIEUR, privy_council_on=None, actor=coordinator
    )
    db.commit()

    send_command(app, campaign, coordinator)

    (received,) = smtp[0].to(address_of(bergeron))
    message = received.message
    text = flat(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    (attachment,) = list(message.iter_attachments())
    pdf = flat(pdf_text(attachment.get_content()))
    subject = flat(campaign.title_fr or "")
    assert subject.startswith("Lettre ouverte")
    assert message["Subject"] == campaign.title_fr
    for letter in (text, pdf):
        assert re.search(r"Objet ?: " + re.escape(subject), letter), letter[:400]
        assert "pont aérien humanitaire" in letter
        assert "Monsieur le Député," in letter  # the salutation for a committee's vice-chair
        for sentence in english_sentences():
            assert sentence not in letter


def test_a_recipient_whose_language_has_no_version_waits_until_given_the_other(
    app: Flask,
    client: FlaskClient,
    db: Session,
    smtp: tuple[Recorder, int],
    signed_in: Callable[[UserRole], User],
) -> None:
    letter = letter_campaign(app, db)
    letter.campaign.body_fr = None  # written in English only
    db.commit()
    coordinator = signed_in(UserRole.COORDINATOR)
    joly = letter.by_name("Mélanie Joly")

    output = send_command(app, letter.campaign, coordinator)
    assert "hold    Mélanie Joly (no French version yet)" in output
    assert "hold    Stéphane Bergeron (no French version yet)" in output
    assert len(smtp[0].received) == 12
    assert smtp[0].to(address_of(joly)) == []

    page_url = f"/campaigns/{letter.campaign.id}/letters/"
    page = client.get(page_url).get_data(as_text=True)
    held = page[page.index('id="held-fr"') : page.index('id="each-heading"')]
    assert "No French version yet" in held and "Mélanie Joly" in held

    post_form(
        client,
        f"/campaigns/{letter.campaign.id}/recipients/language",
        {"recipient": joly.id, "lang-language": "en", "back": "letters"},
        token_page=page_url,
    )
    db.expire_all()
    assert joly.language == "en"
    page = client.get(page_url).get_data(as_text=True)
    assert "Mélanie Joly" not in page[page.index('id="held-fr"') : page.index('id="each-heading"')]
    send_command(app, letter.campaign, coordinator)
    (received,) = smtp[0].to(address_of(joly))
    assert received.message["Content-Language"] == "en-CA"
    assert "Lachin corridor" in received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_campaign_keeps_a_title_subject_summary_asks_and_body_in_each_language(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    values = {
        "title": "Letter on the corridor",
        "subject": "Reopen the corridor",
        "summary": "What we ask.",
        "asks": "Reopen it",
        "body": BODY,
        "title_fr": "Lettre sur le corridor",
        "subject_fr": "Rouvrir le corridor",
        "summary_fr": "Ce que nous demandons.",
        "asks_fr": "Le rouvrir",
        "body_fr": "Nous vous écrivons.",
        "default_language": "fr",
        "status": "draft",
    }
    post_form(client, "/campaigns/new", values, token_page="/campaigns/new")
    campaign = db.scalars(select(Campaign)).one()
    assert {name: getattr(campaign, name) for name in values if name != "status"} == {
        name: value.strip() for name, value in values.items() if name != "status"
    }
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Lettre sur le corridor" in page and "Le rouvrir" in page and "Reopen it" in page


def test_a_campaign_written_in_french_only_is_listed_by_its_french_title(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    values = {
        "title_fr": "Lettre sur le corridor",
        "body_fr": "Nous vous écrivons.",
        "status": "draft",
    }
    post_form(client, "/campaigns/new", values, token_page="/campaigns/new")
    campaign = db.scalars(select(Campaign)).one()
    assert campaign.title == "Lettre sur le corridor" and not campaign.body
    assert "Lettre sur le corridor" in client.get("/campaigns/").get_data(as_text=True)
    form = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert re.search(r'name="title" type="text" value=""', form)


def test_a_new_campaigns_recipients_language_defaults_to_the_coordinators_page_language(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    english = client.get("/campaigns/new").get_data(as_text=True)
    assert re.search(r'<option selected value="en">', english)
    french = client.get("/campaigns/new", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert re.search(r'<option selected value="fr">', french)


def recipient_page(campaign: Campaign, recipient: Recipient) -> str:
    return f"/campaigns/{campaign.id}/recipients/{recipient.id}"


def test_a_recipients_page_changes_their_language_and_addresses_them_in_it(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    trudeau = letter.by_name("Justin Trudeau")
    before = (trudeau.addressed_as, trudeau.salutation)
    url = recipient_page(letter.campaign, trudeau)
    assert 'name="language"' in client.get(url).get_data(as_text=True)
    post_form(
        client,
        url,
        {"addressed_as": before[0], "salutation": before[1], "language": "fr"},
        token_page=url,
    )
    db.expire_all()
    assert trudeau.language == "fr"
    assert trudeau.addressed_as != before[0] and "Prime Minister" not in trudeau.addressed_as
    assert trudeau.salutation != before[1]


def test_several_recipients_get_one_language_at_once_from_the_campaign_page(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    page = f"/campaigns/{letter.campaign.id}"
    assert 'name="lang-language"' in client.get(page).get_data(as_text=True)
    chosen = [letter.by_name("Justin Trudeau"), letter.by_name("Chrystia Freeland")]
    post_form(
        client,
        f"{page}/recipients/language",
        {"recipient": [r.id for r in chosen], "lang-language": "fr"},
        token_page=page,
    )
    db.expire_all()
    assert [r.language for r in chosen] == ["fr", "fr"]
    assert letter.by_name("Mélanie Joly").language == "fr"
    assert {r.language for r in letter.recipients if r not in chosen} - {"fr"} == {"en"}


def add_by_name(client: FlaskClient, campaign: Campaign, official: Official, language: str) -> None:
    find = f"/campaigns/{campaign.id}/recipients/find?q={official.family_name}"
    page = client.get(find).get_data(as_text=True)
    assert re.search(r'<select[^>]*name="byname-language"', page)
    assert '<option value="fr">Français</option>' in page
    post_form(
        client,
        f"/campaigns/{campaign.id}/recipients",
        {"byname-official_id": official.id, "byname-language": language},
        token_page=find,
    )


def test_new_recipients_take_the_officials_language_else_the_campaigns_unless_one_is_chosen(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    campaign = Campaign(title="Lettre", body_fr="Nous vous écrivons.", default_language="fr")
    db.add(campaign)
    officials = {
        o.family_name: o
        for o in db.scalars(
            select(Official).where(Official.family_name.in_(["Trudeau", "Freeland", "Rae"]))
        )
    }
    officials["Freeland"].preferred_language = "en"
    db.commit()
    add_by_name(client, campaign, officials["Trudeau"], "")
    add_by_name(client, campaign, officials["Freeland"], "")
    add_by_name(client, campaign, officials["Rae"], "en")
    db.expire_all()
    language = {r.official.family_name: r.language for r in campaign.recipients}
    assert language == {"Trudeau": "fr", "Freeland": "en", "Rae": "en"}
    trudeau = next(r for r in campaign.recipients if r.official.family_name == "Trudeau")
    assert "Prime Minister" not in trudeau.addressed_as


def test_the_directorys_preferred_language_is_kept_when_it_names_one_language() -> None:
    assert Contact(1, languages=("English",)).preferred_language == "en"
    assert Contact(1, languages=("French",)).preferred_language == "fr"
    assert Contact(1, languages=("English", "French")).preferred_language is None
    assert Contact(1).preferred_language is None


def test_an_import_stores_the_language_represent_says_an_official_prefers(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    run = run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))
    assert run.status is ImportStatus.SUCCEEDED, run.error
    by_id = {o.ourcommons_id: o for o in db.scalars(select(Official))}
    assert by_id[89010].preferred_language == "en"  # Ehsassi: "English"
    assert by_id[89226].preferred_language is None  # Genuis: none given


def test_the_migration_makes_a_campaign_sent_only_in_french_its_french_version(
    tmp_path: Path, instance_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'before.db'}"
    app = create_app({"PASSWORD_HASHER": "fast-insecure-for-tests", "DATABASE_URL": url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "--revision", "0013"]).exit_code == 0
    engine = sa.create_engine(url)
    now = "2026-01-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO official (id, given_name, family_name, name_key, offices,"
                " edited_fields, created_at, updated_at, version)"
                " VALUES (1, 'A', 'B', 'a b', '[]', '[]', :now, :now, 1)"
            ),
            {"now": now},
        )
        for cid, language in ((1, "fr"), (2, "en"), (3, None)):
            conn.execute(
                sa.text(
                    "INSERT INTO campaign (id, title, summary, asks, body, status, created_at,"
                    " updated_at, version) VALUES (:id, :title, 'S', 'A', 'B', 'active',"
                    " :now, :now, 1)"
                ),
                {"id": cid, "title": f"Campaign {cid}", "now": now},
            )
            if language:
                conn.execute(
                    sa.text(
                        "INSERT INTO recipient (campaign_id, official_id, position, addressed_as,"
                        " salutation, language, created_at) VALUES (:id, 1, 1, 'A B', 'Bonjour',"
                        " :language, :now)"
                    ),
                    {"id": cid, "language": language, "now": now},
                )
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, title, body, title_fr, body_fr, summary_fr, asks_fr, default_language"
                " FROM campaign ORDER BY id"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, "Campaign 1", None, "Campaign 1", "B", "S", "A", "fr"),
        (2, "Campaign 2", "B", None, None, None, None, "en"),
        (3, "Campaign 3", "B", None, None, None, None, "en"),
    ]


def test_the_conflict_page_keeps_the_french_version_typed_for_saving_again(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    campaign = Campaign(
        title="Letter", body="We write.", body_fr="Ancien texte.", title_fr="Lettre"
    )
    db.add(campaign)
    db.commit()
    edit = f"/campaigns/{campaign.id}/edit"
    stale = {"title": "Letter", "title_fr": "Lettre", "status": "draft", "version": 0}
    response = post_form(client, edit, {**stale, "body_fr": "Nouveau texte."}, token_page=edit)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="body_fr"[^>]*>\s*Nouveau texte.</textarea>', page)


def test_the_zip_of_every_letter_leaves_out_those_waiting_for_their_language(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    letter.campaign.body_fr = None
    db.commit()
    signed_in(UserRole.COORDINATOR)
    response = client.get(f"/campaigns/{letter.campaign.id}/letters/all.zip")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert len(names) == 13
    assert not any("joly" in name or "bergeron" in name for name in names)


def change_language(
    client: FlaskClient, letter: LetterCampaign, chosen: list[Recipient], language: str, **kw: Any
) -> str:
    """Tick ``chosen`` on the campaign page and give them ``language``: the page that answers."""
    page = f"/campaigns/{letter.campaign.id}"
    response = post_form(
        client,
        f"{page}/recipients/language",
        {"recipient": [r.id for r in chosen], "lang-language": language},
        token_page=page,
        follow_redirects=True,
        **kw,
    )
    return flat(html.unescape(response.get_data(as_text=True)))


def test_a_recipient_with_no_linked_role_keeps_a_title_in_french_and_in_english_again(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    """The demo's ministers are addressed in the role the letter gave them, which the
    directory (of today) does not link: their French line still names that role."""
    letter = letter_campaign(app, db, french=None)
    signed_in(UserRole.COORDINATOR)
    trudeau, joly = letter.by_name("Justin Trudeau"), letter.by_name("Mélanie Joly")
    assert trudeau.role is None and joly.role is None
    page = change_language(client, letter, [trudeau, joly], "fr")
    db.expire_all()
    assert trudeau.addressed_as.startswith("Le très honorable Justin Trudeau")
    assert trudeau.addressed_as.endswith(", premier ministre du Canada")
    assert joly.addressed_as.startswith("L'honorable Mélanie Joly")
    assert joly.addressed_as.endswith(", ministre des Affaires étrangères")
    assert "kept as it was" not in page
    change_language(client, letter, [trudeau, joly], "en")
    db.expire_all()
    assert trudeau.addressed_as.startswith("The Right Honourable Justin Trudeau")
    assert trudeau.addressed_as.endswith(", Prime Minister of Canada")
    assert trudeau.salutation == "Dear Prime Minister"
    assert joly.addressed_as.startswith("The Honourable Mélanie Joly")
    assert joly.addressed_as.endswith(", Minister of Foreign Affairs")


@pytest.mark.parametrize(
    ("headers", "warning"),
    [
        (
            {},
            "Chrystia Freeland: the address line was kept as it was, because Hilltrack knows no "
            "French for “Deputy Prime Minister and Minister of Finance”. Check that line and "
            "write it in French on the recipient's page.",
        ),
        (
            {"Accept-Language": "fr-CA,fr;q=0.9"},
            "Chrystia Freeland\u202f: la ligne d\u2019adresse est restée telle quelle, car "
            "Hilltrack ne connaît pas de français pour «\u00a0Deputy Prime Minister and "
            "Minister of Finance\u00a0». Vérifiez cette ligne et écrivez-la en français sur la "
            "page du destinataire.",
        ),
    ],
)
def test_a_title_with_no_french_form_keeps_the_line_and_tells_the_coordinator(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    headers: dict[str, str],
    warning: str,
) -> None:
    letter = letter_campaign(app, db, french=None)
    signed_in(UserRole.COORDINATOR)
    freeland = letter.by_name("Chrystia Freeland")
    line = freeland.addressed_as
    page = change_language(client, letter, [freeland], "fr", headers=headers)
    db.expire_all()
    assert freeland.language == "fr"
    assert freeland.addressed_as == line, "never a line without its title"
    assert flat(warning) in page
    # Back in English the line is written again, with its title; the recipient's own page
    # then keeps that line in French, and says so too.
    change_language(client, letter, [freeland], "en")
    url = recipient_page(letter.campaign, freeland)
    db.expire_all()
    line = freeland.addressed_as
    assert line.endswith(", Deputy Prime Minister and Minister of Finance")
    done = post_form(
        client,
        url,
        {
            "addressed_as": freeland.addressed_as,
            "salutation": freeland.salutation,
            "language": "fr",
        },
        token_page=url,
        follow_redirects=True,
        headers=headers,
    )
    assert flat(warning) in flat(html.unescape(done.get_data(as_text=True)))
    db.expire_all()
    assert freeland.addressed_as == line
