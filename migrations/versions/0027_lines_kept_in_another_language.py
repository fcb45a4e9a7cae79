"""the language each recipient's address line and salutation are written in, so a French
letter whose line was kept in English is a warning before it leaves

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 19:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Lines written before this are taken as written for their letter's language (None): a
    # change of language from now on marks a line it keeps.
    with op.batch_alter_table("recipient") as batch:
        batch.add_column(sa.Column("address_line_language", sa.String(length=2), nullable=True))
        batch.add_column(sa.Column("salutation_language", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recipient") as batch:
        batch.drop_column("salutation_language")
        batch.drop_column("address_line_language")
