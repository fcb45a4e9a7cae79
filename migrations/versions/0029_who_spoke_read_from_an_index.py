"""an index that covers the home page's "N of M recipients spoke": each recipient's campaign,
official and letter dates, read without visiting the table for every recipient of ten campaigns

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_recipient_campaign_official_sent",
        "recipient",
        ["campaign_id", "official_id", "sent_on", "first_sent_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_recipient_campaign_official_sent", table_name="recipient")
