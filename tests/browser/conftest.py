"""One live Hilltrack on a loopback port and one headless Chromium for the whole browser suite."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import make_server

from tests.feeds import feed_folder
from tests.mailserver import Recorder, running_server
from tracker import create_app
from tracker.cli import alembic_config
from tracker.jobs.queue import queue
from tracker.models import User, UserRole
from tracker.operations.accounts import create_user
from tracker.operations.demo import load_demo
from tracker.operations.imports import ImportOptions, bundled_snapshot, run_officials_import
from tracker.operations.recipient_facts import drifted_recipients
from tracker.web.db import state, write_session

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
BROWSER_PASSWORD = "browser test password"

# CI shares two cores between the app, its worker and Chromium: an assertion waits for a page
# longer than Playwright's 5 s before it counts as failed (a pass still returns at once).
expect.set_options(timeout=15_000)


@dataclass
class LiveServer:
    app: Flask
    url: str

    def create_user(self, role: UserRole, email: str, name: str) -> User:
        with self.app.app_context():
            session = write_session()
            user = create_user(
                session, email=email, name=name, role=role, password=BROWSER_PASSWORD, actor=None
            )
            session.commit()
            return user


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("HILLTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
    return path


def hilltrack_of_its_own(instance: Path, **settings: Any) -> Flask:
    """An app on a migrated SQLite database of its own in ``instance``, with a real queue
    (worked off by running_worker) and the recorded feeds for its Imports page."""
    database_url = f"sqlite:///{instance / 'hilltrack.sqlite3'}"
    command.upgrade(alembic_config(database_url), "head")
    os.environ["TRACKER_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": f"browser-tests-{instance.name}",
                "PASSWORD_HASHER": "fast-insecure-for-tests",
                "IMPORT_FROM_DIR": str(feed_folder(instance / "feeds", with_constructed=True)),
                # One server for many tests: figures must not carry over between them.
                "REPORTS_CACHE_SECONDS": 0,
                "QUEUE_FILE": str(instance / "queue.sqlite3"),
                "NIGHTLY_IMPORT": False,
                **settings,
            }
        )
    finally:
        del os.environ["TRACKER_INSTANCE_PATH"]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("live-instance"))
    with serving(app) as live, running_worker(app):
        yield live
    # As after every other test (tests/conftest.py): what the browser did kept statuses in step.
    with state(app).engine.connect() as conn:
        assert drifted_recipients(conn) == []


@contextlib.contextmanager
def serving(app: Flask) -> Iterator[LiveServer]:
    """``app`` served on a free loopback port from a thread, until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.port}")
    finally:
        server.shutdown()
        thread.join()


@contextlib.contextmanager
def running_worker(app: Flask) -> Iterator[None]:
    """`hilltrack worker`'s consumer for ``app``, in threads of this process, until the block
    ends (the command itself installs signal handlers, which only the main thread may)."""
    jobs = queue(app)
    jobs.prepare_worker()
    consumer = jobs.huey.create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.5
    )
    consumer.scheduler.start()
    for _, thread in consumer.worker_threads:
        thread.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh browser contexts (own cookies), closed after the test."""
    contexts: list[BrowserContext] = []

    def open_page(viewport: dict[str, int] | None = None) -> Page:
        # bypass_csp lets the tests inject axe-core; the app's own pages never need it.
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


def screenshot_dir() -> Path | None:
    """Where to write screenshots of the main pages, when HILLTRACK_SCREENSHOTS is set."""
    target = os.environ.get("HILLTRACK_SCREENSHOTS")
    return Path(target) if target else None


# The element that sticks out furthest on the right, to say which one when a page is too wide.
WIDEST = r"""() => {
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; widest = el; }
  }
  if (!widest) return '';
  const text = (widest.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${widest.tagName.toLowerCase()}.${widest.className} "${text}" ends at ${
    Math.round(right)} px`;
}"""


def no_sideways_scroll(page: Page) -> None:
    # Measured once the page and its style sheet have loaded: on a busy machine a page caught
    # mid-load is laid out without its CSS, and wider than it will be.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (  # type: ignore[index]
        f"{page.url} is {width} px wide: {page.evaluate(WIDEST)}"
    )


def open_menu(page: Page) -> None:
    """On a phone the header's links fold behind the Menu button: open it (a no-op on a wide
    screen, where they show on one row). Call it once an ``expect`` has shown the page loaded:
    after a click that leaves a signed-in page, the old page's menu would do too."""
    # The checks below do not wait: make sure they look at a signed-in page that has loaded,
    # not at the page a click is still leaving (a race that once failed CI).
    menu = page.locator(".site-menu")
    expect(menu).to_have_count(1)
    button = menu.locator("> summary")
    if button.is_visible() and menu.get_attribute("open") is None:
        button.click()
        expect(menu).to_have_attribute("open", "")


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Recorder, int]]:
    """A mail server on loopback for a module's letters (aiosmtpd), recording what it takes."""
    recorder = Recorder()
    for _, port in running_server(recorder):
        yield recorder, port


def demo_letter_app(folder_of_its_own: Path) -> Flask:
    """A Hilltrack of its own in ``folder_of_its_own`` on the bundled snapshot with the 2023
    letter loaded, as after `make run`."""
    url = f"sqlite:///{folder_of_its_own / 'demo.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    os.environ["TRACKER_INSTANCE_PATH"] = str(folder_of_its_own / "instance")
    try:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "demo-letter",
                "PASSWORD_HASHER": "fast-insecure-for-tests",
            }
        )
    finally:
        del os.environ["TRACKER_INSTANCE_PATH"]
    folder, as_of = bundled_snapshot()
    run_officials_import(state(app).sessions, ImportOptions(from_dir=folder, as_of=as_of))
    with app.app_context():
        session = write_session()
        load_demo(session)
        session.commit()
    return app


@pytest.fixture(scope="module")
def demo_letter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """demo_letter_app served, one per test module."""
    app = demo_letter_app(tmp_path_factory.mktemp("demo-letter-instance"))
    with serving(app) as live:
        yield live
    state(app).engine.dispose()
