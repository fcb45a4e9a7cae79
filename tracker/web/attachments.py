"""A campaign's PDF, stored under the instance folder and checked by its content."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from tracker.errors import OperationError

MAX_BYTES = 10 * 1024 * 1024


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "attachments"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store_pdf(data: bytes) -> str:
    """Keep a PDF and return its stored name; anything else is refused with a reason."""
    if len(data) > MAX_BYTES:
        raise OperationError(_("The PDF is larger than 10 MB."), field="attachment")
    if not data.startswith(b"%PDF-"):
        raise OperationError(_("That file is not a PDF."), field="attachment")
    name = f"{secrets.token_hex(16)}.pdf"
    (_folder() / name).write_bytes(data)
    return name


def path_of(stored_name: str) -> Path | None:
    """Where a stored PDF is, or None if the name is not one we made."""
    if not (
        len(stored_name) == 36
        and stored_name.endswith(".pdf")
        and all(c in "0123456789abcdef" for c in stored_name[:32])
    ):
        return None
    path = _folder() / stored_name
    return path if path.is_file() else None
