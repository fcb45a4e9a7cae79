"""A webhook event as its receiver reads it: the JSON body, and the signature over it.

The signature is HMAC-SHA256, keyed with the subscription's secret, over
``f"{timestamp}.{body}"``, sent as ``Hilltrack-Signature: t=<unix seconds>,v1=<hex>``: the
receiver recomputes it and refuses an old timestamp, so a captured request cannot be replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

SIGNATURE_HEADER = "Hilltrack-Signature"


def event_body(event_type: str, event_id: str, occurred_at: dt.datetime, data: Any) -> str:
    """The body every attempt sends, byte for byte: compact, keys sorted, ASCII only."""
    return json.dumps(
        {
            "type": event_type,
            "id": event_id,
            "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "data": data,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=_plain,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def signature(secret: str, timestamp: int, body: str) -> str:
    """The hex HMAC-SHA256 of ``"{timestamp}.{body}"`` under ``secret``."""
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
