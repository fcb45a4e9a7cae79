"""Cross-cutting HTTP behaviour: request ids, security headers, caching and error pages."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from tracker.models.base import MAX_ID, plausible_date
from tracker.web import problems
from tracker.web.db import discard_session

csrf = CSRFProtect()
log = logging.getLogger(__name__)

# Images from this site only (data: for the stylesheet's icons): an image fetched from another
# origin tells that origin who read the page and when, which is what a hostile mail would want.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


UNREADABLE_FORM = "unreadable-form"  # the 400's description: says which message to show
UNREADABLE_FORM_TEXT = _l(
    "Part of what you sent is not readable text (it is not UTF-8), so nothing was saved. "
    "Retype the accented or special characters, or paste the text as plain text, and send it "
    "again."
)
ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than Hilltrack accepts.")),
}


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in a URL: only a number that can be a row id matches (else 404), so a
    huge id never reaches the database."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register request ids, response headers and the error pages (CSRF is wired by the factory)."""
    app.url_map.converters["int"] = RowIdConverter
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:
        # Trust exactly this many proxies' X-Forwarded-For entries, never a client's own.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.before_request(_assign_request_id)
    app.before_request(_refuse_undecodable_forms)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected_error)


def date_arg(name: str) -> dt.date | None:
    """A YYYY-MM-DD query argument as a date; a malformed or implausible one (outside
    1900-2100) is a 400, never a crash."""
    value = request.args.get(name, "")[:40]
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        abort(400)
    if day is not None and not plausible_date(day):
        abort(400)
    return day


def month_arg(name: str) -> dt.date | None:
    """A YYYY-MM query argument (what a month field sends), or a YYYY-MM-DD one, as the first
    day of its month; malformed or implausible is a 400, as for date_arg."""
    value = request.args.get(name, "")[:40]
    if len(value) == len("2026-01"):
        value += "-01"
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        abort(400)
    if not plausible_date(day):
        abort(400)
    return day.replace(day=1)


def _refuse_undecodable_forms() -> None:
    """A form whose text is not valid UTF-8 is refused whole: Werkzeug would keep the bytes it
    cannot read as "%E9" or as "\ufffd" and save the rest, silently changing what was typed."""
    if request.method != "POST":
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        raw = request.get_data(cache=True)  # the form is still parsed from this copy
        for pair in raw.split(b"&"):
            try:
                unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                abort(400, description=UNREADABLE_FORM)
    elif request.mimetype == "multipart/form-data" and any(
        "\ufffd" in value for value in request.form.values()
    ):
        abort(400, description=UNREADABLE_FORM)


def _assign_request_id() -> None:
    g.request_id = secrets.token_hex(8)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        return response  # public files, for anyone: no signed-in user is loaded for them
    if problems.is_api_request():
        # Never loads a signed-in user: a session cookie means nothing to the API.
        headers["Cache-Control"] = "no-store"
        return response
    if current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def _render_error(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.problem(400)
    return _render_error(
        400,
        _("Form expired"),
        _(
            "This form was open too long or came from another page. Go back, reload it and "
            "submit again."
        ),
    )


def _http_error(error: HTTPException) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.from_http_error(error)
    if error.code is None or error.code not in ERROR_TEXT:
        return error
    title, message = ERROR_TEXT[error.code]
    if error.description == UNREADABLE_FORM:
        message = UNREADABLE_FORM_TEXT
    return _render_error(error.code, str(title), str(message))


def _database_unavailable(error: OperationalError) -> ResponseReturnValue:
    """The retry page, at once: it touches the database no more (the signed-in user is not
    loaded again, the session is dropped), so a lock that outlasts the busy timeout costs one
    wait, never a worker killed for taking too long."""
    log.error("database unavailable: %s", type(error.orig).__name__)
    discard_session()
    # Flask-Login keeps the request's user here; an anonymous one stops every later reader
    # (the response headers, the page) from loading the signed-in user again.
    g._login_user = AnonymousUserMixin()
    if problems.is_api_request():
        return problems.problem(503, headers={"Retry-After": "10"})
    # Straight from the environment: render_template's context processors would load the
    # signed-in user (Flask-Login's), which is the query that just waited.
    body = current_app.jinja_env.get_template("errors/unavailable.html").render()
    return body, 503, {"Retry-After": "10", "Cache-Control": "no-store"}


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error, request id %s", g.get("request_id"))
    if problems.is_api_request():
        return problems.problem(500)
    title = _("Something went wrong")
    message = _(
        "Hilltrack hit an unexpected error; nothing you submitted was half-saved. "
        "If it happens again, give this reference to your admin: %(reference)s.",
        reference=g.get("request_id"),
    )
    return _render_error(InternalServerError.code or 500, title, message)
