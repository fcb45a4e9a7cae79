"""forms of address: an official's Madame/Monsieur and its source, a Privy Council date, and a
campaign's neutral French salutation

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("official") as batch_op:
        batch_op.add_column(sa.Column("address_form", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("address_form_source", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("privy_council_on", sa.Date(), nullable=True))
    with op.batch_alter_table("campaign") as batch_op:
        batch_op.add_column(
            sa.Column(
                "french_opening",
                sa.String(length=32),
                nullable=False,
                server_default="madame_monsieur",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign") as batch_op:
        batch_op.drop_column("french_opening")
    with op.batch_alter_table("official") as batch_op:
        batch_op.drop_column("privy_council_on")
        batch_op.drop_column("address_form_source")
        batch_op.drop_column("address_form")
