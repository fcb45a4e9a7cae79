"""A real SMTP server on loopback (aiosmtpd) for the letters tests: it records what it accepts
and answers as told (a 4xx now and then, a 5xx for a closed mailbox, a refused login)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    envelope_from: str
    envelope_to: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The server's behaviour: replies per recipient address (used in turn, then 250), and
    the messages it accepted."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    # Accept the DATA of message number ``hold_at`` (1-based), record it, then never answer:
    # the sender cannot know whether it went.
    hold_at: int | None = None
    data_count: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    # Called with the message's number once it is recorded, before the server answers 250:
    # the test does something to the database while the sender waits for that answer.
    on_accept: Callable[[int], None] | None = None
    # Drop the connection instead of answering, for messages numbered here (1-based): the
    # server has the message, the sender cannot know it.
    drop_at: set[int] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_count += 1
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        if self.hold_at is not None and self.data_count == self.hold_at:
            self.held.set()
            await asyncio.sleep(3600)
        if self.data_count in self.drop_at:
            server.transport.close()
            return "421 closing"
        if self.on_accept is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_accept, self.data_count)
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.envelope_to]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Authenticator:
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == self.username
            and data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


def running_server(
    recorder: Recorder, *, login: tuple[str, str] | None = None, smtputf8: bool = True
) -> Iterator[tuple[Controller, int]]:
    port = free_port()
    options: dict[str, Any] = {"enable_SMTPUTF8": smtputf8}
    if login:
        options |= {"authenticator": Authenticator(*login), "auth_require_tls": False}
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield controller, port
    finally:
        controller.stop()
