"""Structured logs: one JSON object per line, with the request id, and nothing secret.

JSON encoding escapes newlines, so a value typed by a user cannot forge a log line.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, g, has_request_context, request

from tracker.clock import utcnow

# Values that must never reach a log, whatever a message or a library puts in it.
SECRET = re.compile(r"(password|csrf_token|secret|token|session)=([^&\s]+)", re.IGNORECASE)


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": utcnow().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": SECRET.sub(r"\1=[hidden]", record.getMessage()),
        }
        if has_request_context():
            entry |= {
                "request_id": g.get("request_id"),
                "method": request.method,
                "path": request.path,
            }
        if record.exc_info:
            entry["exception"] = SECRET.sub(r"\1=[hidden]", self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Send the app's logs to stderr as JSON lines (gunicorn collects them)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    app.logger.handlers = [handler]
    app.logger.setLevel(logging.INFO)
    for name in ("tracker", "importers"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = not app.testing  # tests read records through pytest's caplog
