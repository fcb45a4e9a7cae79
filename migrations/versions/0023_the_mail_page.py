"""the Mail page: every message newest first, and the unreadable ones, read through indexes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 16:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_inbound_message_kind_received", "inbound_message", ["kind", "received_at", "id"]
    )
    op.create_index("ix_inbound_message_received", "inbound_message", ["received_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbound_message_received", table_name="inbound_message")
    op.drop_index("ix_inbound_message_kind_received", table_name="inbound_message")
