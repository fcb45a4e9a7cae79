"""Errors of the JSON API as application/problem+json (RFC 9457): a title, the status, and a
detail a person can act on, in the language of the token's owner."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from tracker.web.field_errors import in_reader_language

API_PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"

# What each refusal means for the person who wrote the call, and what to do about it.
DETAILS = {
    400: _l("The request could not be read. Send JSON with the fields the documentation lists."),
    401: _l(
        "Send a valid API token as “Authorization: Bearer <token>”. Tokens are made and "
        "revoked on your account page; a revoked or expired one must be replaced."
    ),
    403: _l("Your account's role does not allow this; ask a coordinator."),
    404: _l("There is nothing at this address: check the id, or list the collection first."),
    405: _l("This address does not accept that method; the documentation lists the ones it does."),
    413: _l("What you sent is larger than Hilltrack accepts."),
    415: _l("Send the body as JSON, with “Content-Type: application/json”."),
    422: _l("Some fields are missing or not valid: see “errors” for each field."),
    429: _l("Too many requests with this token: wait the seconds “Retry-After” gives, then retry."),
    500: _l("Hilltrack hit an unexpected error; nothing was half-saved. Retry later."),
    503: _l("The database is busy; nothing was saved. Retry in a few seconds."),
}
TITLES = {
    400: _l("Bad request"),
    401: _l("Not signed in"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    413: _l("Too large"),
    415: _l("Not JSON"),
    422: _l("Not valid"),
    429: _l("Too many requests"),
    500: _l("Unexpected error"),
    503: _l("Unavailable"),
}


class ApiProblem(HTTPException):
    """A refusal with its own detail (and, for a form of fields, what is wrong with each)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.errors = errors
        self.extra_headers = headers or {}


def is_api_request() -> bool:
    """True for a call to the JSON API: no session, no CSRF, answers in JSON."""
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The problem+json response for ``status``."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "detail": detail or str(DETAILS.get(status, _("The request failed."))),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    response.headers.update(headers or {})
    return response


def from_http_error(error: HTTPException) -> Response:
    """An HTTP error raised anywhere in an API call, as a problem."""
    status = error.code or 500
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    if isinstance(error, ApiProblem):
        headers.update(error.extra_headers)
        return problem(status, error.description, errors=error.errors, headers=headers)
    # A body that webargs could not validate: what is wrong, field by field.
    data = getattr(error, "data", None)
    messages = data.get("messages") if isinstance(data, dict) else None
    errors = in_reader_language(_flatten(messages)) if isinstance(messages, dict) else None
    return problem(status, errors=errors, headers=headers)


def _flatten(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs's {location: {field: [...]}} as {field: [...]}."""
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update({str(k): v for k, v in fields.items()})
        else:
            flat[str(location)] = fields
    return flat
