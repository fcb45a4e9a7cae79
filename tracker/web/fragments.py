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
from typing import TypeVar, cast

from flask import Flask
from markupsafe import Markup

from tracker.clock import utcnow

MAX_ENTRIES = 32
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


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


class RevisionCache:
    """What a page draws of a campaign or an official, by a key that holds their revision
    (models/revisions.py): an entry is right for as long as its key is asked for, since any
    write to what it shows gives the row a new revision. Bounded (the least recently used go
    beyond ``size``), per process; the revision is read from the database on every request,
    so each worker sees another's writes at once. Never holds a form's token or anything of
    one person's session: the key says all the entry depends on."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The entry for ``key``, made now (outside the lock) if it is not kept."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return cast(T, self._entries[key])
        made = make()
        if self.size > 0:
            with self._lock:
                self._entries[key] = made
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return made

    def get_many(self, keys: list[K], make: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
        """The entries for ``keys``; those not kept made together by one ``make(missing)``
        (one query for the campaigns whose revision moved, not one per campaign)."""
        found: dict[K, T] = {}
        with self._lock:
            for key in keys:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    found[key] = cast(T, self._entries[key])
        missing = [key for key in keys if key not in found]
        if missing:
            made = make(missing)
            found.update(made)
            if self.size > 0:
                with self._lock:
                    for key, value in made.items():
                        self._entries[key] = value
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every entry (the bench's "rows recomputed" figure)."""
        with self._lock:
            self._entries.clear()


def revision_cache(app: Flask, name: str) -> RevisionCache:
    """The app's cache called ``name`` (one per app: tests run many apps in one process)."""
    caches: dict[str, RevisionCache] = app.extensions.setdefault("hilltrack_revision_caches", {})
    if name not in caches:
        caches[name] = RevisionCache(app.config.get("ROWS_CACHE_ENTRIES", MAX_ENTRIES))
    return caches[name]


def forget_drawn(app: Flask, *names: str) -> None:
    """Empty the app's revision caches called ``names`` (all of them when none is named): for
    the bench's and the cost guard's figures of pages drawn afresh."""
    for name, cache in app.extensions.get("hilltrack_revision_caches", {}).items():
        if not names or name in names:
            cache.clear()
