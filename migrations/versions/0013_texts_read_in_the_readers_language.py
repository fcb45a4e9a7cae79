"""texts read later in the reader's language: a job's outcome and a triage guess hold any length

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 21:10:00

The texts the worker and the imports store (models.base.SaidText) are kept as their template and
values, JSON longer than the sentence; the two short columns among them become text. Rows
already stored keep their text and are shown as written.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=sa.String(length=400), type_=sa.Text(), existing_nullable=True
        )
    with op.batch_alter_table("inbound_message") as batch_op:
        batch_op.alter_column(
            "guess_reason",
            existing_type=sa.String(length=300),
            type_=sa.Text(),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch_op:
        batch_op.alter_column(
            "guess_reason",
            existing_type=sa.Text(),
            type_=sa.String(length=300),
            existing_nullable=True,
        )
    with op.batch_alter_table("job") as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=sa.Text(), type_=sa.String(length=400), existing_nullable=True
        )
