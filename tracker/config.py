"""Configuration: defaults, then instance/config.py, then TRACKER_* variables, then tests."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from tracker.clock import DEFAULT_TIMEZONE

KEY_FILENAME = "secret_key"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    # SQLite: how long a save waits for another's write lock before the retry page (seconds).
    # Keep it well under the web server's worker timeout (make run: 60 s).
    "DATABASE_BUSY_TIMEOUT": 15,
    "SECRET_KEY": None,  # None: generated once into the instance folder
    "HTTPS": False,  # True when served over HTTPS: Secure cookies with the __Host- prefix
    "TIMEZONE": DEFAULT_TIMEZONE,
    "PASSWORD_HASHER": "argon2id",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
    # Signed-in sessions end after this long without a request, and after this long in all
    # (ASVS 4.0.3 3.3.2, level 2).
    "SESSION_IDLE_MINUTES": 30,
    # Reverse proxies in front of the app (e.g. 1 for nginx): client addresses for throttling
    # come from their X-Forwarded-For, and only from them.
    "PROXY_COUNT": 0,
    # True: coordinators and admins must use two-factor sign-in (TOTP).
    "REQUIRE_2FA": False,
    "SESSION_MAX_HOURS": 12,
    # The session cookie is sent again only when it changes (the time last seen, written at
    # most once a minute: tracker/web/access.py), not signed anew for every page; the server
    # ends sessions by the times inside it whatever the cookie's own expiry says.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Imports from the Imports page: fetch live feeds, or read saved files from this folder.
    "IMPORT_FROM_DIR": None,
    # How long the reports dashboard's figures are reused (0: computed for every request).
    "REPORTS_CACHE_SECONDS": 30,
    # How many drawn campaign rows and official entries each process keeps, by revision
    # (web/fragments.py; 0: drawn for every request). A campaign of 450 rows is about 300 kB.
    "ROWS_CACHE_ENTRIES": 32,
    # The job queue (imports, letters): huey on a SQLite file in the instance folder, or on
    # Redis when REDIS_URL is set, so several app servers and workers share one queue.
    "REDIS_URL": None,
    "QUEUE_FILE": None,  # None: instance/queue.sqlite3
    # Tests only: run each job inside the request that queues it.
    "QUEUE_IMMEDIATE": False,
    "WORKER_THREADS": 2,
    # The worker re-reads the database this often for waiting jobs the queue lost (a Redis
    # restart, a page that could not reach it) and queues them again; it is also its heartbeat.
    "QUEUE_RESCAN_SECONDS": 60,
    # The queue page offers "Queue again" for a job that could have run this long ago.
    "QUEUE_AGAIN_AFTER_MINUTES": 10,
    # The worker imports the officials every night at this local time ("" or False: never).
    "NIGHTLY_IMPORT": True,
    "NIGHTLY_IMPORT_AT": "03:30",
    # Sending letters by e-mail (see README, "Sending letters").
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SECURITY": "starttls",  # none, starttls or tls
    "MAIL_FROM": None,  # e.g. "Coalition <letters@coalition.example>"
    "MAIL_REPLY_TO": None,  # replies arrive here, plus-addressed per letter
    "MAIL_BOUNCES_TO": None,  # the envelope sender, plus-addressed per letter (VERP)
    "MAIL_PER_MINUTE": 30,
    "MAIL_TIMEOUT": 30,  # seconds to wait for the mail server
    # The mail server offers SMTPUTF8: addresses with letters beyond ASCII (andré@...) may be
    # entered. Without it they are refused in the forms, since the server could not take them.
    "MAIL_SMTPUTF8": False,
    # Seconds the worker keeps trying to record what became of a letter when the database is
    # busy or away, before it gives up and leaves the letter for a person to decide.
    "WORKER_WRITE_PATIENCE": 60,
    # Mail that comes back (see README, "Replies"): the caps, and the IMAP mailbox to poll.
    "MAIL_MAX_BYTES": 25 * 1024 * 1024,
    "MAIL_MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "IMAP_SERVER": None,
    "IMAP_PORT": None,  # None: 993 with tls, else 143
    "IMAP_SECURITY": "tls",  # tls, starttls or none
    "IMAP_USERNAME": None,
    "IMAP_PASSWORD": None,
    "IMAP_FOLDER": "INBOX",
    "IMAP_DONE_FOLDER": None,  # None: processed messages are flagged, not moved
    "IMAP_EVERY_MINUTES": 5,
    # What recipients said in Parliament (README, "What was said since the letter"): whom the
    # House's server may write to about our requests (sent in the User-Agent), the pause
    # between two requests, and a folder of saved search answers to read instead.
    "CONTACT_EMAIL": None,
    "OUTCOMES_PAUSE_SECONDS": 2.0,
    "OUTCOMES_FROM_DIR": None,
    # Webhooks (README, "Webhooks"): sent to public addresses only unless this is true (a
    # receiver on the coalition's own network); seconds to wait for a receiver's answer.
    "WEBHOOK_ALLOW_PRIVATE": False,
    "WEBHOOK_TIMEOUT": 5,
    # The language of the pages for someone who chose none and whose browser asks for neither.
    "DEFAULT_LANGUAGE": "en",
    # The JSON API: calls each token may make (limits' syntax: "120 per minute", "5/second").
    "API_RATE_LIMIT": "120 per minute",
    # CSRF tokens live as long as the session, so a long reply typed slowly is never lost.
    "WTF_CSRF_TIME_LIMIT": None,
}


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in precedence order and derive the settings that depend on others."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if test_config is not None:
        app.config.from_mapping(test_config)
    for name in ("MAIL_USERNAME", "MAIL_PASSWORD", "IMAP_USERNAME", "IMAP_PASSWORD"):
        # from_prefixed_env reads values as JSON: a password of digits must stay text.
        if app.config[name] is not None:
            app.config[name] = str(app.config[name])
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'hilltrack.sqlite3'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if app.config["HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    _check_timezone(app.config["TIMEZONE"])


class ConfigError(ValueError):
    """A setting Hilltrack cannot start with: the message says which and what to write."""


def _check_timezone(name: object) -> None:
    """Refuse to start on a timezone that does not exist: every page works out today's date."""
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America", a folder
        raise ConfigError(
            f"The timezone setting (TRACKER_TIMEZONE, or TIMEZONE in the instance's config.py) "
            f"is {name!r}, which is not a timezone name; use one such as America/Toronto, "
            "America/Vancouver or America/Halifax."
        ) from None


def ensure_instance_folder(path: Path) -> None:
    """Create the instance folder readable by its owner only: it holds the data and the key."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def instance_secret_key(instance: Path) -> str:
    """Return the key stored in the instance folder, creating it (mode 0600) on first use."""
    ensure_instance_folder(instance)
    key_file = instance / KEY_FILENAME
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()
