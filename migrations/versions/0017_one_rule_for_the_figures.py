"""one rule for the figures: an acknowledgement is not a reply, a bounced letter is Bounced;
the campaign tallies count the acknowledged and the bounced; every status and tally counted again;
replies waiting to be classified are read from an index

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 13:00:00

The statuses are renumbered (Bounced comes between Not sent and Sent), the days to reply count
from the first reply that is not an acknowledgement, and the campaign and reply tallies count
by the rule in tracker/rules/counting.py: all of it is recounted from the log here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_tally") as batch_op:
        batch_op.add_column(
            sa.Column("acknowledged", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("bounced", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_interaction_kind_class", "interaction", ["kind", "reply_class", "id"])
    # Recount with the code the app runs after each write (the rule lives there).
    from tracker.operations.recipient_facts import refresh_all_facts

    refresh_all_facts(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_interaction_kind_class", table_name="interaction")
    with op.batch_alter_table("campaign_tally") as batch_op:
        batch_op.drop_column("bounced")
        batch_op.drop_column("acknowledged")
    # (The statuses stay in the new numbering: `hilltrack db recount` at the older release
    # counts them again by its own rule.)
