"""The mail settings, read once from the app's configuration and checked before any send."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from importers.said import Said, said

SECURITY_CHOICES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    username: str | None
    password: str | None = field(repr=False)  # never in a log line or an error
    security: str
    sender: str | None  # the From header, e.g. "Coalition <letters@coalition.example>"
    reply_to: str | None
    bounces_to: str | None
    per_minute: int
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        return cls(
            server=config.get("MAIL_SERVER") or None,
            port=int(config.get("MAIL_PORT") or 587),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            security=str(config.get("MAIL_SECURITY") or "starttls").lower(),
            sender=config.get("MAIL_FROM") or None,
            reply_to=config.get("MAIL_REPLY_TO") or None,
            bounces_to=config.get("MAIL_BOUNCES_TO") or None,
            per_minute=max(1, int(config.get("MAIL_PER_MINUTE") or 30)),
            timeout=float(config.get("MAIL_TIMEOUT") or 30),
        )

    def problems(self) -> list[Said]:
        """What keeps letters from being sent, in words a coordinator can pass to an admin
        (sentences stored with a failed letter, so read in each reader's language)."""
        found = []
        if not self.server:
            found.append(said("No mail server is set (TRACKER_MAIL_SERVER)."))
        if not self.sender or "@" not in self.sender_address:
            found.append(said("No sender address is set (TRACKER_MAIL_FROM)."))
        if self.security not in SECURITY_CHOICES:
            found.append(
                said(
                    "TRACKER_MAIL_SECURITY is %(value)s; use none, starttls or tls.",
                    value=self.security,
                )
            )
        if bool(self.username) != bool(self.password):
            found.append(
                said("Set both TRACKER_MAIL_USERNAME and TRACKER_MAIL_PASSWORD, or neither.")
            )
        return found

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender or "")[1]

    @property
    def domain(self) -> str:
        """Hilltrack's mail domain: the sender's, for Message-IDs."""
        return self.sender_address.rpartition("@")[2] or "hilltrack.invalid"

    def sender_header(self) -> Address | str:
        name, address = parseaddr(self.sender or "")
        return Address(display_name=name, addr_spec=address) if name else address
