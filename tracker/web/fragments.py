"""A short-lived, per-process cache of rendered page fragments.

The reports dashboard and the responsiveness tables are the same for every coordinator and
cost tens of milliseconds to compute and draw; under load they are asked for far more often
than the figures change. A fragment is kept for REPORTS_CACHE_SECONDS (30 by default, 0 turns
caching off), the page says when its figures were computed, and a link recomputes them at once.
Each worker process keeps its own.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from markupsafe import Markup

from tracker.clock import utcnow

MAX_ENTRIES = 32


@dataclass(frozen=True)
class Fragment:
    html: Markup
    computed: dt.datetime


class FragmentCache:
    """Rendered fragments by key, each kept for ``seconds``; the oldest go beyond MAX_ENTRIES."""

    def __init__(self, seconds: float, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.seconds = seconds
        self.clock = clock
        self._entries: OrderedDict[Hashable, Fragment] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], Markup], fresh: bool = False) -> Fragment:
        """The fragment for ``key``: kept if young enough (and not asked ``fresh``), else
        rendered now and kept."""
        now = self.clock()
        with self._lock:
            kept = self._entries.get(key)
            if kept and not fresh and (now - kept.computed).total_seconds() < self.seconds:
                return kept
        fragment = Fragment(render(), now)  # outside the lock: other keys are not held up
        if self.seconds > 0:
            with self._lock:
                self._entries[key] = fragment
                self._entries.move_to_end(key)
                while len(self._entries) > MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return fragment
