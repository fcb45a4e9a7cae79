"""when the House sat: the House's debates read by date, to tell a week it did not sit from a
week nobody spoke

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_house_intervention_type_spoken",
        "house_intervention",
        ["pub_type", "spoken_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_house_intervention_type_spoken", table_name="house_intervention")
