"""search and sort names the way Canadians write them: a folded search key on officials and
roles, and a stored sort key by family name

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 16:00:00

Every existing official and role gets its keys from the same rule new rows get them from
(importers/names.py, applied by the models' writer hook).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("official") as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("sort_key", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.create_index("ix_official_search_key", ["search_key"])
        batch_op.create_index("ix_official_sort_key", ["sort_key"])
    with op.batch_alter_table("role") as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.String(length=2000), nullable=False, server_default="")
        )
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    from importers.names import search_key, sort_key

    officials = bind.execute(
        sa.text("SELECT id, given_name, preferred_name, family_name, constituency FROM official")
    ).all()
    updates = [
        {
            "id": oid,
            "search": search_key(given, preferred, family, riding),
            "sort": sort_key(family, given),
        }
        for oid, given, preferred, family, riding in officials
    ]
    for start in range(0, len(updates), BATCH):
        bind.execute(
            sa.text("UPDATE official SET search_key = :search, sort_key = :sort WHERE id = :id"),
            updates[start : start + BATCH],
        )
    roles = bind.execute(sa.text("SELECT id, title, title_fr FROM role")).all()
    role_updates = [{"id": rid, "search": search_key(t, t_fr)} for rid, t, t_fr in roles]
    for start in range(0, len(role_updates), BATCH):
        bind.execute(
            sa.text("UPDATE role SET search_key = :search WHERE id = :id"),
            role_updates[start : start + BATCH],
        )


def downgrade() -> None:
    with op.batch_alter_table("role") as batch_op:
        batch_op.drop_column("search_key")
    with op.batch_alter_table("official") as batch_op:
        batch_op.drop_index("ix_official_sort_key")
        batch_op.drop_index("ix_official_search_key")
        batch_op.drop_column("sort_key")
        batch_op.drop_column("search_key")
