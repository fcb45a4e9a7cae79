"""A campaign page drawn from the cache shows every write at once: each write to what its rows
show changes the campaign's revision (models/revisions.py), which keys the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.test_page_costs import letter_with_rows
from tests.test_query_counts import counted
from tracker import clock
from tracker.models import (
    Campaign,
    CampaignSubject,
    Channel,
    HouseIntervention,
    HouseRecordCheck,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.models.base import Base
from tracker.models.revisions import NOT_SHOWN, SHOWN
from tracker.operations.accounts import update_user
from tracker.operations.follow_ups import plan_follow_up
from tracker.operations.interactions import bulk_mark_sent, record_interaction
from tracker.operations.recipients import set_language
from tracker.operations.replies import classify_reply
from tracker.rules.status import RecipientStatus
from tracker.web.fragments import forget_drawn


def test_every_model_is_mapped_to_revisions_or_declared_not_shown() -> None:
    """A new model cannot leave the cached rows stale unnoticed: someone says which pages it
    shows on, or that it shows on none."""
    models = {mapper.class_ for mapper in Base.registry.mappers}
    assert models - set(SHOWN) - NOT_SHOWN == set()
    assert set(SHOWN) & NOT_SHOWN == set()


def _first(db: Session, campaign: Campaign) -> Recipient:
    recipient = db.scalar(
        sa.select(Recipient).where(Recipient.campaign_id == campaign.id).order_by(Recipient.id)
    )
    assert recipient is not None
    return recipient


def _log_reply(db: Session, campaign: Campaign, user: User) -> str:
    values = {
        "kind": InteractionKind.REPLY_RECEIVED,
        "channel": Channel.EMAIL,
        "occurred_on": clock.today(),
        "reply_class": ReplyClass.SUBSTANTIVE,
    }
    record_interaction(db, _first(db, campaign), values, actor=user)
    return "replied"  # the status badge's slug


def _plan_follow_up(db: Session, campaign: Campaign, user: User) -> str:
    recipient = _first(db, campaign)
    due = dt.date(2025, 12, 25)  # sooner than any it has
    plan_follow_up(
        db,
        official=recipient.official,
        recipient=recipient,
        due_on=due,
        assignee=user,
        note="Call",
        actor=user,
    )
    return str(due)


def _rename_official(db: Session, campaign: Campaign, _user: User) -> str:
    # What a re-import does to a changed name: the ORM row written.
    _first(db, campaign).official.family_name = "Renamed-On-Import"
    return "Renamed-On-Import"


def _mark_sent(db: Session, campaign: Campaign, user: User) -> str:
    # Sent again, by post, before the e-mail letter_with_rows logged: the row's first send.
    bulk_mark_sent(
        db,
        [_first(db, campaign)],
        sent_on=dt.date(2025, 12, 2),
        channel=Channel.POST,
        actor=user,
        submission_key="rev-test",
    )
    return "2025-12-02"


def _bounce(db: Session, campaign: Campaign, user: User) -> str:
    values = {"kind": InteractionKind.BOUNCED, "occurred_on": clock.today()}
    record_interaction(db, _first(db, campaign), values, actor=user)
    return "field-error"  # "not delivered: send it another way"


def _change_language(db: Session, campaign: Campaign, user: User) -> str:
    set_language(db, [_first(db, campaign)], "fr", actor=user, readdress=False)
    return "French"


def _rename_user(db: Session, campaign: Campaign, user: User) -> str:
    # The follow-ups' assignee (letter_with_rows assigns them all to the coordinator).
    update_user(db, user, name="Renamed Coordinator", role=user.role, actor=user)
    return "Renamed Coordinator"


def _house_record(db: Session, campaign: Campaign, _user: User) -> str:
    # The House record read for a member (setup_house_member made them one): checked now.
    for pub_type in (37, 40017):  # the House and its committees
        db.add(
            HouseRecordCheck(
                person_id=4242,
                pub_type=pub_type,
                checked_from=dt.date(2025, 12, 1),
                checked_to=dt.date(2026, 1, 20),
            )
        )
    db.add(
        HouseIntervention(
            item_id=987654,
            publication_id=1,
            pub_type=37,
            title="Debates",
            spoken_on=dt.date(2026, 1, 10),
            organization="House",
            person_id=4242,
            speaker="Someone",
        )
    )
    return "checked up to"


def _house_member(db: Session, campaign: Campaign) -> None:
    """The first recipient a member of the House, on a campaign with subject words."""
    _first(db, campaign).official.ourcommons_id = 4242
    db.add(CampaignSubject(campaign_id=campaign.id, phrase="housing"))
    db.commit()


WRITES: dict[str, Callable[[Session, Campaign, User], str]] = {
    "a reply logged": _log_reply,
    "a follow-up planned": _plan_follow_up,
    "an official renamed on re-import": _rename_official,
    "a letter marked sent": _mark_sent,
    "a letter bounced": _bounce,
    "a recipient's language changed": _change_language,
    "a user renamed": _rename_user,
    "an outcome imported": _house_record,
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_the_campaign_page_shows_a_write_at_once(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    write: str,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 3, coordinator)
    if write == "an outcome imported":
        _house_member(db, campaign)
    path = f"/campaigns/{campaign.id}"
    before = client.get(path).get_data(as_text=True)
    client.get(path)  # drawn from the cache now
    shown = WRITES[write](db, campaign, coordinator)
    db.commit()
    after = client.get(path).get_data(as_text=True)
    forget_drawn(app)
    drawn_afresh = client.get(path).get_data(as_text=True)
    assert after.count(shown) > before.count(shown), write
    assert _rows(after) == _rows(drawn_afresh)


def _rows(page: str) -> str:
    """The page's recipient rows (the rest holds a fresh form token on every view)."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_second_view_of_an_unchanged_campaign_runs_fewer_statements(
    app: Flask,
    client: FlaskClient,
    db: Session,
    connection: sa.Connection,
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 45, coordinator)
    path = f"/campaigns/{campaign.id}"
    with counted(connection) as first:
        assert client.get(path).status_code == 200
    with counted(connection) as second:
        assert client.get(path).status_code == 200
    assert len(second) < len(first)


def test_a_revision_is_not_an_edit(db: Session, signed_in: Callable[[UserRole], User]) -> None:
    """The edit forms' guard (the version) and the last-edited time stay as they were."""
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, official = letter_with_rows(db, 2, coordinator)
    version, updated, revision = campaign.version, campaign.updated_at, campaign.revision
    _log_reply(db, campaign, coordinator)
    db.commit()
    db.refresh(campaign)
    assert (campaign.version, campaign.updated_at) == (version, updated)
    assert campaign.revision != revision
    assert isinstance(official, Official)


def _retitle(db: Session, campaign: Campaign, _user: User) -> str:
    campaign.title = "A retitled letter"
    return "A retitled letter"


OFFICIAL_WRITES: dict[str, Callable[[Session, Campaign, User], str]] = {
    "a reply logged": lambda db, campaign, user: _log_reply(db, campaign, user) and "Reply",
    "a user renamed": _rename_user,
    "a campaign retitled": _retitle,
}


@pytest.mark.parametrize("write", OFFICIAL_WRITES, ids=list(OFFICIAL_WRITES))
def test_the_officials_timeline_shows_a_write_at_once(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    write: str,
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 3, coordinator)
    official = _first(db, campaign).official
    path = f"/officials/{official.id}"
    before = client.get(path).get_data(as_text=True)
    client.get(path)  # drawn from the cache now
    shown = OFFICIAL_WRITES[write](db, campaign, coordinator)
    db.commit()
    after = client.get(path).get_data(as_text=True)
    forget_drawn(app)
    drawn_afresh = client.get(path).get_data(as_text=True)
    assert after.count(shown) > before.count(shown), write
    assert _timeline(after) == _timeline(drawn_afresh)


def _timeline(page: str) -> str:
    return page[
        page.index('id="timeline-heading"') : page.index(
            "</section>", page.index('id="timeline-heading"')
        )
    ]


def test_a_second_view_of_an_unchanged_official_runs_fewer_statements(
    client: FlaskClient,
    db: Session,
    connection: sa.Connection,
    signed_in: Callable[[UserRole], User],
) -> None:
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 5, coordinator)
    path = f"/officials/{_first(db, campaign).official_id}"
    with counted(connection) as first:
        assert client.get(path).status_code == 200
    with counted(connection) as second:
        assert client.get(path).status_code == 200
    assert len(second) < len(first)


HOME_WRITES = ["a reply logged", "a letter bounced"]


@pytest.mark.parametrize("write", HOME_WRITES)
def test_home_shows_a_campaigns_new_progress_at_once(
    app: Flask,
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    write: str,
) -> None:
    """Home keeps each campaign's progress per revision: a write shows at the next view, as
    drawn afresh."""
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 3, coordinator)
    before = _campaigns(client.get("/").get_data(as_text=True))
    WRITES[write](db, campaign, coordinator)
    db.commit()
    after = _campaigns(client.get("/").get_data(as_text=True))
    forget_drawn(app)
    assert after != before
    assert after == _campaigns(client.get("/").get_data(as_text=True))


def _campaigns(page: str) -> str:
    return page[page.index("<section>") :]


def test_a_note_leaves_the_campaigns_kept_rows_and_shows_on_the_officials_page_at_once(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    """A note changes no fact a campaign's row shows: the rows stay kept (a volunteer logging
    notes does not have coordinators' campaign pages drawn again), the official's page moves."""
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 3, coordinator)
    recipient = _first(db, campaign)
    official_path = f"/officials/{recipient.official_id}"
    client.get(official_path)
    kept = campaign.revision
    note = {"kind": InteractionKind.NOTE, "occurred_on": clock.today(), "summary": "Left word"}
    record_interaction(db, recipient, note, actor=coordinator)
    db.commit()
    db.refresh(campaign)
    assert campaign.revision == kept
    assert "Left word" in client.get(official_path).get_data(as_text=True)
    _log_reply(db, campaign, coordinator)  # a fact: the row changes
    db.commit()
    db.refresh(campaign)
    assert campaign.revision != kept


def test_a_reply_classified_later_changes_the_campaign_page_at_once(
    app: Flask, client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User]
) -> None:
    """A reply from the mail, counted as a reply until classified, found to be only an
    acknowledgement: the row goes back to waiting, through the facts writer alone (an
    interaction no longer touches the campaign itself)."""
    coordinator = signed_in(UserRole.COORDINATOR)
    campaign, _official = letter_with_rows(db, 3, coordinator)
    values = {
        "kind": InteractionKind.REPLY_RECEIVED,
        "channel": Channel.EMAIL,
        "occurred_on": clock.today(),
        "reply_class": None,
    }
    waiting = db.scalars(
        sa.select(Recipient).where(
            Recipient.campaign_id == campaign.id, Recipient.status == RecipientStatus.SENT
        )
    ).first()
    assert waiting is not None
    reply, _new = record_interaction(db, waiting, values, actor=None, unclassified=True)
    db.commit()
    path = f"/campaigns/{campaign.id}"
    before = _rows(client.get(path).get_data(as_text=True))
    classify_reply(db, reply, ReplyClass.ACKNOWLEDGEMENT, actor=coordinator)
    db.commit()
    after = _rows(client.get(path).get_data(as_text=True))
    forget_drawn(app)
    fresh = _rows(client.get(path).get_data(as_text=True))
    assert after == fresh
    assert after != before
