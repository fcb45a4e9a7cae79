"""The Letters page's rows (built in Python, tracker/web/letter_rows.py): what the mail server
said is text, never markup; an unsettled letter offers to settle it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.letters import letter_campaign
from tracker.models import Letter, LetterState, User, UserRole


def test_a_bounce_reads_as_text_and_an_unknown_letter_offers_to_settle_it(
    app: Flask, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    letter = letter_campaign(app, db)
    bounced, unknown = letter.emailed[:2]
    db.add_all(
        [
            Letter(
                campaign_id=letter.campaign.id,
                recipient_id=bounced.id,
                state=LetterState.BOUNCED,
                to_address="x@example.org",
                error="<b>550</b> no such user",
            ),
            Letter(
                campaign_id=letter.campaign.id,
                recipient_id=unknown.id,
                state=LetterState.UNKNOWN,
                to_address="y@example.org",
            ),
        ]
    )
    db.commit()
    signed_in(UserRole.COORDINATOR)
    page = client.get(f"/campaigns/{letter.campaign.id}/letters/").get_data(as_text=True)
    row = page[page.index(f'id="recipient-{bounced.id}"') :]
    row = row[: row.index("</tr>")]
    assert "&lt;b&gt;550&lt;/b&gt; no such user" in row and "<b>550</b>" not in row
    assert 'class="badge badge-letter-bounced"' in row
    row = page[page.index(f'id="recipient-{unknown.id}"') :]
    row = row[: row.index("</tr>")]
    assert "It was sent" in row and "It was not sent: send it" in row
    assert "/was-sent" in row and "/send-again" in row
