"""mail that comes back

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_sender",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_known_sender_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
            name=op.f("fk_known_sender_official_id_official"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_sender")),
        sa.UniqueConstraint("address", name=op.f("uq_known_sender_address")),
    )
    with op.batch_alter_table("known_sender", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_known_sender_official_id"), ["official_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_known_sender_created_by_id"), ["created_by_id"], unique=False
        )

    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("raw_path", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("from_address", sa.String(length=254), nullable=True),
        sa.Column("from_name", sa.String(length=300), nullable=True),
        sa.Column("subject", sa.String(length=998), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("full_text", sa.Text(), nullable=True),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "reply",
                "auto_reply",
                "bounce",
                "unreadable",
                name="inboundkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "placed",
                "triage",
                "not_outreach",
                name="inboundstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("placed_by", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("from_other_address", sa.Boolean(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("guess_recipient_id", sa.Integer(), nullable=True),
        sa.Column("guess_reason", sa.String(length=300), nullable=True),
        sa.Column("bounce_diagnostic", sa.Text(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["guess_recipient_id"],
            ["recipient.id"],
            name=op.f("fk_inbound_message_guess_recipient_id_recipient"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user_account.id"],
            name=op.f("fk_inbound_message_handled_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_inbound_message_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letter.id"],
            name=op.f("fk_inbound_message_letter_id_letter"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipient.id"],
            name=op.f("fk_inbound_message_recipient_id_recipient"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint("digest", name=op.f("uq_inbound_message_digest")),
        sa.UniqueConstraint("message_id", name=op.f("uq_inbound_message_message_id")),
    )
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_message_from_address"), ["from_address"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_message_guess_recipient_id"),
            ["guess_recipient_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_message_handled_by_id"), ["handled_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_message_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_message_letter_id"), ["letter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_message_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbound_message_state_received", ["state", "received_at"], unique=False
        )

    op.create_table(
        "inbound_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("declared_type", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["inbound_message.id"],
            name=op.f("fk_inbound_attachment_message_id_inbound_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_attachment")),
    )
    with op.batch_alter_table("inbound_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_attachment_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_attachment_message_id"))

    op.drop_table("inbound_attachment")
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_message_state_received")
        batch_op.drop_index(batch_op.f("ix_inbound_message_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_letter_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_handled_by_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_guess_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_from_address"))

    op.drop_table("inbound_message")
    with op.batch_alter_table("known_sender", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_sender_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_known_sender_official_id"))

    op.drop_table("known_sender")
