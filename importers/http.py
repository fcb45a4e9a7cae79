"""The one HTTP client for feeds: timeouts, a total deadline, a size cap, retries with backoff,
conditional GET, and https only to the feed hosts, with no redirect to another host."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from importers.errors import FeedError, FeedNotFound
from importers.said import said

ALLOWED_HOSTS = frozenset({"www.ourcommons.ca", "represent.opennorth.ca"})
USER_AGENT = "Hilltrack/0.1 (outreach tracker for advocacy coalitions; python-requests)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
TOTAL_DEADLINE = 120.0
MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """A feed body, and whether it came from the local cache after a 304 Not Modified."""

    url: str
    body: bytes
    from_cache: bool


def _retry_policy() -> Retry:
    return Retry(
        total=3,
        connect=3,
        read=2,
        status=3,
        backoff_factor=0.5,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=0,
    )


class FeedClient:
    """Fetch feed URLs politely and defensively, caching validators under ``cache_dir``."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        deadline: float = TOTAL_DEADLINE,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.cache_dir = cache_dir
        self.deadline = deadline
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.mount("https://", HTTPAdapter(max_retries=_retry_policy()))

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, source: str, *, html: bool = False) -> Fetched:
        """GET ``url``; a 304 answers from the cache; any failure is a FeedError. ``html``: the
        feed is a web page (a committee's Members page), so an HTML answer is expected."""
        _check_url(url, source)
        cached = self._cached(url)
        headers = cached[1] if cached else {}
        try:
            response = self.session.get(
                url,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise FeedError(
                source, said("%(url)s did not answer in time; try again later", url=url)
            ) from None
        except requests.ConnectionError:
            # No network (or the host is down): one calm line, no exception names or paths.
            host = urlsplit(url).hostname or url
            raise FeedError(
                source, said("could not reach %(host)s: no network connection?", host=host)
            ) from None
        except requests.RequestException as error:
            raise FeedError(
                source,
                said("could not reach %(url)s (%(error)s)", url=url, error=type(error).__name__),
            ) from None
        with response:
            if response.status_code == 304 and cached:
                return Fetched(url, cached[0], from_cache=True)
            _check_status(response, source, html=html)
            body = self._read_capped(response, source)
        self._store(url, body, response)
        return Fetched(url, body, from_cache=False)

    def _read_capped(self, response: requests.Response, source: str) -> bytes:
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedError(
                        source,
                        said(
                            "%(url)s is larger than %(max)s bytes", url=response.url, max=MAX_BYTES
                        ),
                    )
                if time.monotonic() - started > self.deadline:
                    raise FeedError(
                        source,
                        said(
                            "%(url)s took over %(seconds)s s",
                            url=response.url,
                            seconds=f"{self.deadline:.0f}",
                        ),
                    )
                chunks.append(chunk)
        except requests.RequestException as error:
            raise FeedError(
                source, said("the download broke off (%(error)s)", error=type(error).__name__)
            ) from None
        return b"".join(chunks)

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.cache_dir / f"{digest}.body", self.cache_dir / f"{digest}.json"

    def _cached(self, url: str) -> tuple[bytes, dict[str, str]] | None:
        paths = self._paths(url)
        if paths is None or not paths[0].exists() or not paths[1].exists():
            return None
        meta = json.loads(paths[1].read_text())
        headers = {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        return paths[0].read_bytes(), headers

    def _store(self, url: str, body: bytes, response: requests.Response) -> None:
        paths = self._paths(url)
        if paths is None:
            return
        paths[0].parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        paths[0].write_bytes(body)
        meta = {
            "url": url,
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
        }
        paths[1].write_text(json.dumps(meta))


def _check_url(url: str, source: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS:
        raise FeedError(
            source, said("refusing to fetch %(url)s: only https feed hosts are allowed", url=url)
        )


def _check_status(response: requests.Response, source: str, *, html: bool = False) -> None:
    status = response.status_code
    if 300 <= status < 400:
        target = response.headers.get("Location", "?")
        raise FeedError(
            source,
            said("%(url)s redirected to %(target)s; not followed", url=response.url, target=target),
        )
    if status == 429:
        raise FeedError(source, said("the feed host is rate-limiting us (429); try again later"))
    if status >= 500:
        raise FeedError(
            source, said("the feed host failed (%(status)s); try again later", status=status)
        )
    if status == 404:
        raise FeedNotFound(
            source, said("%(url)s answered 404; the address may have moved", url=response.url)
        )
    if status >= 400:
        raise FeedError(
            source,
            said(
                "%(url)s answered %(status)s; the address may have moved",
                url=response.url,
                status=status,
            ),
        )
    content_type = response.headers.get("Content-Type", "")
    if "html" in content_type and not html:
        raise FeedError(
            source,
            said(
                "%(url)s sent a web page (%(type)s), not a feed",
                url=response.url,
                type=content_type,
            ),
        )
