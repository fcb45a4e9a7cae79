"""Each letter's token: in its Reply-To, its envelope sender and its Message-ID.

As Alaveteli's ``request-<id>-<hash>@`` and WriteToThem's return addresses: the letter's id and
a keyed hash of it, so a reply or a bounce names its letter even when a mail server drops the
In-Reply-To header, and nobody can forge a token for a letter without the installation's key.
"""

from __future__ import annotations

import hashlib
import hmac
import re

DIGEST_LENGTH = 20  # 80 bits of the HMAC: unguessable, and short enough for a local part
TOKEN = re.compile(rf"^(?P<id>[1-9][0-9]{{0,9}})-(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})$")


def _digest(secret: str, letter_id: int) -> str:
    message = f"hilltrack-letter:{letter_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:DIGEST_LENGTH]


def letter_token(secret: str, letter_id: int) -> str:
    """The token of letter ``letter_id`` under the installation's ``secret``."""
    return f"{letter_id}-{_digest(secret, letter_id)}"


def letter_id_from_token(secret: str, token: str) -> int | None:
    """The letter a token names, or None when it is malformed or its hash is wrong."""
    match = TOKEN.match(token.strip().lower())
    if match is None:
        return None
    letter_id = int(match["id"])
    if not hmac.compare_digest(match["digest"], _digest(secret, letter_id)):
        return None
    return letter_id


def plus_address(address: str, token: str) -> str:
    """``replies@coalition.example`` with ``token`` → ``replies+token@coalition.example``."""
    local, _, domain = address.rpartition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{token}@{domain}"


def token_in_address(address: str) -> str | None:
    """The part after ``+`` in an address's local part, if any."""
    local, at, _ = address.strip().strip("<>").rpartition("@")
    if not at or "+" not in local:
        return None
    return local.split("+", 1)[1]


def letter_message_id(token: str, domain: str) -> str:
    """The Message-ID of a letter: on Hilltrack's domain, holding the letter's token."""
    return f"<hilltrack.{token}@{domain}>"
