"""The reports dashboard reuses its figures for a short while, says when they were computed,
and recomputes them on request or once they are old (the responsiveness tables too:
tests/test_reports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker.models import Campaign, CampaignStatus, User, UserRole
from tracker.web.fragments import MAX_ENTRIES, FragmentCache, RevisionCache

START = dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def counting_renderer() -> tuple[list[int], Callable[[], Markup]]:
    calls: list[int] = []

    def render() -> Markup:
        calls.append(1)
        return Markup("<p>render {}</p>").format(len(calls))

    return calls, render


def test_a_fragment_is_reused_until_it_is_older_than_the_setting() -> None:
    clock = Clock()
    cache = FragmentCache(30, clock)
    calls, render = counting_renderer()
    first = cache.get("dashboard", render)
    clock.now += dt.timedelta(seconds=29)
    assert cache.get("dashboard", render) == first
    clock.now += dt.timedelta(seconds=1)
    again = cache.get("dashboard", render)
    assert (len(calls), again.html, again.computed) == (2, "<p>render 2</p>", clock.now)


def test_asking_for_fresh_figures_recomputes_at_once() -> None:
    cache = FragmentCache(30, Clock())
    calls, render = counting_renderer()
    cache.get("dashboard", render)
    assert cache.get("dashboard", render, fresh=True).html == "<p>render 2</p>"
    assert len(calls) == 2


def test_zero_seconds_computes_every_time_and_keeps_nothing() -> None:
    cache = FragmentCache(0, Clock())
    calls, render = counting_renderer()
    cache.get("a", render)
    cache.get("a", render)
    assert len(calls) == 2


def test_the_cache_keeps_a_bounded_number_of_fragments() -> None:
    cache = FragmentCache(30, Clock())
    calls, render = counting_renderer()
    for key in range(MAX_ENTRIES + 1):
        cache.get(key, render)
    cache.get(MAX_ENTRIES, render)  # the newest is kept
    assert len(calls) == MAX_ENTRIES + 1
    cache.get(0, render)  # the oldest went
    assert len(calls) == MAX_ENTRIES + 2


def test_the_dashboard_shows_when_its_figures_were_computed_and_recomputes_on_request(
    app: Flask,
    client: FlaskClient,
    signed_in: Callable[[UserRole], User],
    db: Session,
) -> None:
    app.config["REPORTS_CACHE_SECONDS"] = 30
    signed_in(UserRole.COORDINATOR)
    assert "No active campaign." in client.get("/reports/").get_data(as_text=True)
    db.add(Campaign(title="Autumn letter", status=CampaignStatus.ACTIVE))
    db.commit()
    reused = client.get("/reports/").get_data(as_text=True)
    assert "No active campaign." in reused and "figures computed" in reused
    assert 'href="/reports/?days=30&amp;fresh=1">Recompute now</a>' in reused
    fresh = client.get("/reports/?days=30&fresh=1").get_data(as_text=True)
    assert "Autumn letter" in fresh


def test_drawn_rows_are_kept_by_key_the_least_recently_used_going_first() -> None:
    cache = RevisionCache(size=2)
    made: list[str] = []

    def make(key: str) -> Callable[[], str]:
        def drawn() -> str:
            made.append(key)
            return key

        return drawn

    for key in ("a", "b", "a", "c", "a", "b"):
        assert cache.get(key, make(key)) == key
    # "b" went when "c" came (the least recently used), and was drawn again.
    assert made == ["a", "b", "c", "b"]


def test_no_rows_are_kept_when_the_cache_is_turned_off() -> None:
    cache = RevisionCache(size=0)
    made: list[int] = []
    for _ in range(2):
        cache.get("a", lambda: made.append(1))
    assert made == [1, 1]
