"""How the app is served: gunicorn's settings, and settling a long-running worker after start-up.

After start-up a worker holds some 150,000 long-lived objects (the app, SQLAlchemy's mappings,
imported modules) that Python's cyclic garbage collector would otherwise walk on every full
collection, and a page that builds thousands of rows triggers several: freezing them roughly
halves the time of the heaviest pages (docs/performance.md). They live as long as the worker.
"""

from __future__ import annotations

import gc

# Four processes of one thread each for a 2-core server. Measured side by side in runs of
# `make bench-load` (docs/performance.md): the mixed workload served 128 requests a second this
# way against 90 with two processes of four threads (that shape measured first), and 118 against
# 113 (this one first), with every page's p95 a half to a third of the threads' in both: the
# threads of one process take turns on the one interpreter lock, processes do not. gunicorn's
# `gthread` worker still keeps a browser's (or a proxy's) connection open between requests,
# which its "sync" workers close after every answer.
WORKERS = 4
THREADS = 1
KEEP_ALIVE_SECONDS = 5
TIMEOUT_SECONDS = 60


def gunicorn_arguments(workers: int = WORKERS, threads: int = THREADS) -> list[str]:
    """gunicorn's options for Hilltrack (`hilltrack serve`, and the load benchmark measures
    the same), before the address and the app."""
    return [
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        str(KEEP_ALIVE_SECONDS),
        "--timeout",
        str(TIMEOUT_SECONDS),
    ]


def freeze_start_up_objects() -> None:
    """Move every object alive now out of the garbage collector's generations."""
    gc.collect()
    gc.freeze()
