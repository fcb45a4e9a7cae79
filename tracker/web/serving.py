"""How the app is served: gunicorn's settings, and settling a long-running worker after start-up.

After start-up a worker holds some 150,000 long-lived objects (the app, SQLAlchemy's mappings,
imported modules) that Python's cyclic garbage collector would otherwise walk on every full
collection, and a page that builds thousands of rows triggers several: freezing them roughly
halves the time of the heaviest pages (docs/performance.md). They live as long as the worker.
"""

from __future__ import annotations

import gc

# Two processes for a 2-core server, each answering with four threads: a thread waiting for
# the database (or the write lock) leaves the processor to another, and threaded workers keep
# a browser's (or a proxy's) connection open between requests, which gunicorn's single-threaded
# "sync" workers close after every answer. Measured on the mixed workload of `make bench-load`
# (README, Deployment).
WORKERS = 2
THREADS = 4
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
