"""Fetching feeds over HTTP: faults give a clear error and change nothing; 304s cost nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
import responses
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import http, ourcommons, represent
from importers.errors import FeedError
from importers.http import FeedClient
from tests.feeds import CONSTRUCTED, SNAPSHOT_2026
from tests.importing import dump, run_import
from tracker.models import ImportStatus, Official

MINISTRIES = (SNAPSHOT_2026 / "ministries.xml").read_bytes()
XML = {"Content-Type": "application/xml; charset=utf-8"}


def small_members_feed(*person_ids: int) -> bytes:
    """The real 2026 export cut down to the given sitting members."""
    xml = (SNAPSHOT_2026 / "members.xml").read_text()
    records = [
        r
        for r in re.findall(r"<MemberOfParliament>.*?</MemberOfParliament>", xml)
        if any(f"<PersonId>{p}</PersonId>" in r for p in person_ids)
    ]
    head = xml[: xml.index("<MemberOfParliament>")]
    return (head + "".join(records) + "</ArrayOfMemberOfParliament>").encode()


def french_members_list() -> None:
    """The French members list a live import reads beside the English one (constructed)."""
    responses.add(
        responses.GET,
        ourcommons.MEMBERS_FR_URL,
        body=(CONSTRUCTED / "members-fr.xml").read_bytes(),
        headers=XML,
    )


def fetch_ministries(app: Flask, tmp_path: Path) -> object:
    return run_import(
        app, None, sources=["ministries"], client_factory=lambda: FeedClient(tmp_path / "cache")
    )


FAULTS = [
    pytest.param({"body": requests.ConnectTimeout()}, "did not answer in time", id="timeout"),
    pytest.param({"body": requests.ConnectionError()}, "could not reach", id="unreachable"),
    pytest.param({"status": 500}, "the feed host failed (500)", id="server-error"),
    pytest.param({"status": 429, "headers": {"Retry-After": "120"}}, "rate-limiting", id="429"),
    pytest.param({"status": 404}, "answered 404", id="not-found"),
    pytest.param(
        {"status": 302, "headers": {"Location": "https://evil.example/feed.xml"}},
        "redirected to https://evil.example/feed.xml; not followed",
        id="redirect",
    ),
    pytest.param(
        {"body": b"<html><body>Maintenance</body></html>", "content_type": "text/html"},
        "sent a web page",
        id="html-page",
    ),
    pytest.param(
        {"body": MINISTRIES[:5000], "headers": XML}, "not well-formed XML", id="truncated"
    ),
    pytest.param({"body": b"", "headers": XML}, "the feed is empty", id="empty"),
]


@pytest.mark.parametrize(("reply", "message"), FAULTS)
@responses.activate
def test_a_feed_fault_fails_the_run_clearly_and_changes_nothing(
    app: Flask, db: Session, tmp_path: Path, reply: dict[str, object], message: str
) -> None:
    db.add(Official(given_name="Kept", family_name="Safe", name_key="kept safe"))
    db.commit()
    before = dump(db)
    responses.add(responses.GET, ourcommons.MINISTRIES_URL, **reply)  # type: ignore[arg-type]
    run = fetch_ministries(app, tmp_path)
    assert run.status is ImportStatus.FAILED  # type: ignore[attr-defined]
    assert message in run.error  # type: ignore[attr-defined]
    assert run.error.startswith("ministries: ")  # type: ignore[attr-defined]
    assert dump(db) == before


@responses.activate
def test_unchanged_feed_costs_a_304_and_imports_from_the_cache(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    responses.add(
        responses.GET, ourcommons.MINISTRIES_URL, body=MINISTRIES, headers={**XML, "ETag": '"v1"'}
    )
    responses.add(
        responses.GET,
        ourcommons.MINISTRIES_URL,
        status=304,
        match=[responses.matchers.header_matcher({"If-None-Match": '"v1"'})],
    )
    first = fetch_ministries(app, tmp_path)
    second = fetch_ministries(app, tmp_path)
    assert first.status is ImportStatus.SUCCEEDED  # type: ignore[attr-defined]
    assert second.status is ImportStatus.SUCCEEDED  # type: ignore[attr-defined]
    assert second.counts["ministries"] == {"roles_unchanged": 38}  # type: ignore[attr-defined]
    assert [c.response.status_code for c in responses.calls] == [200, 304]  # type: ignore[union-attr]
    assert responses.calls[0].request.headers["User-Agent"].startswith("Hilltrack/")


@responses.activate
def test_profiles_are_fetched_per_member_and_a_rerun_downloads_almost_nothing(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    people = (89010, 89226, 89339)
    responses.add(
        responses.GET,
        ourcommons.MEMBERS_URL,
        body=small_members_feed(*people),
        headers={**XML, "ETag": '"m1"'},
    )
    french_members_list()

    def profile(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        person_id = int(re.search(r"\((\d+)\)", request.url or "").group(1))  # type: ignore[union-attr]
        if request.headers.get("If-None-Match") == f'"p{person_id}"':
            return 304, {}, b""
        body = (CONSTRUCTED / "profiles" / f"{person_id}.xml").read_bytes()
        return 200, {**XML, "ETag": f'"p{person_id}"'}, body

    responses.add_callback(
        responses.GET,
        re.compile(r"https://www\.ourcommons\.ca/Members/en/member\(\d+\)/xml"),
        callback=profile,
    )
    for _ in range(2):
        run = run_import(
            app,
            None,
            sources=["members", "profiles"],
            client_factory=lambda: FeedClient(tmp_path / "cache"),
        )
        assert run.status is ImportStatus.SUCCEEDED, run.error
    statuses = [c.response.status_code for c in responses.calls]  # type: ignore[union-attr]
    assert statuses[:5] == [200, 200, 200, 200, 200]  # the members lists, English and French
    assert statuses[5:] == [200, 200, 304, 304, 304]  # members has no validator match here
    assert run.counts["profiles"]["roles_unchanged"] == 5  # 2 Ehsassi, 1 Genuis, 2 Sarai


@responses.activate
def test_represent_pages_are_followed_to_the_end(app: Flask, db: Session, tmp_path: Path) -> None:
    pages = json.loads((CONSTRUCTED / "represent.json").read_text())
    responses.add(
        responses.GET, ourcommons.MEMBERS_URL, body=small_members_feed(89010, 89226), headers=XML
    )
    french_members_list()
    responses.add(responses.GET, represent.FIRST_PAGE_URL, json=pages[0])
    responses.add(responses.GET, represent.BASE_URL + pages[0]["meta"]["next"], json=pages[1])
    run = run_import(
        app,
        None,
        sources=["members", "represent"],
        client_factory=lambda: FeedClient(tmp_path / "cache"),
    )
    assert run.status is ImportStatus.SUCCEEDED, run.error
    assert run.counts["represent"]["officials_updated"] == 2
    assert len(responses.calls) == 4  # the members lists in English and French, 2 pages


@pytest.mark.parametrize(
    "url",
    [
        "http://www.ourcommons.ca/Members/en/search/XML",
        "https://evil.example/Members/en/search/XML",
        "file:///etc/passwd",
    ],
)
def test_only_https_feed_hosts_are_fetched(url: str) -> None:
    with pytest.raises(FeedError, match="only https feed hosts are allowed"):
        FeedClient().get(url, "members")


@responses.activate
def test_an_oversized_feed_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_BYTES", 1000)
    responses.add(responses.GET, ourcommons.MINISTRIES_URL, body=MINISTRIES, headers=XML)
    with pytest.raises(FeedError, match="larger than 1000 bytes"):
        FeedClient().get(ourcommons.MINISTRIES_URL, "ministries")


def test_retries_back_off_on_busy_and_failing_hosts_and_honour_retry_after() -> None:
    policy = FeedClient().session.get_adapter("https://www.ourcommons.ca").max_retries
    assert policy.total == 3
    assert set(policy.status_forcelist) == {429, 500, 502, 503, 504}
    assert policy.respect_retry_after_header
    assert policy.backoff_factor > 0
    assert policy.redirect == 0


@responses.activate
def test_live_committee_pages_are_fetched_as_web_pages_and_a_missing_one_is_skipped(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    from importers import committee_pages, committees
    from tests.feeds import FEEDS
    from tracker.models import Role, RoleKind

    responses.add(
        responses.GET, ourcommons.MEMBERS_URL, body=small_members_feed(110009), headers=XML
    )
    run_import(app, None, sources=["members"], client_factory=lambda: FeedClient(tmp_path / "c"))
    html = {"Content-Type": "text/html; charset=utf-8"}
    for acronym in committees.ACRONYMS:
        url = committee_pages.members_url(acronym)
        if acronym == "FEWO":
            page = (FEEDS / "committees" / "FEWO.html").read_bytes()
            responses.add(responses.GET, url, body=page, headers=html)
        else:
            responses.add(responses.GET, url, status=404)
    run = run_import(
        app, None, sources=["committees"], client_factory=lambda: FeedClient(tmp_path / "c")
    )
    assert run.status is ImportStatus.SUCCEEDED  # type: ignore[attr-defined]
    assert any("has no Members page this session" in w for w in run.warnings)  # type: ignore[attr-defined]
    chairs = db.scalars(select(Role).where(Role.kind == RoleKind.COMMITTEE_CHAIR)).all()
    assert len(chairs) == 1
