"""the queue recovers by itself: workers' heartbeats, and when a waiting job was queued again

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:00:00

Each worker writes its last sign of life (and whether it could reach the queue) to
``worker_beat`` when it re-scans the database for waiting work; /healthz reads it. A job
records when a person last put it on the queue again from the queue page.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker_beat",
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queue_ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_worker_beat")),
    )
    op.create_index(op.f("ix_worker_beat_beat_at"), "worker_beat", ["beat_at"], unique=False)
    with op.batch_alter_table("job") as batch_op:
        batch_op.add_column(sa.Column("requeued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch_op:
        batch_op.drop_column("requeued_at")
    op.drop_index(op.f("ix_worker_beat_beat_at"), table_name="worker_beat")
    op.drop_table("worker_beat")
