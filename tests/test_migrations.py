"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask.testing import FlaskCliRunner

from tracker import create_app
from tracker.models.base import Base


def test_migrated_schema_matches_the_models(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_db_upgrade_creates_then_leaves_an_existing_database_alone(
    tmp_path: object, instance_path: object
) -> None:
    app = create_app({"PASSWORD_HASHER": "fast-insecure-for-tests"})
    runner: FlaskCliRunner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["db", "upgrade"])
    assert second.exit_code == 0, second.output
    tables = set(sa.inspect(sa.create_engine(app.config["DATABASE_URL"])).get_table_names())
    assert {"official", "role", "campaign", "recipient", "interaction", "follow_up"} <= tables
    assert "alembic_version" in tables
