"""The queue is a doorbell; the database is the truth.

A job is recorded in the database before its id goes on the queue, so a queue that lost a
message (Redis down when the page queued, Redis restarted with a deferred letter's retry on its
schedule) loses nothing that matters: every minute the worker rings again for each waiting job
whose time has come and that the queue does not hold, and writes its heartbeat for /healthz.

An unreachable queue is one outage, logged in one line when it starts and one when it ends,
not a traceback for every poll of every thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)


def unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the queue's server or file cannot be reached (not a bug)."""
    kinds = (RedisConnectionError, RedisTimeoutError, OSError, sqlite3.OperationalError)
    return isinstance(error, kinds)


class Outage:
    """Whether something the worker needs is reachable, logging each change in one line."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.down = False
        self._since = 0.0
        self._lock = threading.Lock()

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if self.down:
                return
            self.down, self._since = True, time.monotonic()
        log.warning(
            "%s cannot be reached (%s: %s); jobs wait in the database until it answers",
            self.what,
            type(error).__name__,
            str(error).strip() or "no details",
        )

    def reached(self) -> None:
        if not self.down:  # the common case, without the lock
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
            seconds = time.monotonic() - self._since
        log.warning(
            "%s answers again after %.0f s; waiting jobs are queued again", self.what, seconds
        )


class WatchedStorage:
    """A huey storage whose every call tells the outage whether the queue answered."""

    def __init__(self, storage: Any, outage: Outage) -> None:
        self._storage = storage
        self._outage = outage

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._storage, name)
        if not callable(value):
            return value
        return self._watched(value)

    def _watched(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def watched(*args: Any, **kwargs: Any) -> Any:
            try:
                result = call(*args, **kwargs)
            except Exception as error:
                if unreachable(error):
                    self._outage.failed(error)
                raise
            self._outage.reached()
            return result

        return watched


class QuietOutages(logging.Filter):
    """Drops huey's traceback for each poll of an unreachable queue: the outage's line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (record.name.startswith("huey") and error is not None and unreachable(error))


class Doorbell(threading.Thread):
    """The worker's re-scan, in a thread of its own (not a queued task: it must run while the
    queue is down): ``ring()`` now, then every ``interval`` seconds."""

    def __init__(self, ring: Callable[[], object], interval: float) -> None:
        super().__init__(name="hilltrack-doorbell", daemon=True)
        self.ring, self.interval = ring, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                self.ring()
            except Exception:
                log.exception("the worker's re-scan of waiting jobs failed")
            if self.stopped.wait(self.interval):
                return
