"""Each recipient's own letter: previewed on the page, as PDF (one or a ZIP of all), and on disk."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdf
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.letters import BODY, BODY_FR, letter_campaign
from tracker.formats.letters import letter_file_name
from tracker.models import User, UserRole


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_preview_shows_the_date_address_salutation_body_and_signatories_in_order(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    trudeau = letter.by_name("Justin Trudeau")
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/{trudeau.id}").get_data(
        as_text=True
    )
    assert "September 7, 2023" in page
    assert "The Right Honourable Justin Trudeau" in page
    assert "Prime Minister of Canada" in page
    assert f"{trudeau.salutation}," in page
    assert "<em>Lachin corridor</em>" in page
    signatories = [s.name for s in sorted(letter.campaign.signatories, key=lambda s: s.position)]
    lead = next(s.name for s in letter.campaign.signatories if s.is_lead)
    assert page.index(lead) < page.index(next(n for n in signatories if n != lead))
    assert "Sincerely," in page


def test_a_french_recipients_letter_is_in_french_with_its_own_close(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    joly = letter.by_name("Mélanie Joly")
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/{joly.id}").get_data(as_text=True)
    assert "7 septembre 2023" in page
    assert 'lang="fr"' in page
    assert "Objet\u202f:" in page
    assert "Madame la Ministre," in page
    assert "Veuillez agréer, Madame la Ministre, l\u2019expression" in page


def test_the_pdf_keeps_accents_guillemets_and_typographic_apostrophes(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    joly = letter.by_name("Mélanie Joly")
    response = client.get(f"/campaigns/{letter.campaign.id}/letters/{joly.id}.pdf")
    assert response.mimetype == "application/pdf"
    assert (
        f"{letter_file_name(joly.position, 'Melanie Joly')}"
        in response.headers["Content-Disposition"]
    )
    text = pdf_text(response.data)
    assert "L\u2019honorable Mélanie Joly" in text
    assert "7 septembre 2023" in text
    assert "«" in text and "»" in text
    assert "l\u2019alliance suivent" in text
    assert "Madame la Ministre," in text


def test_every_letter_comes_as_one_zip_named_in_the_letters_order(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.COORDINATOR)
    response = client.get(f"/campaigns/{letter.campaign.id}/letters/all.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == 15
    assert names[0] == "01-justin-trudeau.pdf"
    assert names == sorted(names)
    assert "Justin Trudeau" in pdf_text(archive.read(names[0]))


def test_volunteers_preview_letters_but_cannot_open_the_send_page_or_the_zip(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    base = f"/campaigns/{letter.campaign.id}/letters"
    assert client.get(f"{base}/{letter.recipients[0].id}").status_code == 200
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/all.zip").status_code == 403


def test_a_recipient_of_another_campaign_is_not_found(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    signed_in(UserRole.VOLUNTEER)
    other = letter.campaign.id + 1
    assert client.get(f"/campaigns/{other}/letters/{letter.recipients[0].id}").status_code == 404


def test_the_render_command_writes_one_pdf_per_recipient_named_for_them(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    letter = letter_campaign(app, db)
    out = tmp_path / "letters"
    result = app.test_cli_runner().invoke(
        args=["letters", "render", "--campaign", str(letter.campaign.id), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 15
    assert "03-melanie-joly.pdf" in files
    assert "Wrote 15 letters" in result.output
    assert "Mélanie Joly" in pdf_text((out / "03-melanie-joly.pdf").read_bytes())


def test_markdown_in_the_body_cannot_smuggle_markup_into_the_pdf(app: Flask, db: Session) -> None:
    from tracker.formats.letter_pdf import letter_pdf
    from tracker.queries.letters import letter_text, signatory_names

    letter = letter_campaign(app, db)
    letter.campaign.body = BODY + '\n\n<font size="90">big</font> [x](javascript:alert(1)) a & b'
    recipient = letter.recipients[0]
    text = letter_text(
        letter.campaign,
        recipient,
        signatory_names(db, letter.campaign.id),
        letter.campaign.letter_on,
    )  # type: ignore[arg-type]
    extracted = pdf_text(letter_pdf(text))
    assert '<font size="90">big</font>' in extracted
    assert "a & b" in extracted


def test_a_french_title_the_export_lacks_is_marked_and_written_once_for_the_letters(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    tmp_path: Path,
) -> None:
    """No English under a French address: the Letters page says which title has no French
    form; a coordinator writes it once and the French letter is addressed with it."""
    from sqlalchemy import select

    from tests.conftest import post_form
    from tests.feeds import feed_folder
    from tests.importing import run_import
    from tracker.models import AddressForm, Official, RoleKind
    from tracker.operations.campaigns import add_recipients, create_campaign

    run_import(app, feed_folder(tmp_path / "feeds"))  # no French export: no French titles
    coordinator = signed_in(UserRole.COORDINATOR)
    provost = db.scalars(select(Official).where(Official.ourcommons_id == 122552)).one()
    provost.address_form = AddressForm.MADAME
    campaign = create_campaign(db, {"title": "Nature"}, actor=coordinator)
    campaign.body = "Protect the wetlands."
    role = next(r for r in provost.roles if r.kind is RoleKind.SECRETARY_OF_STATE)
    (recipient,), _ = add_recipients(
        db, campaign, [(provost, role)], language="fr", actor=coordinator
    )
    db.commit()
    letters = f"/campaigns/{campaign.id}/letters/"
    page = client.get(letters).get_data(as_text=True)
    assert "No French for “Secretary of State (Nature)”" in page
    preview = client.get(f"{letters}{recipient.id}").get_data(as_text=True)
    assert "Secretary of State" not in preview

    response = post_form(
        client,
        f"{letters}{recipient.id}/french",
        {"english": "Secretary of State (Nature)", "french": "secrétaire d\u2019État (Nature)"},
        token_page=letters,
    )
    assert response.status_code == 302
    db.expire_all()
    assert recipient.addressed_as == (
        "L'honorable Nathalie Provost, C.P., députée, secrétaire d\u2019État (Nature)"
    )
    assert "No French for" not in client.get(letters).get_data(as_text=True)
    assert "secrétaire d\u2019État (Nature)" in client.get(f"{letters}{recipient.id}").get_data(
        as_text=True
    )


LONG_PARAGRAPH = (
    "The blockade has cut the only road between the region and the outside world for months: "
    "food, medicine and fuel no longer reach the families who live there, the sick cannot be "
    "taken to hospital, and the relief convoys wait at the checkpoint day after day. We ask "
    "Canada to say so plainly, with its partners, and to act on it."
)


def pdf_pages(data: bytes) -> list[list[str]]:
    """Each page's lines of text, blank ones left out."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        for page in reader.pages
    ]


def test_a_letter_with_23_signatories_numbers_its_pages_and_never_strands_signatories(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    letter = letter_campaign(app, db)
    letter.campaign.body = BODY + "\n\n" + "\n\n".join([LONG_PARAGRAPH] * 5)
    letter.campaign.body_fr = BODY_FR + "\n\n" + "\n\n".join([LONG_PARAGRAPH] * 5)  # the layout's
    db.commit()
    signatories = [s.name for s in letter.campaign.signatories]
    assert len(signatories) == 23
    signed_in(UserRole.VOLUNTEER)
    for name, header in (
        ("Justin Trudeau", "Page 2 of 2 · Letter to Justin Trudeau, September 7, 2023"),
        ("Mélanie Joly", "Page 2 sur 2 · Lettre à Mélanie Joly, 7 septembre 2023"),
    ):
        recipient = letter.by_name(name)
        data = client.get(f"/campaigns/{letter.campaign.id}/letters/{recipient.id}.pdf").data
        pages = pdf_pages(data)
        assert len(pages) == 2, pages
        assert header in pages[1], pages[1]
        assert not any("Page 1" in line for line in pages[0])
        for lines in pages:
            text = [line for line in lines if not line.startswith("Page ")]
            named = [line for line in text if any(s in line for s in signatories)]
            assert len(text) > len(named), f"a page holds only signatories: {lines}"
            assert len(named) != 1, f"a signatory stands alone on a page: {lines}"
        close = "Sincerely," if name == "Justin Trudeau" else "Veuillez agréer"
        page_of_close = next(i for i, lines in enumerate(pages) if any(close in x for x in lines))
        lead = next(s.name for s in letter.campaign.signatories if s.is_lead)
        assert any(lead in line for line in pages[page_of_close]), "the close parted from them"
