"""Every figure reads one rule (tracker/rules/counting.py): for any log, the dashboard, each
campaign page, the campaign-status and interactions exports, Responsiveness and the tallies say
the same numbers, and an acknowledgement is never counted as a reply."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections import Counter
from collections.abc import Callable
from itertools import count
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.operations.campaigns import remove_recipient
from tracker.operations.interactions import record_interaction, update_interaction
from tracker.operations.recipient_facts import drifted_recipients
from tracker.operations.tallies import drifted as drifted_tallies
from tracker.queries import reports
from tracker.rules.counting import (
    ACKNOWLEDGING,
    CLOSING_REPLIES,
    FULL_REPLIES,
    CountsAs,
    counts_as,
)
from tracker.rules.status import (
    RecipientStatus,
    facts_from,
    figures_of,
    reply_days_of,
    status_from,
)

TODAY = clock.today()
START = TODAY - dt.timedelta(days=120)
PARTIES = ("Liberal", "Conservative", "Bloc Québécois", None)
WAITING_DAYS = 30
RECIPIENTS = 2
CAMPAIGNS = 2
_examples = count(1)


def test_every_reply_class_is_a_reply_an_acknowledgement_or_a_closing_reply() -> None:
    assert set(ReplyClass) == ACKNOWLEDGING | CLOSING_REPLIES | FULL_REPLIES
    assert counts_as(InteractionKind.REPLY_RECEIVED, None) is CountsAs.REPLY
    assert counts_as(InteractionKind.REPLY_RECEIVED, ReplyClass.DECLINED) is CountsAs.REPLY
    ack = counts_as(InteractionKind.REPLY_RECEIVED, ReplyClass.ACKNOWLEDGEMENT)
    assert ack is CountsAs.ACKNOWLEDGEMENT
    assert counts_as(InteractionKind.BOUNCED, None) is CountsAs.BOUNCED


# One step of a log: (what, recipient, day, reply class); corrections name an earlier entry.
_day = st.integers(min_value=0, max_value=100)
_who = st.integers(min_value=0, max_value=CAMPAIGNS * RECIPIENTS - 1)
_reply_class = st.sampled_from([None, *ReplyClass])
STEP = st.one_of(
    st.tuples(st.just("sent"), _who, _day, st.none()),
    st.tuples(st.just("sent"), _who, st.integers(0, 20), st.none()),  # (early: more to answer)
    st.tuples(st.just("bounced"), _who, _day, st.none()),
    st.tuples(st.just("reply_received"), _who, _day, _reply_class),
    st.tuples(st.just("reply_received"), _who, _day, st.just(ReplyClass.ACKNOWLEDGEMENT)),
    st.tuples(st.just("delivery_confirmed"), _who, _day, st.none()),
    st.tuples(st.just("meeting_requested"), _who, _day, st.none()),
    st.tuples(st.just("meeting_held"), _who, _day, st.none()),
    st.tuples(st.just("correct"), st.integers(0, 40), _day, _reply_class),
    st.tuples(st.just("remove"), _who, st.just(0), st.none()),
)


def _arrange(db: Session, n: int) -> list[Recipient]:
    """Two fresh active campaigns of two recipients; the earlier examples' are archived, so
    the dashboard's totals are this example's."""
    db.execute(
        update(Campaign)
        .where(Campaign.status == CampaignStatus.ACTIVE)
        .values(status=CampaignStatus.ARCHIVED)
    )
    recipients = []
    for c in range(CAMPAIGNS):
        campaign = Campaign(title=f"Letter {n}-{c}", status=CampaignStatus.ACTIVE)
        db.add(campaign)
        db.flush()
        for k in range(RECIPIENTS):
            official = Official(
                given_name=f"Member{n}x{c}x{k}",
                family_name="Test",
                name_key=f"member{n}x{c}x{k} test",
                party=PARTIES[k % len(PARTIES)],
            )
            db.add(official)
            db.flush()
            recipient = Recipient(
                campaign_id=campaign.id,
                official_id=official.id,
                position=k,
                addressed_as="x",
                salutation="y",
            )
            db.add(recipient)
            recipients.append(recipient)
    db.flush()
    return recipients


def _play(db: Session, user: User, recipients: list[Recipient], steps: list[Any]) -> None:
    """Log the steps through the operations, as people and the mail would."""
    logged: list[Interaction] = []
    removed: set[int] = set()
    for what, who, day, reply_class in steps:
        on = START + dt.timedelta(days=day)
        if what == "correct":
            if not logged:
                continue
            entry = logged[who % len(logged)]
            values: dict[str, Any] = {"occurred_on": on, "channel": entry.channel}
            if entry.kind is InteractionKind.REPLY_RECEIVED:
                values["reply_class"] = reply_class or ReplyClass.SUBSTANTIVE
            update_interaction(db, entry, values, version=entry.version, actor=user, today=TODAY)
            continue
        recipient = recipients[who]
        if recipient.id in removed:
            continue
        if what == "remove":
            if not any(i.recipient_id == recipient.id for i in logged):
                remove_recipient(db, recipient, actor=user)
                removed.add(recipient.id)
            continue
        values = {"kind": what, "occurred_on": on}
        if what in ("sent", "bounced", "delivery_confirmed"):
            values["channel"] = Channel.EMAIL
        if what == "reply_received":
            values["reply_class"] = reply_class
        interaction, _ = record_interaction(
            db, recipient, values, actor=user, today=TODAY, unclassified=reply_class is None
        )
        logged.append(interaction)
    db.commit()


def _from_the_log(db: Session, campaign_ids: list[int]) -> dict[int, list[Any]]:
    """Per campaign, each recipient's (status, figures, party) by the rule applied to its log."""
    found: dict[int, list[Any]] = {cid: [] for cid in campaign_ids}
    for recipient in db.scalars(select(Recipient).where(Recipient.campaign_id.in_(campaign_ids))):
        facts = facts_from(
            db.scalars(select(Interaction).where(Interaction.recipient_id == recipient.id))
        )
        info = status_from(facts, TODAY)
        figures = figures_of(
            info.status,
            info.sent_on,
            reply_days_of(facts),
            met=facts.meeting_held,
            confirmed=facts.delivery_confirmed,
        )
        found[recipient.campaign_id].append((info, figures, recipient))
    return found


def _oracle_replied(db: Session, recipient: Recipient) -> bool:
    """Said plainly, without the rule's code: the letter went out and was not lost, and a reply
    that is not an acknowledgement came on or after the first send."""
    log = list(db.scalars(select(Interaction).where(Interaction.recipient_id == recipient.id)))
    sends = [i.occurred_on for i in log if i.kind is InteractionKind.SENT]
    if not sends:
        return False
    replies = [
        i.occurred_on
        for i in log
        if i.kind is InteractionKind.REPLY_RECEIVED
        and i.reply_class is not ReplyClass.ACKNOWLEDGEMENT
    ]
    return any(day >= min(sends) for day in replies)


CHART = re.compile(
    r'aria-label="Sent (\d+) of (\d+); Delivered (\d+) of \d+; Replied (\d+) of \d+; '
    r"Acknowledged only (\d+) of \d+; Bounced (\d+) of \d+; Met (\d+) of \d+; "
    r"Waiting over \d+ days (\d+) of \d+"
)


def _dashboard(client: FlaskClient) -> dict[str, tuple[int, ...]]:
    """Each campaign's bars on the dashboard (and the totals', as 'totals'), by title."""
    page = client.get(f"/reports/?days={WAITING_DAYS}").get_data(as_text=True)
    found = {}
    for article in page.split("<article")[1:]:
        title = re.search(r'<a href="/campaigns/\d+">([^<]+)</a>', article)
        bars = CHART.search(article)
        assert bars, article[:400]
        found[html.unescape(title.group(1)) if title else "totals"] = tuple(map(int, bars.groups()))
    return found


def _campaign_page(client: FlaskClient, campaign_id: int) -> dict[str, int]:
    """The campaign page's count of recipients in each status (its filter menu)."""
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    return {
        slug: int(n)
        for slug, n in re.findall(r'<option value="([a-z-]+)"[^>]*>[^<(]+\((\d+)\)</option>', page)
    }


def _export(client: FlaskClient, kind: str, campaign_id: int) -> list[dict[str, str]]:
    response = client.get(f"/exports/{kind}.csv?campaign={campaign_id}")
    text = response.get_data(as_text=True)
    response.close()  # (a streamed response holds its session until closed)
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=3, max_size=30))
# Found by Hypothesis: a reply logged before the letter went out, then a send, then a reply to
# it; the later reply is an answer to the letter.
@example(
    steps=[("reply_received", 3, 100, None), ("reply_received", 3, 0, None), ("sent", 3, 11, None)]
)
def test_every_surface_says_the_same_numbers_for_any_log(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[[UserRole], User],
    steps: list[Any],
) -> None:
    try:
        _check_every_surface(client, db, signed_in, steps)
    except BaseException:
        db.rollback()  # (the next example starts from a usable session)
        raise


def _check_every_surface(
    client: FlaskClient, db: Session, signed_in: Callable[[UserRole], User], steps: list[Any]
) -> None:
    n = next(_examples)
    if n == 1:
        signed_in(UserRole.COORDINATOR)
    user = db.scalars(select(User).where(User.role == UserRole.COORDINATOR)).first()
    assert user is not None
    recipients = _arrange(db, n)
    _play(db, user, recipients, steps)
    campaigns = list(db.scalars(select(Campaign).where(Campaign.title.like(f"Letter {n}-%"))))
    expected = _from_the_log(db, [c.id for c in campaigns])

    # The tallies are the recipients' facts, which are the log's.
    assert drifted_recipients(db) == [] and drifted_tallies(db) == []
    named = {c.id: c.title for c in campaigns}
    oracle = {r.id: _oracle_replied(db, r) for lines in expected.values() for _, _, r in lines}
    responsive = {f.name: f for f in reports.responsiveness(db, "campaign")}
    every = _from_the_log(db, list(db.scalars(select(Campaign.id))))
    by_group = {by: reports.responsiveness(db, by) for by in ("party", "role_kind", "official")}
    db.commit()  # (no savepoint of ours stays open while the pages nest theirs)

    dashboard = _dashboard(client)
    pages = {cid: _campaign_page(client, cid) for cid in named}
    exports = {
        cid: (_export(client, "campaign-status", cid), _export(client, "interactions", cid))
        for cid in named
    }
    totals: Counter[str] = Counter()
    for campaign_id, title in named.items():
        lines = expected[campaign_id]
        figures = Counter(
            name for _, f, _ in lines for name in f.__dataclass_fields__ if getattr(f, name)
        )
        waiting = sum(
            f.sent and not f.answered and info.sent_on < TODAY - dt.timedelta(days=WAITING_DAYS)
            for info, f, _ in lines
        )
        figures["waiting"] = waiting
        figures["recipients"] = len(lines)
        totals.update(figures)
        # Said plainly, replies are what the rule counts.
        assert figures["replied"] == sum(oracle[r.id] for _, _, r in lines)

        # The dashboard's bars.
        bars = dashboard[title]
        assert bars == (
            figures["sent"],
            figures["recipients"],
            figures["delivered"],
            figures["replied"],
            figures["acknowledged"],
            figures["bounced"],
            figures["met"],
            figures["waiting"],
        )

        # The campaign page's statuses, and the campaign-status export's rows.
        statuses = Counter(info.status for info, _, _ in lines)
        shown = pages[campaign_id]
        assert shown == {s.slug: statuses[s] for s in RecipientStatus}
        rows, log = exports[campaign_id]
        assert Counter(row["status"] for row in rows) == Counter(
            {s.english: n for s, n in statuses.items()}
        )
        bounced = figures["bounced"]
        assert shown["bounced"] == bounced == statuses[RecipientStatus.BOUNCED]
        assert sum(row["status"] == "Bounced" and row["sent on"] == "" for row in rows) == bounced

        # The interactions export says what each entry counts as.
        assert {row["counts as"] for row in log if row["reply"] == "acknowledgement"} <= {
            "acknowledged"
        }

        # Responsiveness by campaign: every letter sent, its replies and acknowledgements.
        figure = responsive.get(title)
        if figures["sent"]:
            assert figure is not None
            assert (figure.sent, figure.replied, figure.acknowledged) == (
                figures["sent"],
                figures["replied"],
                figures["acknowledged"],
            )
        else:
            assert figure is None

    assert dashboard["totals"] == (
        totals["sent"],
        totals["recipients"],
        totals["delivered"],
        totals["replied"],
        totals["acknowledged"],
        totals["bounced"],
        totals["met"],
        totals["waiting"],
    )
    # By party, role and official: over every example so far, the same letters and replies.
    letters = [f for lines in every.values() for _, f, _ in lines]
    for by, figures_by in by_group.items():
        assert sum(f.sent for f in figures_by) == sum(f.sent for f in letters), by
        assert sum(f.replied for f in figures_by) == sum(f.replied for f in letters), by
        assert sum(f.acknowledged for f in figures_by) == sum(f.acknowledged for f in letters)


def test_a_reply_logged_before_the_letter_does_not_hide_a_later_answer_to_it() -> None:
    class Entry:
        def __init__(self, kind: InteractionKind, day: int) -> None:
            self.kind, self.occurred_on, self.reply_class = (
                kind,
                START + dt.timedelta(days=day),
                None,
            )

    log = [
        Entry(InteractionKind.REPLY_RECEIVED, 0),  # an answer to something else, before
        Entry(InteractionKind.SENT, 11),
        Entry(InteractionKind.REPLY_RECEIVED, 100),
    ]
    facts = facts_from(log)  # type: ignore[arg-type]
    assert facts.first_counted_reply == START + dt.timedelta(days=100)
    assert reply_days_of(facts) == 89
