"""The WSGI entry point for gunicorn (`tracker.wsgi:app`): one app per worker process, its
start-up objects frozen out of the garbage collector's way (see tracker/serving.py)."""

from __future__ import annotations

import sys

from tracker import create_app
from tracker.config import ConfigError
from tracker.web.serving import freeze_start_up_objects

try:
    app = create_app()
except ConfigError as error:  # a setting to fix: its message on one line, before the server's
    print(f"Error: {error}", file=sys.stderr, flush=True)
    raise SystemExit(3) from None
freeze_start_up_objects()
