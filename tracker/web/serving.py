"""Settling a long-running server process after start-up.

After start-up a worker holds some 150,000 long-lived objects (the app, SQLAlchemy's mappings,
imported modules) that Python's cyclic garbage collector would otherwise walk on every full
collection, and a page that builds thousands of rows triggers several: freezing them roughly
halves the time of the heaviest pages (docs/performance.md). They live as long as the worker.
"""

from __future__ import annotations

import gc


def freeze_start_up_objects() -> None:
    """Move every object alive now out of the garbage collector's generations."""
    gc.collect()
    gc.freeze()
