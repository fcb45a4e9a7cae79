"""Idempotency-Key: a write retried with the same key (by the same token) records once, and
the retry gets the first answer back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, json, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tracker.operations.api_tokens import remember_answer
from tracker.queries.api import remembered_answer
from tracker.views.api.auth import api_token
from tracker.web.db import get_session
from tracker.web.problems import ApiProblem

F = TypeVar("F", bound=Callable[..., Any])
HEADER = "Idempotency-Key"
MAX_KEY = 200


def _fingerprint() -> str:
    body = hashlib.sha256(request.get_data(cache=True)).hexdigest()[:32]
    return f"{request.method} {request.path[:200]} {body}"


def _replay(status: int, body: dict[str, Any], request_seen: str) -> Response:
    if request_seen != _fingerprint():
        raise ApiProblem(
            422,
            _(
                "This Idempotency-Key was already used for a different request. Use a new "
                "key for each new change, and the same key only to retry the same request."
            ),
        )
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: F) -> F:
    """Run the write once per key; commit its change and its answer together."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER, "").strip()
        db = get_session()
        if len(key) > MAX_KEY:
            raise ApiProblem(400, _("An Idempotency-Key is at most 200 characters."))
        if key:
            earlier = remembered_answer(db, api_token().id, key)
            if earlier is not None:
                return _replay(earlier.status, earlier.body, earlier.request)
        response: Response = view(*args, **kwargs)
        if key and response.status_code < 400:
            try:
                remember_answer(
                    db, api_token(), key, _fingerprint(), response.status_code, response.get_json()
                )
            except IntegrityError:
                # The same key, sent twice at once: the other request recorded it first.
                db.rollback()
                earlier = remembered_answer(db, api_token().id, key)
                if earlier is None:
                    raise
                return _replay(earlier.status, earlier.body, earlier.request)
        db.commit()
        return response

    return wrapped  # type: ignore[return-value]
