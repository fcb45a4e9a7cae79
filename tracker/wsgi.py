"""The WSGI entry point for gunicorn (`tracker.wsgi:app`): one app per worker process, its
start-up objects frozen out of the garbage collector's way (see tracker/serving.py)."""

from __future__ import annotations

from tracker import create_app
from tracker.web.serving import freeze_start_up_objects

app = create_app()
freeze_start_up_objects()
