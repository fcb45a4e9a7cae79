"""a reply after the letter counts even when another was logged before it: each recipient's
stored facts (days to reply) are read again from the log by the corrected rule

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 17:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The app's own rule, so the stored facts are what the pages will compute.
    from tracker.operations.recipient_facts import refresh_all_facts

    refresh_all_facts(op.get_bind())


def downgrade() -> None:
    pass  # the facts stay as the corrected rule read them; nothing to undo
