"""The outreach workflow's rules: recipients by role, logging, status, follow-ups, permissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.feeds import feed_folder
from tests.importing import run_import
from tracker.errors import OperationError
from tracker.models import (
    AuditEvent,
    Campaign,
    Channel,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Official,
    Organisation,
    Recipient,
    ReplyClass,
    SignatoryKind,
    User,
    UserRole,
)
from tracker.operations.campaigns import (
    RoleSelection,
    add_recipients,
    create_campaign,
    officials_by_role,
    remove_recipient,
)
from tracker.operations.follow_ups import complete_follow_up, plan_follow_up, snooze_follow_up
from tracker.operations.interactions import bulk_mark_sent, record_interaction, update_interaction
from tracker.operations.officials import ConflictError
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.operations.signatories import add_signatory
from tracker.rules.status import RecipientStatus, derive_status

TODAY = dt.date(2026, 2, 2)
LETTER_DAY = dt.date(2026, 1, 20)


@pytest.fixture
def world(app: Flask, db: Session, tmp_path: Path, make_user: Callable[..., User]) -> dict:
    run_import(app, feed_folder(tmp_path / "feeds", with_constructed=True))
    coordinator = make_user(UserRole.COORDINATOR)
    campaign = create_campaign(
        db, {"title": "Open letter", "letter_on": LETTER_DAY}, actor=coordinator
    )
    db.commit()
    return {
        "coordinator": coordinator,
        "campaign": campaign,
        "volunteer": make_user(UserRole.VOLUNTEER),
        "other": make_user(UserRole.VOLUNTEER),
    }


def faae(db: Session) -> Organisation:
    return db.scalars(select(Organisation).where(Organisation.acronym == "FAAE")).one()


def test_all_current_ministers_in_one_step_with_forms_of_address(db: Session, world: dict) -> None:
    chosen = officials_by_role(db, RoleSelection("ministers"), LETTER_DAY)
    assert len(chosen) == 27
    assert {role.kind.value for _, role in chosen} == {"prime_minister", "minister"}
    added, skipped = add_recipients(db, world["campaign"], chosen, actor=world["coordinator"])
    assert (len(added), skipped) == (27, 0)
    first = added[0]
    assert first.addressed_as == "The Right Honourable Mark Carney, P.C., M.P., Prime Minister"
    assert first.salutation == "Dear Prime Minister"
    joly = next(r for r in added if r.official.family_name == "Joly")
    assert joly.addressed_as == "The Honourable Mélanie Joly, P.C., M.P., Minister of Industry"
    assert joly.salutation == "Dear Minister Joly"
    assert joly.role_title == "Minister of Industry"
    again, skipped = add_recipients(db, world["campaign"], chosen, actor=world["coordinator"])
    assert (again, skipped) == ([], 27)


def test_secretaries_of_state_are_their_own_choice(db: Session, world: dict) -> None:
    chosen = officials_by_role(db, RoleSelection("secretaries_of_state"), LETTER_DAY)
    assert len(chosen) == 11
    assert {role.kind.value for _, role in chosen} == {"secretary_of_state"}


def test_chair_and_vice_chairs_of_a_committee(db: Session, world: dict) -> None:
    chosen = officials_by_role(db, RoleSelection("committee_leads", str(faae(db).id)), LETTER_DAY)
    assert [(o.family_name, r.kind.value) for o, r in chosen] == [
        ("Ehsassi", "committee_chair"),
        ("Genuis", "committee_vice_chair"),
    ]
    added, _ = add_recipients(db, world["campaign"], chosen, actor=world["coordinator"])
    # Represent gives Genuis's gender ("M"), and nothing for Ehsassi: never guessed.
    assert added[1].addressed_as == (
        "Mr. Garnett Genuis, M.P., Vice-Chair of the Standing Committee on Foreign Affairs and "
        "International Development"
    )
    assert added[1].salutation == "Dear Mr. Genuis"
    assert added[0].official.address_form is None


def test_parliamentary_secretaries_to_a_given_minister(db: Session, world: dict) -> None:
    chosen = officials_by_role(
        db, RoleSelection("parliamentary_secretaries", "Minister of Foreign Affairs"), LETTER_DAY
    )
    assert sorted(o.family_name for o, _ in chosen) == ["Oliphant", "Vandenbeld"]


def test_mps_by_party_and_by_province(db: Session, world: dict) -> None:
    assert len(officials_by_role(db, RoleSelection("party", "Green Party"), LETTER_DAY)) == 1
    pei = officials_by_role(db, RoleSelection("province", "Prince Edward Island"), LETTER_DAY)
    assert len(pei) == 4


def recipient_for(db: Session, world: dict, family: str = "Joly") -> Recipient:
    chosen = [
        (o, r)
        for o, r in officials_by_role(db, RoleSelection("ministers"), LETTER_DAY)
        if o.family_name == family
    ]
    added, _ = add_recipients(db, world["campaign"], chosen, actor=world["coordinator"])
    db.commit()
    return added[0]


def log(
    db: Session,
    world: dict,
    recipient: Recipient,
    kind: InteractionKind,
    day: dt.date,
    **values: object,
) -> Interaction:
    interaction, _ = record_interaction(
        db,
        recipient,
        {"kind": kind, "occurred_on": day, **values},
        actor=world["volunteer"],
        today=TODAY,
    )
    db.commit()
    return interaction


def test_send_reply_meeting_move_the_status_along(db: Session, world: dict) -> None:
    joly = recipient_for(db, world)
    assert derive_status([], TODAY).status is RecipientStatus.NOT_SENT
    log(db, world, joly, InteractionKind.SENT, dt.date(2026, 1, 21), channel=Channel.EMAIL)
    db.refresh(joly)
    info = derive_status(joly.interactions, TODAY)
    assert (info.status, info.sent_on, info.days_waiting) == (
        RecipientStatus.SENT,
        dt.date(2026, 1, 21),
        12,
    )
    log(
        db,
        world,
        joly,
        InteractionKind.REPLY_RECEIVED,
        dt.date(2026, 1, 28),
        reply_class=ReplyClass.ACKNOWLEDGEMENT,
        summary="Auto-acknowledgement",
    )
    db.refresh(joly)
    assert derive_status(joly.interactions, TODAY).status is RecipientStatus.ACKNOWLEDGED
    log(
        db,
        world,
        joly,
        InteractionKind.MEETING_HELD,
        dt.date(2026, 2, 1),
        official_attendees="Minister's policy adviser",
        coalition_attendees="Two members",
        asks_made="Sanctions",
        commitments="Will raise it at cabinet",
    )
    db.refresh(joly)
    assert derive_status(joly.interactions, TODAY).status is RecipientStatus.MEETING


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([("sent", None)], RecipientStatus.SENT),
        ([("sent", None), ("bounced", None)], RecipientStatus.BOUNCED),
        ([("sent", None), ("bounced", None), ("sent", None)], RecipientStatus.SENT),
        ([("sent", None), ("reply_received", "substantive")], RecipientStatus.REPLIED),
        ([("sent", None), ("reply_received", "form_letter")], RecipientStatus.REPLIED),
        ([("sent", None), ("reply_received", "declined")], RecipientStatus.CLOSED),
        ([("sent", None), ("meeting_requested", None)], RecipientStatus.MEETING),
        ([("note", None)], RecipientStatus.NOT_SENT),
    ],
)
def test_status_derivation(events: list[tuple[str, str | None]], expected: RecipientStatus) -> None:
    interactions = [
        Interaction(
            id=n,
            kind=InteractionKind(kind),
            occurred_on=dt.date(2026, 1, 1 + n),
            reply_class=ReplyClass(reply) if reply else None,
        )
        for n, (kind, reply) in enumerate(events)
    ]
    assert derive_status(interactions, TODAY).status is expected


def test_a_form_submitted_twice_records_one_interaction(db: Session, world: dict) -> None:
    joly = recipient_for(db, world)
    values = {"kind": InteractionKind.SENT, "occurred_on": LETTER_DAY, "channel": Channel.POST}
    first, created = record_interaction(
        db, joly, values, actor=world["volunteer"], submission_key="form-1", today=TODAY
    )
    second, again = record_interaction(
        db, joly, values, actor=world["volunteer"], submission_key="form-1", today=TODAY
    )
    assert (created, again, first.id) == (True, False, second.id)
    assert db.scalar(select(func.count()).select_from(Interaction)) == 1


def test_bulk_mark_sent_records_one_send_each_once(db: Session, world: dict) -> None:
    chosen = officials_by_role(db, RoleSelection("ministers"), LETTER_DAY)[:5]
    recipients, _ = add_recipients(db, world["campaign"], chosen, actor=world["coordinator"])
    for _ in range(2):
        created = bulk_mark_sent(
            db,
            recipients,
            sent_on=LETTER_DAY,
            channel=Channel.EMAIL,
            actor=world["volunteer"],
            submission_key="bulk-1",
        )
    assert created == 0
    sends = db.scalars(select(Interaction)).all()
    assert len(sends) == 5
    assert {(s.kind, s.channel, s.occurred_on) for s in sends} == {
        (InteractionKind.SENT, Channel.EMAIL, LETTER_DAY)
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "sent", "occurred_on": LETTER_DAY}, "Say how it was sent."),
        ({"kind": "reply_received", "occurred_on": LETTER_DAY}, "Say what kind of reply it was."),
        ({"kind": "note", "occurred_on": dt.date(2026, 3, 1)}, "That date is in the future."),
        ({"kind": "note", "occurred_on": None}, "Give the date it happened."),
    ],
)
def test_incomplete_entries_are_refused_with_a_reason(
    db: Session, world: dict, values: dict, message: str
) -> None:
    joly = recipient_for(db, world)
    with pytest.raises(OperationError, match=message):
        record_interaction(db, joly, values, actor=world["volunteer"], today=TODAY)


def test_edits_keep_history_and_a_stale_edit_is_refused(db: Session, world: dict) -> None:
    joly = recipient_for(db, world)
    reply = log(
        db,
        world,
        joly,
        InteractionKind.REPLY_RECEIVED,
        LETTER_DAY,
        reply_class=ReplyClass.FORM_LETTER,
        summary="Thanks for writing",
    )
    version = reply.version
    update_interaction(
        db,
        reply,
        {
            "occurred_on": LETTER_DAY,
            "reply_class": "substantive",
            "summary": "Detailed answer on sanctions",
        },
        version=version,
        actor=world["volunteer"],
        today=TODAY,
    )
    db.commit()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "interaction.update")).one()
    assert event.before == {"reply_class": "form_letter", "summary": "Thanks for writing"}
    with pytest.raises(ConflictError):
        update_interaction(
            db,
            reply,
            {"occurred_on": LETTER_DAY, "reply_class": "declined"},
            version=version,
            actor=world["coordinator"],
            today=TODAY,
        )
    with pytest.raises(PermissionError):
        update_interaction(
            db,
            reply,
            {"occurred_on": LETTER_DAY, "reply_class": "declined"},
            version=reply.version,
            actor=world["other"],
            today=TODAY,
        )


def test_follow_up_chain_and_snooze(db: Session, world: dict) -> None:
    joly = recipient_for(db, world)
    volunteer = world["volunteer"]
    first = plan_follow_up(
        db,
        official=joly.official,
        recipient=joly,
        due_on=TODAY,
        assignee=volunteer,
        note="Call the office",
        actor=world["coordinator"],
    )
    snooze_follow_up(db, first, actor=volunteer, today=TODAY)
    assert first.due_on == TODAY + dt.timedelta(days=7)
    following = complete_follow_up(
        db,
        first,
        outcome="Spoke to the scheduler",
        next_due_on=TODAY + dt.timedelta(days=14),
        next_note="Confirm the meeting",
        actor=volunteer,
    )
    db.commit()
    assert first.status is FollowUpStatus.DONE
    assert following is not None
    assert (following.previous_id, following.assignee_id) == (first.id, volunteer.id)
    with pytest.raises(OperationError, match="already done"):
        complete_follow_up(db, first, outcome="again", actor=volunteer)
    with pytest.raises(PermissionError):
        snooze_follow_up(db, following, actor=world["other"], today=TODAY)


def test_a_recipient_with_history_cannot_be_removed(db: Session, world: dict) -> None:
    joly = recipient_for(db, world)
    log(db, world, joly, InteractionKind.NOTE, LETTER_DAY, summary="Called")
    with pytest.raises(OperationError, match="recorded history"):
        remove_recipient(db, joly, actor=world["coordinator"])


def test_signatories_keep_their_order_and_one_lead(db: Session, world: dict) -> None:
    campaign: Campaign = world["campaign"]
    for name, lead in (
        ("Hayren Partners for Humanity", True),
        ("Genocide Watch", False),
        ("Genocide Alert", True),
    ):
        add_signatory(
            db,
            campaign,
            name=name,
            kind=SignatoryKind.ORGANISATION,
            is_lead=lead,
            actor=world["coordinator"],
        )
    db.commit()
    db.refresh(campaign)
    assert [(s.position, s.name, s.is_lead) for s in campaign.signatories] == [
        (1, "Hayren Partners for Humanity", False),
        (2, "Genocide Watch", False),
        (3, "Genocide Alert", True),
    ]
    assert db.scalar(select(func.count()).select_from(FollowUp)) == 0


STATUS_CASES = [
    [("sent", None)],
    [("sent", None), ("bounced", None)],
    [("sent", None), ("bounced", None), ("sent", None)],
    [("sent", None), ("reply_received", "substantive")],
    [("sent", None), ("reply_received", "acknowledgement")],
    [("sent", None), ("reply_received", "declined")],
    [("sent", None), ("meeting_requested", None)],
    [("note", None)],
    [],
]


def test_the_stored_status_and_the_sql_aggregate_agree_with_the_python_rule(
    db: Session, world: dict
) -> None:
    from tracker.queries.facts import facts_from_log, stored_facts
    from tracker.rules.status import status_from

    campaign = world["campaign"]
    expected = []
    recipients = []
    for n, events in enumerate(STATUS_CASES):
        official = Official(given_name="S", family_name=str(n), name_key=f"s {n}")
        db.add(official)
        db.flush()
        recipient = Recipient(
            campaign_id=campaign.id,
            official_id=official.id,
            position=n,
            addressed_as="x",
            salutation="y",
        )
        db.add(recipient)
        db.flush()
        recipients.append(recipient)
        rows = [
            Interaction(
                official_id=official.id,
                recipient_id=recipient.id,
                kind=InteractionKind(kind),
                occurred_on=dt.date(2026, 1, 1 + k),
                reply_class=ReplyClass(reply) if reply else None,
            )
            for k, (kind, reply) in enumerate(events)
        ]
        db.add_all(rows)
        expected.append(derive_status(rows, TODAY))
    refresh_all_facts(db)
    db.commit()
    from_sql = dict(facts_from_log(db, [r.id for r in recipients]))
    assert [status_from(from_sql[r.id], TODAY) for r in recipients] == expected
    assert [status_from(stored_facts(r), TODAY) for r in recipients] == expected
    assert [r.status for r in recipients] == [int(info.status) for info in expected]
