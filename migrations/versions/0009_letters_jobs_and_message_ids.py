"""letters, jobs and message ids

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "waiting",
                "running",
                "done",
                "failed",
                name="jobstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("outcome", sa.String(length=400), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_job_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index("ix_job_state_created", ["state", "created_at"], unique=False)

    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "queued",
                "sending",
                "sent",
                "bounced",
                "failed",
                "unknown",
                "cancelled",
                name="letterstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("token", sa.String(length=80), nullable=True),
        sa.Column("message_id", sa.String(length=250), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=120), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_letter_campaign_id_campaign"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_letter_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_letter_job_id_job"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipient.id"],
            name=op.f("fk_letter_recipient_id_recipient"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_letter_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("message_id", name=op.f("uq_letter_message_id")),
        sa.UniqueConstraint("token", name=op.f("uq_letter_token")),
    )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index("ix_letter_campaign_state", ["campaign_id", "state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_letter_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_letter_job_id"), ["job_id"], unique=False)
        batch_op.create_index("ix_letter_recipient_state", ["recipient_id", "state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_letter_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(
            "ix_letter_state_next_attempt", ["state", "next_attempt_at"], unique=False
        )

    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=250), nullable=True))
        batch_op.create_index(batch_op.f("ix_interaction_message_id"), ["message_id"], unique=False)

    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_override", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.drop_column("email_override")

    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_message_id"))
        batch_op.drop_column("message_id")

    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_state_next_attempt")
        batch_op.drop_index(batch_op.f("ix_letter_requested_by_id"))
        batch_op.drop_index("ix_letter_recipient_state")
        batch_op.drop_index(batch_op.f("ix_letter_job_id"))
        batch_op.drop_index(batch_op.f("ix_letter_interaction_id"))
        batch_op.drop_index("ix_letter_campaign_state")

    op.drop_table("letter")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_state_created")
        batch_op.drop_index(batch_op.f("ix_job_requested_by_id"))

    op.drop_table("job")
