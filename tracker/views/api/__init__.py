"""The JSON API under /api/v1/: bearer tokens, cursor pages, problem+json errors, a rate limit
per token, and an OpenAPI 3.1 document generated from the code (flask-smorest)."""

from __future__ import annotations

import http
import threading
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from tracker.views.api import docs, reads, writes
from tracker.views.api.auth import authenticate, rate_limit_key
from tracker.views.api.schemas import Problem
from tracker.web.http import csrf
from tracker.web.problems import PROBLEM_TYPE

DESCRIPTION = """Read and change a Hilltrack coalition's record from another tool.

Every call sends a token as `Authorization: Bearer <token>`; make one on your account page.
A token acts as its owner, with its owner's role, narrowed by its scope (read, or write).
Lists are pages in the order of their ids: follow `next_cursor`. Errors are
`application/problem+json` (RFC 9457), their `detail` in the owner's language."""


class HilltrackApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, its errors documented as problem+json and left to the app's own
    error handlers (which answer API calls with problems). Its endpoints are written into the
    OpenAPI document when the document is first read, not at start: resolving their schemas was
    a third of every app's start (each test builds one) and most processes never serve it."""

    ERROR_SCHEMA = Problem

    def __init__(self, app: Flask) -> None:
        self._undocumented: list[tuple[Any, str, Any]] = []
        self._documenting = threading.Lock()
        super().__init__(app)

    @property
    def spec(self) -> Any:
        """The OpenAPI document, with every registered endpoint in it."""
        if self._undocumented:
            self._document_endpoints()
        return self._spec

    @spec.setter
    def spec(self, spec: Any) -> None:
        self._spec = spec

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """flask-smorest's registration, its documentation left for the first read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document_endpoints(self) -> None:
        # Under a lock, and emptied only when done: a second thread reading the document
        # meanwhile waits for it whole.
        with self._documenting:
            for blp, name, parameters in self._undocumented:
                blp.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blp.description})
            self._undocumented = []

    def _register_error_handlers(self) -> None:
        """The app's handlers answer API errors (tracker.web.http)."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_TYPE)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "An error, as a problem", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def _api_config(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Hilltrack API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "servers": [{"url": "/"}],
            "security": [{"bearer": []}],
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        },
    )


def _limiter(app: Flask) -> Limiter:
    """Requests per token, counted in Redis when there is one (shared by every app server)."""
    return Limiter(
        key_func=rate_limit_key,
        app=app,
        storage_uri=app.config.get("REDIS_URL") or "memory://",
        headers_enabled=True,
        default_limits=[],
        key_prefix="hilltrack-api",
        # Redis away: each server counts on its own until it is back, rather than refusing.
        in_memory_fallback_enabled=bool(app.config.get("REDIS_URL")),
    )


def _retry_after_only_when_refused(response: Response) -> Response:
    """Flask-Limiter puts ``Retry-After`` on every answer; a client reads it as "wait", so only a
    refusal (429, or 503 when the database is away) keeps it. The X-RateLimit-* headers stay."""
    if request.path.startswith("/api/") and response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def register(app: Flask) -> None:
    """Register the API, its document and its documentation page on ``app``."""
    _api_config(app)
    api = HilltrackApi(app)
    # Registered before the limiter so that it runs after the limiter's own (Flask runs an
    # app's after-request functions last registered first).
    app.after_request(_retry_after_only_when_refused)
    limiter = _limiter(app)
    for blueprint in (reads.bp, writes.bp):
        if not blueprint.before_request_funcs:  # (a blueprint is set up once, for every app)
            blueprint.before_request(authenticate)
        csrf.exempt(blueprint)  # a bearer token, which no other site can send, signs calls in
        limiter.limit(lambda: str(current_app.config["API_RATE_LIMIT"]))(blueprint)
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
