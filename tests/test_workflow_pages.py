"""The workflow through the web: campaigns, recipients by role, quick log, follow-ups, calendar."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import csrf_token_from, post_form, sign_in
from tests.feeds import feed_folder
from tests.importing import run_import
from tracker import clock
from tracker.models import (
    Campaign,
    FollowUp,
    FollowUpStatus,
    Interaction,
    Official,
    Organisation,
    Recipient,
    User,
    UserRole,
)

TODAY = clock.today()


@pytest.fixture
def imported(app: Flask, tmp_path: Path) -> None:
    run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))


def form_post(client: FlaskClient, page: str, action: str, data: dict[str, Any]) -> Any:
    html = client.get(page).get_data(as_text=True)
    return client.post(
        action, data={**data, "csrf_token": csrf_token_from(html)}, follow_redirects=True
    )


def new_campaign(client: FlaskClient, title: str = "Lachin corridor letter") -> int:
    response = post_form(
        client,
        "/campaigns/new",
        {
            "title": title,
            "letter_on": TODAY.isoformat(),
            "status": "active",
            "body": "We ask **three** things.\n\n<script>x()</script>",
        },
        token_page="/campaigns/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def add_faae_leads(client: FlaskClient, db: Session, campaign_id: int) -> Any:
    faae = db.scalars(select(Organisation).where(Organisation.acronym == "FAAE")).one()
    page = f"/campaigns/{campaign_id}"
    return form_post(
        client,
        page,
        f"/campaigns/{campaign_id}/recipients/by-role",
        {
            "byrole-selection": "committee_leads",
            "byrole-committee": str(faae.id),
            "byrole-language": "en",
            "byrole-post_nominals": "y",
            "byrole-submit": "y",
        },
    )


@pytest.fixture
def faae_campaign(
    imported: None, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> int:
    """A coordinator, signed in on ``client``, with a campaign addressed to FAAE's leads."""
    signed_in(UserRole.COORDINATOR)
    campaign_id = new_campaign(client)
    add_faae_leads(client, db, campaign_id)
    return campaign_id


@pytest.mark.usefixtures("imported")
def test_coordinator_builds_a_campaign_and_adds_a_committee_by_role(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    campaign_id = new_campaign(client)
    text = add_faae_leads(client, db, campaign_id).get_data(as_text=True)
    assert "Added 2 recipients." in text
    # The feed's honorific decides the style; Represent's gender gives Genuis his "Mr.", and
    # none is guessed for Ehsassi, whom it gives none.
    assert "The Honourable Ali Ehsassi, P.C., M.P., Chair of the Standing Committee" in text
    assert "Mr. Garnett Genuis, M.P., Vice-Chair of the Standing Committee" in text
    assert "Mr. Ali" not in text
    assert "<strong>three</strong>" in text and "<script>x()" not in text
    again = add_faae_leads(client, db, campaign_id).get_data(as_text=True)
    assert "Added 0 recipients (2 already on the list)." in again


def test_volunteer_logs_a_send_and_a_reply_and_the_status_follows(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    faae_campaign: int,
) -> None:
    campaign_id = faae_campaign
    volunteer = make_user(UserRole.VOLUNTEER)
    helper = app.test_client()
    sign_in(helper, volunteer)
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    recipient = db.scalars(select(Recipient).where(Recipient.official_id == genuis.id)).one()
    assert "Garnett Genuis" in helper.get("/log/?q=genuis").get_data(as_text=True)
    page = helper.get(f"/log/{genuis.id}").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    data = {
        "recipient_id": str(recipient.id),
        "kind": "sent",
        "occurred_on": TODAY.isoformat(),
        "channel": "email",
        "reply_class": "",
        "submission_key": key,
        "csrf_token": csrf_token_from(page),
    }
    first = helper.post(f"/log/{genuis.id}", data=data, follow_redirects=True)
    assert "Saved: sent for Garnett Genuis." in first.get_data(as_text=True)
    double = helper.post(f"/log/{genuis.id}", data=data, follow_redirects=True)
    assert "Already saved (the form was sent twice); nothing was duplicated." in double.get_data(
        as_text=True
    )
    assert db.scalar(select(func.count()).select_from(Interaction)) == 1
    form_post(
        helper,
        f"/log/{genuis.id}",
        f"/log/{genuis.id}",
        {
            "recipient_id": str(recipient.id),
            "kind": "reply_received",
            "occurred_on": TODAY.isoformat(),
            "channel": "",
            "reply_class": "substantive",
            "summary": "Will raise it at committee",
        },
    )
    campaign_page = client.get(f"/campaigns/{campaign_id}?status=replied").get_data(as_text=True)
    assert "Garnett Genuis" in campaign_page and "Ali Ehsassi" not in campaign_page
    timeline = client.get(f"/officials/{genuis.id}").get_data(as_text=True)
    assert "Will raise it at committee" in timeline
    assert f"recorded by {volunteer.name}" in timeline


def test_a_log_entry_without_its_channel_is_refused_and_kept_on_screen(
    client: FlaskClient,
    db: Session,
    faae_campaign: int,
) -> None:
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    recipient = db.scalars(select(Recipient).where(Recipient.official_id == genuis.id)).one()
    text = form_post(
        client,
        f"/log/{genuis.id}",
        f"/log/{genuis.id}",
        {
            "recipient_id": str(recipient.id),
            "kind": "sent",
            "occurred_on": TODAY.isoformat(),
            "channel": "",
            "reply_class": "",
            "summary": "Posted at the Hill office",
        },
    ).get_data(as_text=True)
    assert "Say how it was sent." in text
    assert "Posted at the Hill office" in text
    assert db.scalar(select(func.count()).select_from(Interaction)) == 0


def test_bulk_mark_sent_from_the_campaign_page(
    client: FlaskClient,
    db: Session,
    faae_campaign: int,
) -> None:
    campaign_id = faae_campaign
    ids = [str(r.id) for r in db.scalars(select(Recipient))]
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    data = {
        "recipient": ids,
        "sent_on": TODAY.isoformat(),
        "channel": "post",
        "submission_key": key,
        "csrf_token": csrf_token_from(page),
    }
    text = client.post(f"/campaigns/{campaign_id}/sent", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Marked 2 recipients as sent." in text
    again = client.post(f"/campaigns/{campaign_id}/sent", data=data, follow_redirects=True)
    assert "Marked 0 recipients as sent." in again.get_data(as_text=True)
    assert '<span class="badge badge-sent">Sent</span> 2' in text


def test_follow_up_planned_completed_with_a_next_step_and_in_the_calendar(
    app: Flask,
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    faae_campaign: int,
) -> None:
    campaign_id = faae_campaign
    volunteer = make_user(UserRole.VOLUNTEER)
    recipient = db.scalars(select(Recipient).order_by(Recipient.position)).first()
    assert recipient is not None
    text = form_post(
        client,
        f"/campaigns/{campaign_id}",
        "/follow-ups/plan",
        {
            "fu-official_id": str(recipient.official_id),
            "fu-recipient_id": str(recipient.id),
            "fu-due_on": (TODAY - dt.timedelta(days=2)).isoformat(),
            "fu-assignee_id": str(volunteer.id),
            "fu-note": "Ask for a meeting",
        },
    ).get_data(as_text=True)
    assert f"assigned to {volunteer.name}" in text

    helper = app.test_client()
    sign_in(helper, volunteer)
    mine = helper.get("/follow-ups/").get_data(as_text=True)
    overdue = mine[mine.index('id="group-overdue"') : mine.index('id="group-today"')]
    assert "Ask for a meeting" in overdue and "2 days late" in overdue
    # Home's "Due for you" says the same: whom, what, how late.
    home = helper.get("/").get_data(as_text=True)
    name = recipient.official.full_name
    assert f"<strong>{name}</strong>: Ask for a meeting" in home and "2 days late" in home
    follow_up = db.scalars(select(FollowUp)).one()
    form_post(
        helper,
        f"/follow-ups/{follow_up.id}/complete",
        f"/follow-ups/{follow_up.id}/complete",
        {
            "outcome": "Scheduler will call back",
            "next_due_on": (TODAY + dt.timedelta(days=3)).isoformat(),
            "next_note": "Call the scheduler",
        },
    )
    db.expire_all()
    assert follow_up.status is FollowUpStatus.DONE
    following = db.scalars(select(FollowUp).where(FollowUp.previous_id == follow_up.id)).one()
    form_post(helper, "/follow-ups/", f"/follow-ups/{following.id}/snooze", {})
    db.expire_all()
    assert following.due_on == TODAY + dt.timedelta(days=10)

    first = form_post(helper, "/account", "/follow-ups/calendar", {"action": "rotate"})
    assert "Calendar address made: subscribe to it" in first.get_data(as_text=True)
    assert "the old one no longer works" not in first.get_data(as_text=True)  # there was none
    db.refresh(volunteer)
    token = volunteer.calendar_token
    assert token
    feed = app.test_client().get(f"/follow-ups/calendar/{token}.ics")  # no sign-in
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "SUMMARY:Follow up: " in body and "Call the scheduler" in body
    again = form_post(helper, "/account", "/follow-ups/calendar", {"action": "rotate"})
    assert "the old one no longer works" in again.get_data(as_text=True)
    assert app.test_client().get(f"/follow-ups/calendar/{token}.ics").status_code == 404
    form_post(helper, "/account", "/follow-ups/calendar", {"action": "revoke"})


def test_volunteers_cannot_manage_campaigns_or_act_on_others_work(
    app: Flask,
    db: Session,
    make_user: Callable[..., User],
    faae_campaign: int,
) -> None:
    campaign_id = faae_campaign
    owner, stranger = make_user(UserRole.VOLUNTEER), make_user(UserRole.VOLUNTEER)
    recipient = db.scalars(select(Recipient)).first()
    assert recipient is not None
    db.add(FollowUp(official_id=recipient.official_id, due_on=TODAY, assignee_id=owner.id))
    db.add(
        Interaction(
            official_id=recipient.official_id,
            recipient_id=recipient.id,
            kind="note",
            occurred_on=TODAY,
            recorded_by_id=owner.id,
            summary="Mine",
        )
    )
    db.commit()
    follow_up = db.scalars(select(FollowUp)).one()
    note = db.scalars(select(Interaction)).one()
    other = app.test_client()
    sign_in(other, stranger)
    for path in (
        "/campaigns/new",
        f"/campaigns/{campaign_id}/edit",
        f"/campaigns/{campaign_id}/recipients/{recipient.id}",
        f"/follow-ups/{follow_up.id}/complete",
        f"/log/interactions/{note.id}/edit",
    ):
        assert other.get(path).status_code == 403, path
    token = csrf_token_from(other.get("/").get_data(as_text=True))
    for path in (
        f"/follow-ups/{follow_up.id}/snooze",
        "/follow-ups/plan",
        f"/campaigns/{campaign_id}/recipients/by-role",
    ):
        assert other.post(path, data={"csrf_token": token}).status_code == 403, path
    db.refresh(follow_up)
    assert follow_up.due_on == TODAY
    assert db.scalar(select(func.count()).select_from(Campaign)) == 1


def test_a_pdf_attachment_is_checked_and_downloadable(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    import io

    signed_in(UserRole.COORDINATOR)
    token = csrf_token_from(client.get("/campaigns/new").get_data(as_text=True))
    fake = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "title": "With a fake PDF",
            "status": "draft",
            "attachment": (io.BytesIO(b"MZ not a pdf"), "letter.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "That file is not a PDF." in fake.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Campaign)) == 0
    real = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "title": "With a PDF",
            "status": "draft",
            "attachment": (io.BytesIO(b"%PDF-1.7\n%test\n"), "open-letter.pdf"),
        },
        content_type="multipart/form-data",
    )
    campaign_id = int(real.headers["Location"].rsplit("/", 1)[-1])
    download = client.get(f"/campaigns/{campaign_id}/attachment")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF-")
    assert "attachment; filename=open-letter.pdf" in download.headers["Content-Disposition"]
    download.close()


def test_a_stale_campaign_edit_gets_a_conflict_page(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    campaign_id = new_campaign(client, "First title")
    version = db.get(Campaign, campaign_id).version  # type: ignore[union-attr]
    base = {"status": "active", "version": str(version)}
    form_post(
        client,
        f"/campaigns/{campaign_id}/edit",
        f"/campaigns/{campaign_id}/edit",
        {**base, "title": "Second title"},
    )
    stale = form_post(
        client,
        f"/campaigns/{campaign_id}/edit",
        f"/campaigns/{campaign_id}/edit",
        {**base, "title": "Third title"},
    )
    text = stale.get_data(as_text=True)
    assert "Someone else changed" in text and "Second title" in text and "Third title" in text
    db.expire_all()
    assert db.get(Campaign, campaign_id).title == "Second title"  # type: ignore[union-attr]


def test_a_long_timeline_shows_the_latest_hundred_and_offers_the_rest(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.VOLUNTEER)
    official = Official(given_name="Busy", family_name="Person", name_key="busy person")
    db.add(official)
    db.flush()
    db.add_all(
        Interaction(
            official_id=official.id,
            kind="note",
            summary=f"entry {n:03d}",
            occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(130)
    )
    db.commit()
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "Showing the latest 100 of 130." in page
    assert "entry 129" in page and "entry 029" not in page
    everything = client.get(f"/officials/{official.id}?timeline=all").get_data(as_text=True)
    assert "entry 000" in everything and "Showing the latest" not in everything


def checked_value(html: str, name: str) -> str | None:
    """The value of the checked radio button called ``name``, if any."""
    for tag in re.findall(rf'<input type="radio" name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
    return None


def second_campaign_for(client: FlaskClient, db: Session, official: Official) -> int:
    """A newer open letter to the same official."""
    newer = new_campaign(client, "A newer letter")
    form_post(
        client,
        f"/campaigns/{newer}",
        f"/campaigns/{newer}/recipients",
        {"byname-official_id": str(official.id), "byname-language": "en"},
    )
    return newer


def test_a_log_link_from_a_campaign_row_logs_on_that_campaign_not_the_newest(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    second_campaign_for(client, db, genuis)
    older = db.scalars(
        select(Recipient).where(
            Recipient.official_id == genuis.id, Recipient.campaign_id == faae_campaign
        )
    ).one()
    campaign_page = client.get(f"/campaigns/{faae_campaign}").get_data(as_text=True)
    link = f"/log/{genuis.id}?campaign={faae_campaign}"
    assert f'href="{link}"' in campaign_page
    form = client.get(link).get_data(as_text=True)
    assert checked_value(form, "recipient_id") == str(older.id)


def test_with_several_open_letters_and_none_named_the_volunteer_must_choose(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    second_campaign_for(client, db, genuis)
    form = client.get(f"/log/{genuis.id}").get_data(as_text=True)
    assert checked_value(form, "recipient_id") is None
    assert "received 2 open letters: choose one" in form
    text = form_post(
        client,
        f"/log/{genuis.id}",
        f"/log/{genuis.id}",
        {"kind": "note", "occurred_on": TODAY.isoformat(), "summary": "Which letter?"},
    ).get_data(as_text=True)
    assert "Choose the campaign." in text
    assert db.scalar(select(func.count()).select_from(Interaction)) == 0


def test_the_log_form_shows_the_status_and_starts_from_the_next_likely_step(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    recipient = db.scalars(select(Recipient).where(Recipient.official_id == genuis.id)).one()
    link = f"/log/{genuis.id}?campaign={faae_campaign}"
    before = client.get(link).get_data(as_text=True)
    assert checked_value(before, "kind") == "sent"
    assert 'Now: <span class="badge badge-not-sent">Not sent</span>' in before
    form_post(
        client,
        link,
        link,
        {
            "recipient_id": str(recipient.id),
            "kind": "sent",
            "occurred_on": TODAY.isoformat(),
            "channel": "email",
            # A detail only replies keep: sent along by a form whose field was hidden.
            "reply_class": "substantive",
        },
    )
    assert db.scalars(select(Interaction)).one().reply_class is None
    after = client.get(link).get_data(as_text=True)
    assert checked_value(after, "kind") == "reply_received"
    assert 'Now: <span class="badge badge-sent">Sent</span>' in after
    assert 'data-kinds="reply_received"' in after  # the reply's kind shows only for replies


def test_an_officials_page_lists_the_letters_they_received_with_status_and_links(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    genuis = db.scalars(select(Official).where(Official.ourcommons_id == 89226)).one()
    newer = second_campaign_for(client, db, genuis)
    page = client.get(f"/officials/{genuis.id}").get_data(as_text=True)
    section = page.split('id="letters-heading"')[1].split("</section>")[0]
    assert "(2)" in section
    assert f'href="/campaigns/{newer}">A newer letter</a>' in section
    assert f'href="/campaigns/{faae_campaign}">Lachin corridor letter</a>' in section
    assert section.index("A newer letter") < section.index("Lachin corridor letter")
    assert section.count('<span class="badge badge-not-sent">Not sent</span>') == 2
    assert f'href="/log/{genuis.id}?campaign={faae_campaign}"' in section


def test_add_by_role_previews_who_will_be_added_before_anything_is_added(
    imported: None, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    campaign_id = new_campaign(client)
    page = f"/campaigns/{campaign_id}"
    form = client.get(page).get_data(as_text=True)
    # The minister is picked from the current ministers, not typed.
    assert '<option value="Minister of Foreign Affairs">Minister of Foreign Affairs (' in form
    faae = db.scalars(select(Organisation).where(Organisation.acronym == "FAAE")).one()
    choice = {
        "byrole-selection": "committee_leads",
        "byrole-committee": str(faae.id),
        "byrole-language": "en",
        "byrole-post_nominals": "y",
    }
    preview = form_post(client, page, f"{page}/recipients/by-role", choice).get_data(as_text=True)
    assert "2 to add." in preview
    assert "The Honourable Ali Ehsassi, P.C., M.P., Chair of the Standing Committee" in preview
    assert "Add the ticked" in preview
    assert len(re.findall(r'name="official" value="\d+"[^>]*checked>', preview)) == 2
    assert db.scalar(select(func.count()).select_from(Recipient)) == 0
    added = form_post(
        client, page, f"{page}/recipients/by-role", {**choice, "byrole-submit": "1"}
    ).get_data(as_text=True)
    assert "Added 2 recipients." in added
    again = form_post(client, page, f"{page}/recipients/by-role", choice).get_data(as_text=True)
    assert "0 to add; 2 already on the list." in again
    assert "Add these" not in again


def test_add_by_party_without_choosing_a_party_is_refused_not_guessed(
    imported: None, client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    signed_in(UserRole.COORDINATOR)
    campaign_id = new_campaign(client)
    page = f"/campaigns/{campaign_id}"
    form = client.get(page).get_data(as_text=True)
    assert (
        '<select id="byrole-party" name="byrole-party"><option value="">Choose a party</option>'
        in form
    )
    text = form_post(
        client,
        page,
        f"{page}/recipients/by-role",
        {"byrole-selection": "party", "byrole-party": "", "byrole-language": "en"},
    ).get_data(as_text=True)
    assert "Choose a party." in text
    assert db.scalar(select(func.count()).select_from(Recipient)) == 0


def signatory_names(db: Session, campaign_id: int) -> list[tuple[str, bool]]:
    from tracker.models import Signatory

    db.expire_all()
    return [
        (s.name, s.is_lead)
        for s in db.scalars(
            select(Signatory).where(Signatory.campaign_id == campaign_id).order_by("position")
        )
    ]


def test_a_pasted_list_of_signatories_is_previewed_then_added_in_order(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    page = f"/campaigns/{faae_campaign}"
    pasted = (
        "1. Hayren Partners for Humanity\n\n- Genocide Watch\n• genocide watch\nZoryan Institute\n"
    )
    preview = form_post(
        client,
        page,
        f"{page}/signatories/paste",
        {"paste-names": pasted, "paste-kind": "organisation", "paste-preview": "1"},
    ).get_data(as_text=True)
    assert "3 to add, in this order, after the 0 already listed; 1 left out." in preview
    assert 'genocide watch <small class="field-error">(listed twice: left out)' in preview
    assert signatory_names(db, faae_campaign) == []
    form_post(
        client,
        page,
        f"{page}/signatories/paste",
        {"paste-names": pasted, "paste-kind": "organisation", "paste-confirm": "1"},
    )
    assert signatory_names(db, faae_campaign) == [
        ("Hayren Partners for Humanity", False),
        ("Genocide Watch", False),
        ("Zoryan Institute", False),
    ]
    again = form_post(
        client,
        page,
        f"{page}/signatories/paste",
        {"paste-names": "Genocide Watch", "paste-kind": "organisation", "paste-preview": "1"},
    ).get_data(as_text=True)
    assert "(already a signatory: left out)" in again


def test_the_signatory_list_is_reordered_edited_and_given_its_lead_in_one_save(
    client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    from tracker.models import Signatory

    page = f"/campaigns/{faae_campaign}"
    form_post(
        client,
        page,
        f"{page}/signatories/paste",
        {
            "paste-names": "Genocide Watch\nZoryan Institute\nTypo Org",
            "paste-confirm": "1",
            "paste-kind": "organisation",
        },
    )
    ids = {s.name: s.id for s in db.scalars(select(Signatory))}
    rows = {
        # Zoryan first, Genocide Watch renamed second, the typo removed; Zoryan leads.
        "sigs-rows-0-id": ids["Genocide Watch"],
        "sigs-rows-0-position": "2",
        "sigs-rows-0-name": "Genocide Watch Canada",
        "sigs-rows-0-note": "",
        "sigs-rows-1-id": ids["Zoryan Institute"],
        "sigs-rows-1-position": "1",
        "sigs-rows-1-name": "Zoryan Institute",
        "sigs-rows-1-note": "joined late",
        "sigs-rows-2-id": ids["Typo Org"],
        "sigs-rows-2-position": "3",
        "sigs-rows-2-name": "Typo Org",
        "sigs-rows-2-remove": "y",
        "sigs-lead": ids["Zoryan Institute"],
    }
    text = form_post(client, page, f"{page}/signatories/list", rows).get_data(as_text=True)
    assert "Signatories saved." in text
    assert signatory_names(db, faae_campaign) == [
        ("Zoryan Institute", True),
        ("Genocide Watch Canada", False),
    ]
    blank = {**rows, "sigs-rows-0-name": " ", "sigs-rows-2-remove": ""}
    refused = form_post(client, page, f"{page}/signatories/list", blank).get_data(as_text=True)
    assert "The list changed since the page was loaded" in refused


def test_the_signatory_list_draws_each_field_as_the_form_does_with_names_escaped(
    app: Flask, client: FlaskClient, db: Session, faae_campaign: int
) -> None:
    from tracker.models import Campaign, Signatory
    from tracker.views.signatories import signatory_list_form

    page = f"/campaigns/{faae_campaign}"
    hostile = 'Org <b>"Q"</b> & l\'été'
    form_post(
        client,
        page,
        f"{page}/signatories/paste",
        {
            "paste-names": f"Genocide Watch\n{hostile}",
            "paste-confirm": "1",
            "paste-kind": "organisation",
        },
    )
    ids = {s.name: s.id for s in db.scalars(select(Signatory))}
    form_post(
        client,
        page,
        f"{page}/signatories/list",
        {
            "sigs-rows-0-id": ids["Genocide Watch"],
            "sigs-rows-0-position": "1",
            "sigs-rows-0-name": "Genocide Watch",
            "sigs-rows-0-note": 'joined "late" <today>',
            "sigs-rows-1-id": ids[hostile],
            "sigs-rows-1-position": "2",
            "sigs-rows-1-name": hostile,
            "sigs-rows-1-note": "",
            "sigs-lead": ids[hostile],
        },
    )
    html = client.get(page).get_data(as_text=True)
    db.expire_all()
    with app.test_request_context():
        form = signatory_list_form(db.get(Campaign, faae_campaign))  # type: ignore[arg-type]
        # Each field exactly as WTForms draws it (the page writes them in Python).
        for row in form.rows:
            r = row.form
            for drawn in (
                r.id(),
                r.position(type="number", min=1, inputmode="numeric"),
                r.name(required=True),
                r.note(placeholder="Note (optional)"),
                r.remove(),
            ):
                assert str(drawn) in html
    assert html.count('class="signatory-row"') == 2
    assert hostile not in html
    assert 'aria-label="Move Org &lt;b&gt;&#34;Q&#34;&lt;/b&gt; &amp; l&#39;été up"' in html
    assert f'name="sigs-lead" value="{ids[hostile]}" checked>' in html
    assert f'name="sigs-lead" value="{ids["Genocide Watch"]}" >' in html


@pytest.mark.usefixtures("imported")
def test_the_home_page_counts_officials_in_office_not_former_mps(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session
) -> None:
    from tracker.models import Role

    signed_in(UserRole.VOLUNTEER)
    in_office = db.scalar(
        select(func.count(func.distinct(Role.official_id))).where(Role.end_on.is_(None))
    )
    everyone = db.scalar(select(func.count()).select_from(Official))
    assert in_office and everyone and in_office < everyone
    home = client.get("/").get_data(as_text=True)
    figure = re.search(r'<h2>Officials in office</h2></header>\s*<p class="figure">(\d+)</p>', home)
    assert figure is not None and int(figure.group(1)) == in_office


def test_everyones_follow_ups_name_the_assignee_or_say_unassigned_and_link_to_the_letter(
    client: FlaskClient,
    db: Session,
    make_user: Callable[..., User],
    signed_in: Callable[[UserRole], User],
) -> None:
    """A line reads the same whatever it is about: the official, the letter's campaign if it
    is about one (and its log link opens that campaign), who does it or "unassigned"."""
    signed_in(UserRole.COORDINATOR)
    volunteer = make_user(UserRole.VOLUNTEER, name="Vera Volunteer")
    official = Official(given_name="Ada", family_name="Lovel", name_key="ada lovel")
    campaign = Campaign(title="Corridor letter")
    db.add_all([official, campaign])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id,
        official_id=official.id,
        position=0,
        addressed_as="x",
        salutation="y",
    )
    db.add(recipient)
    db.flush()
    about_letter = FollowUp(
        official_id=official.id,
        recipient_id=recipient.id,
        due_on=TODAY + dt.timedelta(days=5),
        assignee_id=volunteer.id,
        note="Ask again",
    )
    nobody = FollowUp(official_id=official.id, due_on=TODAY + dt.timedelta(days=6))
    db.add_all([about_letter, nobody])
    db.commit()
    page = client.get("/follow-ups/?who=all").get_data(as_text=True)
    lines = re.findall(r'<article class="follow-up">(.*?)</article>', page, re.S)
    assert len(lines) == 2
    first, second = lines
    assert "<strong>Ada Lovel</strong> · Corridor letter · due" in first
    assert "· Vera Volunteer</p>" in first and "<p>Ask again</p>" in first
    assert f'href="/log/{official.id}?campaign={campaign.id}"' in first
    assert "<strong>Ada Lovel</strong> · due" in second and "· unassigned</p>" in second
    assert f'href="/log/{official.id}" class="small"' in second
