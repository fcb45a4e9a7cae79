"""Where a redirect may go: only back into this site (Django's url_has_allowed_host_and_scheme)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def is_safe_redirect(url: str | None, allowed_host: str) -> bool:
    """True if ``url`` is a relative path or an http(s) URL on ``allowed_host``."""
    if not url:
        return False
    url = url.strip()
    # A control character anywhere (CR, LF, NUL...) could split the Location header or hide a
    # host from this check; a link we made never holds one.
    if any(unicodedata.category(ch)[0] == "C" for ch in url):
        return False
    # Chrome treats backslashes as slashes: "/\\evil.com" is protocol-relative there.
    return _is_safe(url, allowed_host) and _is_safe(url.replace("\\", "/"), allowed_host)


def _is_safe(url: str, allowed_host: str) -> bool:
    if url.startswith("///"):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.netloc and parts.scheme:
        return False  # "http:999999999", "javascript:..."
    # Browsers strip leading control characters; "\x08//evil.com" would be protocol-relative.
    if unicodedata.category(url[0])[0] == "C":
        return False
    if parts.netloc and parts.netloc != allowed_host:
        return False
    return not parts.scheme or parts.scheme in {"http", "https"}
