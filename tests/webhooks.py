"""A webhook receiver on loopback: a real HTTP server in a thread, answering each POST with the
status codes it is told, and keeping what it was sent."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    """What the receiver was sent, and what it answers next (then 200 once they run out)."""

    url: str
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    redirect_to: str | None = None
    delay: float = 0.0  # seconds before answering

    def next_status(self) -> int:
        return self.answers.pop(0) if self.answers else 200


@contextmanager
def receiver(*answers: int) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 for the test's length."""
    state = Receiver(url="", answers=list(answers))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            time.sleep(state.delay)
            status = state.next_status()
            self.send_response(status)
            if 300 <= status < 400 and state.redirect_to:
                self.send_header("Location", state.redirect_to)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(f"answered {status}\x1b[31m\n<b>bold</b>".encode())

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hilltrack"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def verify(secret: str, header: str, body: str, tolerance: int = 300) -> bool:
    """The README's recipe, as a receiver runs it: recompute the HMAC and compare it in constant
    time, refusing a timestamp older than ``tolerance`` seconds."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, parts["v1"])
