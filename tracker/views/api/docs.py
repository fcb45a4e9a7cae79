"""The API's documentation page: Swagger UI from its Python package, served by Hilltrack, so it
works without internet and under the pages' Content-Security-Policy (no inline script)."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, render_template, send_from_directory
from flask.typing import ResponseReturnValue

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")


@bp.get("/")
def page() -> ResponseReturnValue:
    """The documentation, built in the browser from /api/v1/openapi.json."""
    return render_template("api/docs.html")


@bp.get("/assets/<name>")
def asset(name: str) -> ResponseReturnValue:
    """One of Swagger UI's files (only those the page uses)."""
    if name not in SERVED:
        return "", 404
    return send_from_directory(ASSETS, name, max_age=86400)
