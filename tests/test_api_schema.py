"""Schemathesis against the API's own OpenAPI document: whatever a client sends, no server
error, and every answer matches what the document promises (status, type, shape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.test_api import bearer, token_for, world  # noqa: F401 (fixtures)
from tracker import create_app
from tracker.models import User

# Every check but "valid data is accepted": a cursor is any string to the document but only
# the ones Hilltrack gave are accepted (400 otherwise), and "recipient_id, or campaign_id and
# official_id" is a rule the document states in words, not in JSON Schema (422 otherwise).
# Few examples per operation: the suite stays well under a minute, on every run.
EXAMPLES = 12


@pytest.fixture
def test_config(test_config: dict[str, Any]) -> dict[str, Any]:
    """No rate limit here: it would answer 429 to the generated calls."""
    return {**test_config, "API_RATE_LIMIT": "1000000 per minute"}


@pytest.fixture
def api_schema(app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def coordinator_token(request: pytest.FixtureRequest) -> str:
    """A write token of a coordinator, on test_api's small world of campaigns and officials."""
    coordinator: User = request.getfixturevalue("world")["coordinator"]
    make: Callable[..., str] = request.getfixturevalue("token_for")
    return make(coordinator)


def operations() -> list[tuple[str, str]]:
    """Every (method, path) the document lists, read from an app with no database."""
    document = create_app({"SECRET_KEY": "x"}).test_client().get("/api/v1/openapi.json")
    return [
        (method.upper(), path)
        for path, item in document.get_json()["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = operations()


# schemathesis's own pytest loader (from_fixture) reads a pytest attribute that pytest 9
# renamed; its Python API drives the same checks, one operation per test.
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_every_operation_keeps_its_documented_promises(
    api_schema: Any, coordinator_token: str, method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def keeps_its_promises(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers=bearer(coordinator_token), excluded_checks=[positive_data_acceptance]
        )

    keeps_its_promises()
