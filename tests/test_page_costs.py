"""A guard against the next slowdown: what a page does per request (translation look-ups,
url_for calls, SQL statements) does not grow with the number of rows it shows. A label that
repeats on every row is translated once per page; a row's link is built from a prefix made
once (`url_pattern`); the rows come from a fixed number of statements.

Counts are exact, so the test holds on any machine; time is never asserted here (the
benchmarks in bench/ measure it: docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import flask_babel
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy.orm import Session

from tests.test_query_counts import COUNTED_WHEN_LONG, counted, grow, is_bounded_count
from tracker import catalogue
from tracker.models import Campaign, CampaignStatus, FollowUp, Official, Recipient, User, UserRole
from tracker.web.fragments import forget_drawn

SMALL, LARGE = 10, 450
# Past a list's page size, a page says so once ("the 100 due soonest of 450", a pager): a few
# more look-ups and links, once. A label or link per row adds one per row: 40 and more here
# (the shortest list, 50 to a page, shows 10 rows, then 50).
ONCE_MORE = 8
# SQL statements: none more, but the follow-ups' count of their long windows
# (tests/test_query_counts.py).
ALLOWED_GROWTH = {"statements": 0, "bounded counts": 0}

# Pages that show one row per recipient, follow-up or official: each grows from 10 rows to
# 450, or to its page size (50 or 100).
PAGES = {
    "home": "/",
    "campaigns list": "/campaigns/",
    "campaign page": "/campaigns/{campaign}",
    "the campaign's letters": "/campaigns/{campaign}/letters/",
    "my follow-ups": "/follow-ups/",
    "responsiveness by official": "/reports/responsiveness?by=official",
    "an official's page": "/officials/{official}",
}
# Still translating per row, until their templates' rows are rewritten: the letters page was
# being changed by other branches (issue 27's notes). The test below also fails when one of
# them stops growing, so that this list is kept true.
PENDING: set[str] = set()


@contextmanager
def costs_counted(
    app: Flask, connection: sa.Connection, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Counter[str]]:
    """Counts, while open: translation look-ups (the request's bound catalogue and
    Flask-Babel's own), url_for calls (in templates and in Python), SQL statements."""
    counts: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted_call(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return function(*args, **kwargs)

        return counted_call

    monkeypatch.setattr(catalogue, "bound", counting("translations", catalogue.bound))
    monkeypatch.setattr(
        flask_babel.Domain,
        "get_translations",
        counting("translations", flask_babel.Domain.get_translations),
    )
    monkeypatch.setattr(Flask, "url_for", counting("url_for", Flask.url_for))
    monkeypatch.setitem(app.jinja_env.globals, "url_for", counting("url_for", app.url_for))
    with counted(connection) as statements:
        yield counts
        counts["bounded counts"] = sum(is_bounded_count(s) for s in statements)
        counts["statements"] = len(statements) - counts["bounded counts"]


def page_costs(
    app: Flask, client: FlaskClient, connection: sa.Connection, path: str
) -> dict[str, int]:
    client.get(path)  # warm: a client's first request loads more (the session, the user)
    forget_drawn(app)  # but the rows drawn afresh: their cost is what must not grow
    with pytest.MonkeyPatch.context() as patch, costs_counted(app, connection, patch) as counts:
        response = client.get(path)
    assert response.status_code == 200, path
    return dict(counts)


def letter_with_rows(db: Session, size: int, coordinator: User) -> tuple[Campaign, Official]:
    """A campaign of ``size`` recipients, each with a letter sent, a reply and a follow-up
    assigned to the coordinator (so that every page below shows ``size`` rows)."""
    campaign = Campaign(
        title=f"Letter {size}", status=CampaignStatus.ACTIVE, letter_on=dt.date(2026, 1, 1)
    )
    db.add(campaign)
    db.flush()
    official = grow(db, campaign, size)
    db.execute(
        sa.update(FollowUp)
        .where(
            FollowUp.recipient_id.in_(
                sa.select(Recipient.id).where(Recipient.campaign_id == campaign.id)
            )
        )
        .values(assignee_id=coordinator.id)
    )
    db.commit()
    return campaign, official


def costs_by_page(
    app: Flask,
    client: FlaskClient,
    db: Session,
    connection: sa.Connection,
    coordinator: User,
    pages: dict[str, str],
) -> dict[str, list[dict[str, int]]]:
    """Each page's counts with a campaign of 45 rows, then with one of 450 added."""
    found: dict[str, list[dict[str, int]]] = {name: [] for name in pages}
    for size in (SMALL, LARGE):
        campaign, official = letter_with_rows(db, size, coordinator)
        for name, page in pages.items():
            path = page.format(campaign=campaign.id, official=official.id)
            found[name].append(page_costs(app, client, connection, path))
        # Out of the lists of campaigns: they show one campaign at both sizes.
        campaign.status = CampaignStatus.ARCHIVED
        db.commit()
    return found


def allowed(page: str, what: str) -> int:
    """How much more of ``what`` the page may do at the larger size."""
    if what == "bounded counts" and page in PAGES:
        return COUNTED_WHEN_LONG.get(PAGES[page], 0)
    return ALLOWED_GROWTH.get(what, ONCE_MORE)


def grown(found: dict[str, list[dict[str, int]]]) -> dict[str, str]:
    """The pages whose counts grow with their rows, and how."""
    grew = {}
    for name, (small, large) in found.items():
        how = [
            f"{what} {small.get(what, 0)} \u2192 {large.get(what, 0)}"
            for what in sorted(set(small) | set(large))
            if large.get(what, 0) - small.get(what, 0) > allowed(name, what)
        ]
        if how:
            grew[name] = ", ".join(how)
    return grew


def test_a_page_of_450_rows_costs_what_a_page_of_45_does(
    app: Flask,
    client: FlaskClient,
    db: Session,
    connection: sa.Connection,
    monkeypatch: pytest.MonkeyPatch,
    signed_in: Callable[[UserRole], User],
) -> None:
    """Translation look-ups, url_for calls and SQL statements per page, at 45 rows and 450."""
    coordinator = signed_in(UserRole.COORDINATOR)
    found = costs_by_page(app, client, db, connection, coordinator, PAGES)
    grew = grown(found)
    assert {name: how for name, how in grew.items() if name not in PENDING} == {}
    assert set(grew) >= PENDING, "a page no longer grows: take it off PENDING"


# A page that translates a label on every row, as the campaign page did before issue 27.
# (The page's rows come drawn, drawn.shown of them: a loop as long.)
PER_ROW = """{% for i in range(drawn.shown) %}<p>{{ _('Sent') }} {{ i }}</p>{% endfor %}"""
ONCE = (
    "{% set sent = _('Sent') %}"
    """{% for i in range(drawn.shown) %}<p>{{ sent }} {{ i }}</p>{% endfor %}"""
)


@pytest.mark.parametrize(("template", "fails"), [(PER_ROW, True), (ONCE, False)])
def test_the_guard_catches_a_label_translated_on_every_row(
    app: Flask,
    client: FlaskClient,
    db: Session,
    connection: sa.Connection,
    monkeypatch: pytest.MonkeyPatch,
    signed_in: Callable[[UserRole], User],
    template: str,
    fails: bool,
) -> None:
    """The campaign page's template replaced by one that translates per row: the guard
    names it; translated once for the page, it does not."""
    coordinator = signed_in(UserRole.COORDINATOR)
    original = app.jinja_env.loader
    assert original is not None
    monkeypatch.setattr(
        app.jinja_env,
        "loader",
        ChoiceLoader([DictLoader({"campaigns/detail.html": template}), original]),
    )
    monkeypatch.setattr(
        app.jinja_env, "cache", None
    )  # read the replaced template, not a cached one
    pages = {"campaign page": PAGES["campaign page"]}
    grew = grown(costs_by_page(app, client, db, connection, coordinator, pages))
    assert ("translations" in grew.get("campaign page", "")) is fails, grew


def test_a_message_s_values_may_be_named_like_the_look_up_s_own_arguments(app: Flask) -> None:
    """As with Jinja's own functions: a size written in the reader's digits as ``num``, a
    value named ``context`` or ``message``; and a value is escaped, the message is not."""
    template = app.jinja_env.from_string(
        "{{ ngettext('%(num)s byte', '%(num)s bytes', 2048, num='2,048') }}|"
        "{{ _('<b>%(message)s</b>', message='<i>') }}|"
        "{{ pgettext('language name', 'French', context='x') }}|"
        "{% set late = plural('%(num)d day late', '%(num)d days late') %}{{ late(3) }}|"
        "{% set due = sentence('due %(date)s') %}{{ due(date='<May 1>') }}"
    )
    with app.test_request_context("/"):
        assert template.render() == (
            "2,048 bytes|<b>&lt;i&gt;</b>|French|3 days late|due &lt;May 1&gt;"
        )
