"""Uploaded files kept between a preview and its confirmation, under the instance folder."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep(data: bytes) -> str:
    """Store an upload and return the random token that names it."""
    token = secrets.token_hex(16)
    (_folder() / f"{token}.upload").write_bytes(data)
    return token


def load(token: str) -> bytes | None:
    """The upload named by ``token``, or None if the token is malformed or unknown."""
    if not TOKEN.match(token):
        return None
    path = _folder() / f"{token}.upload"
    return path.read_bytes() if path.is_file() else None


def discard(token: str) -> None:
    """Delete a confirmed upload."""
    if TOKEN.match(token):
        (_folder() / f"{token}.upload").unlink(missing_ok=True)
