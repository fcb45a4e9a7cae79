"""campaign tallies: each campaign's recipients counted by first-send day; an official's
campaigns, newest first; campaigns by letter date; who signed in last; lists
read in order end their index with the id; responsiveness tallies by month

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LISTS_IN_ORDER = [
    ("interaction", "ix_interaction_official_occurred", ["official_id", "occurred_on"]),
    ("follow_up", "ix_follow_up_assignee_status_due", ["assignee_id", "status", "due_on"]),
    ("follow_up", "ix_follow_up_status_due", ["status", "due_on"]),
    ("follow_up", "ix_follow_up_official_status_due", ["official_id", "status", "due_on"]),
    ("job", "ix_job_state_created", ["state", "created_at"]),
    ("inbound_message", "ix_inbound_message_state_received", ["state", "received_at"]),
]


def upgrade() -> None:
    op.create_table(
        "campaign_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("replied", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_campaign_tally_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_tally")),
    )
    op.create_index("ix_campaign_tally_campaign_sent", "campaign_tally", ["campaign_id", "sent_on"])
    op.create_index("ix_recipient_official_campaign", "recipient", ["official_id", "campaign_id"])
    op.create_index("ix_user_account_last_login_at", "user_account", ["last_login_at"])
    op.create_index("ix_campaign_letter_on_id", "campaign", ["letter_on", "id"])
    op.create_index("ix_campaign_status_letter_on_id", "campaign", ["status", "letter_on", "id"])
    # Lists read in order a page at a time end their index with the id, the order's tiebreak.
    for table, name, columns in LISTS_IN_ORDER:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [*columns, "id"])
    _reply_tallies()
    # Count what is there now, from the recipients' stored facts (kept since 0007).
    op.execute(
        "INSERT INTO campaign_tally "
        "(campaign_id, sent_on, recipients, delivered, replied, met, answered) "
        "SELECT campaign_id, first_sent_on, count(*), "
        "count(CASE WHEN delivery_confirmed OR first_reply_on IS NOT NULL OR meeting "
        "THEN 1 END), "
        "count(first_reply_on), "
        "count(CASE WHEN meeting_held THEN 1 END), "
        "count(CASE WHEN first_reply_on IS NOT NULL OR meeting THEN 1 END) "
        "FROM recipient GROUP BY campaign_id, first_sent_on"
    )


def _reply_tallies() -> None:
    """Each recipient's party and role kind as of now (the best known for past letters), and
    the responsiveness tallies counted from them, by the rule the app keeps them with."""
    with op.batch_alter_table("recipient") as batch_op:
        batch_op.add_column(sa.Column("party", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("role_kind", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE recipient SET "
        "party = (SELECT party FROM official WHERE official.id = recipient.official_id), "
        "role_kind = (SELECT kind FROM role WHERE role.id = recipient.role_id)"
    )
    op.create_table(
        "reply_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=10), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("reply_days", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_tally")),
        sa.UniqueConstraint(
            "dimension",
            "month",
            "key",
            "reply_days",
            name=op.f("uq_reply_tally_dimension_month_key_reply_days"),
        ),
    )
    from tracker.rules.tallies import Letter, tally

    recipient = sa.table(
        "recipient",
        sa.column("first_sent_on", sa.Date),
        sa.column("reply_days", sa.Integer),
        sa.column("party", sa.String),
        sa.column("role_kind", sa.String),
        sa.column("official_id", sa.Integer),
        sa.column("campaign_id", sa.Integer),
    )
    rows = op.get_bind().execute(
        sa.select(*recipient.c).where(recipient.c.first_sent_on.is_not(None))
    )
    letters = (Letter(*row) for row in rows)
    counts = tally(letters)
    table = sa.table(
        "reply_tally",
        sa.column("dimension"),
        sa.column("month"),
        sa.column("key"),
        sa.column("reply_days"),
        sa.column("n"),
    )
    values = [
        {"dimension": d, "month": m, "key": k, "reply_days": r, "n": n}
        for (d, m, k, r), n in sorted(counts.items())
    ]
    if values:
        op.bulk_insert(table, values)


def downgrade() -> None:
    op.drop_table("reply_tally")
    with op.batch_alter_table("recipient") as batch_op:
        batch_op.drop_column("role_kind")
        batch_op.drop_column("party")
    for table, name, columns in LISTS_IN_ORDER:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    op.drop_index("ix_campaign_status_letter_on_id", table_name="campaign")
    op.drop_index("ix_campaign_letter_on_id", table_name="campaign")
    op.drop_index("ix_user_account_last_login_at", table_name="user_account")
    op.drop_index("ix_recipient_official_campaign", table_name="recipient")
    op.drop_index("ix_campaign_tally_campaign_sent", table_name="campaign_tally")
    op.drop_table("campaign_tally")
