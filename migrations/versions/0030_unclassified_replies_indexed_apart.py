"""the replies waiting to be classified in an index of their own (a partial index): with
every reply classified, PostgreSQL counted on the kind and the class being independent, expected
four hundred thousand rows to match and walked the whole log by id to find twenty (half a
second on home at ten times the data); the partial index holds exactly the rows wanted

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCLASSIFIED = "kind = 'reply_received' AND reply_class IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_interaction_unclassified",
        "interaction",
        ["id"],
        postgresql_where=sa.text(UNCLASSIFIED),
        sqlite_where=sa.text(UNCLASSIFIED),
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_unclassified", table_name="interaction")
