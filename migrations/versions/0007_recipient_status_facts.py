"""recipient status facts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 05:57:30.396118
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("closing_reply", "full_reply", "meeting", "delivery_confirmed", "meeting_held")
REPLY_INDEXES = {
    "ix_recipient_official_reply": "official_id",
    "ix_recipient_role_reply": "role_id",
    "ix_recipient_campaign_reply": "campaign_id",
}
DATES = ("sent_on", "first_sent_on", "last_sent_on", "last_bounced_on", "first_reply_on")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, not a batch: on SQLite a batch would copy and drop the
    # recipient table, which interactions and follow-ups reference.
    op.add_column(
        "recipient", sa.Column("status", sa.SmallInteger(), server_default="0", nullable=False)
    )
    for name in DATES:
        op.add_column("recipient", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("recipient", sa.Column("reply_days", sa.Integer(), nullable=True))
    for name in FLAGS:
        op.add_column(
            "recipient", sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_recipient_campaign_status", "recipient", ["campaign_id", "status", "sent_on"]
    )
    for name, column in REPLY_INDEXES.items():
        op.create_index(name, "recipient", [column, "reply_days", "first_sent_on"])
    op.drop_index("ix_recipient_official_id", table_name="recipient")
    op.drop_index("ix_recipient_role_id", table_name="recipient")
    op.create_index("ix_follow_up_status_due", "follow_up", ["status", "due_on"])
    op.create_index(
        "ix_follow_up_recipient_status_due", "follow_up", ["recipient_id", "status", "due_on"]
    )
    op.drop_index("ix_follow_up_recipient_id", table_name="follow_up")
    op.create_index(
        "ix_follow_up_official_status_due", "follow_up", ["official_id", "status", "due_on"]
    )
    op.drop_index("ix_follow_up_official_id", table_name="follow_up")
    # Fill the new columns from the interactions already recorded, with the same code the app
    # runs after each write (imported here, at this revision, because the rule lives there).
    from tracker.operations.recipient_facts import refresh_all_facts

    refresh_all_facts(op.get_bind(), with_tallies=False)  # their table comes with 0012


def downgrade() -> None:
    op.create_index("ix_recipient_official_id", "recipient", ["official_id"])
    op.create_index("ix_recipient_role_id", "recipient", ["role_id"])
    for name in REPLY_INDEXES:
        op.drop_index(name, table_name="recipient")
    op.create_index("ix_follow_up_official_id", "follow_up", ["official_id"])
    op.drop_index("ix_follow_up_official_status_due", table_name="follow_up")
    op.create_index("ix_follow_up_recipient_id", "follow_up", ["recipient_id"])
    op.drop_index("ix_follow_up_recipient_status_due", table_name="follow_up")
    op.drop_index("ix_follow_up_status_due", table_name="follow_up")
    op.drop_index("ix_recipient_campaign_status", table_name="recipient")
    for name in (*FLAGS, "reply_days", *DATES, "status"):
        op.drop_column("recipient", name)  # SQLite 3.35+ drops a column in place
