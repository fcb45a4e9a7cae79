"""Polling an IMAP mailbox (IMAPClient): each new message handed over, and flagged as processed
(or moved to a folder) only after the handler has committed it. Nothing is ever deleted. A
message whose handler keeps failing is tried MAX_TRIES times (each failure a keyword on the
server), then handed over to be kept unread, so it is never polled for ever."""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

log = logging.getLogger(__name__)
PROCESSED = b"$HilltrackProcessed"
FAILED = "$HilltrackFailed{}"  # one keyword per failed try: $HilltrackFailed1, 2, ...
MAX_TRIES = 3
BATCH = 20


class ImapProblem(Exception):
    """The mailbox cannot be read (settings, server): nothing was fetched or marked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StopFetching(Exception):
    """Raised by a handler when nothing more can be stored now (the database is down): the run
    stops, and the message stays unprocessed on the server for the next run."""


@dataclass(frozen=True)
class ImapSettings:
    server: str | None
    port: int
    security: str
    username: str | None
    password: str | None = field(repr=False)
    folder: str
    done_folder: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImapSettings:
        security = str(config.get("IMAP_SECURITY") or "tls").lower()
        default_port = 993 if security == "tls" else 143
        return cls(
            server=config.get("IMAP_SERVER") or None,
            port=int(config.get("IMAP_PORT") or default_port),
            security=security,
            username=config.get("IMAP_USERNAME") or None,
            password=config.get("IMAP_PASSWORD") or None,
            folder=str(config.get("IMAP_FOLDER") or "INBOX"),
            done_folder=config.get("IMAP_DONE_FOLDER") or None,
        )

    @property
    def configured(self) -> bool:
        return bool(self.server and self.username)


@dataclass
class FetchReport:
    stored: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: str | None = None

    def describe(self) -> str:
        parts = [ngettext("%(num)d message taken in", "%(num)d messages taken in", self.stored)]
        if self.failed:
            parts.append(
                ngettext(
                    "%(num)d could not be (left unprocessed on the server)",
                    "%(num)d could not be (left unprocessed on the server)",
                    self.failed,
                )
            )
        if self.stopped:
            parts.append(_("stopped: %(why)s", why=self.stopped))
        # The separator is translated too: French puts a narrow no-break space before ";".
        return str(_("; ")).join(str(p) for p in parts) + "."


def _connect(settings: ImapSettings) -> IMAPClient:
    where = f"{settings.server}:{settings.port}"
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            settings.server or "",
            port=settings.port,
            ssl=settings.security == "tls",
            ssl_context=context,
            timeout=30,
        )
        if settings.security == "starttls":
            try:
                client.starttls(context)
            except BaseException:
                client.shutdown()
                raise
    except (OSError, IMAPClientError) as error:
        raise ImapProblem(
            _(
                "Could not reach the mailbox server %(where)s (%(error)s); check "
                "TRACKER_IMAP_SERVER, TRACKER_IMAP_PORT and TRACKER_IMAP_SECURITY.",
                where=where,
                error=error,
            )
        ) from None
    try:
        client.login(settings.username or "", settings.password or "")
    except LoginError:
        with contextlib.suppress(OSError, IMAPClientError):
            client.shutdown()
        raise ImapProblem(
            _(
                "The mailbox server refused the login for %(username)s; check "
                "TRACKER_IMAP_USERNAME and TRACKER_IMAP_PASSWORD.",
                username=settings.username,
            )
        ) from None
    return client


def fetch_new(
    settings: ImapSettings,
    handle: Callable[[bytes, str], None],
    give_up: Callable[[bytes, str, str], None] | None = None,
) -> FetchReport:
    """Hand each message not yet processed to ``handle`` (which commits it), then mark it. A
    message whose handler fails stays unmarked and the run goes on to the next one; at its
    MAX_TRIES-th failure it goes to ``give_up(raw, source, why)`` instead (kept unread)."""
    report = FetchReport()
    client = _connect(settings)
    try:
        try:
            client.select_folder(settings.folder)
        except IMAPClientError as error:
            raise ImapProblem(
                _(
                    "No folder %(folder)s in the mailbox (%(error)s).",
                    folder=settings.folder,
                    error=error,
                )
            ) from None
        uids = client.search(["UNKEYWORD", PROCESSED.decode()])
        source = f"imap:{settings.folder}"
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            for uid, data in client.fetch(chunk, ["BODY.PEEK[]", "FLAGS"]).items():
                raw = data.get(b"BODY[]") or b""
                try:
                    handle(raw, source)
                except StopFetching as stop:
                    report.stopped = str(stop)
                    return report
                except Exception as error:  # one bad message never stops the run
                    log.exception("message %s in %s could not be taken in", uid, settings.folder)
                    why = f"{type(error).__name__}: {error}"
                    tries = _tries(data.get(b"FLAGS") or ()) + 1
                    if give_up is None or tries < MAX_TRIES:
                        client.add_flags([uid], [FAILED.format(tries).encode()])
                        report.failed += 1
                        report.errors.append(f"{uid}: {why}")
                        continue
                    try:
                        give_up(raw, source, why)
                    except StopFetching as stop:
                        report.stopped = str(stop)
                        return report
                _mark_processed(client, uid, settings)
                report.stored += 1
    finally:
        with contextlib.suppress(OSError, IMAPClientError):
            client.logout()
    return report


def _tries(flags: Any) -> int:
    """How many times a message already failed, by its $HilltrackFailedN keywords."""
    names = {
        flag.decode(errors="replace") if isinstance(flag, bytes) else str(flag) for flag in flags
    }
    return sum(1 for n in range(1, MAX_TRIES + 1) if FAILED.format(n) in names)


def _mark_processed(client: IMAPClient, uid: int, settings: ImapSettings) -> None:
    client.add_flags([uid], [PROCESSED, b"\\Seen"])
    if settings.done_folder:
        client.move([uid], settings.done_folder)
