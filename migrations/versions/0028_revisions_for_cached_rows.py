"""a revision on each campaign and official, changed by every write to what their pages'
cached fragments show (tracker/models/revisions.py), so a cache keyed on it is never stale

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 22:50:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before this take one random revision per upgrade, never a fixed one: a
    # backup from before it, restored and upgraded, must not share its revisions with the
    # database a running process cached fragments of.
    start = secrets.randbits(62)
    for table in ("campaign", "official"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("revision", sa.BigInteger(), nullable=False, server_default="1")
            )
        op.execute(sa.text(f"UPDATE {table} SET revision = :start").bindparams(start=start))  # noqa: S608


def downgrade() -> None:
    for table in ("official", "campaign"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("revision")
