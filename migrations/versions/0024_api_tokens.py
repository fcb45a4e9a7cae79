"""the JSON API: named tokens (only their hash kept), the answers to retried writes, and the
audit trail saying which token made a change

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_token_secret_hash")),
    )
    op.create_index("ix_api_token_user_revoked", "api_token", ["user_id", "revoked_at"])
    op.create_table(
        "api_idempotent_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request", sa.String(length=300), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_token.id"],
            name=op.f("fk_api_idempotent_answer_token_id_api_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotent_answer")),
        sa.UniqueConstraint("token_id", "key", name=op.f("uq_api_idempotent_answer_token_id_key")),
    )
    op.create_index(
        op.f("ix_api_idempotent_answer_created_at"), "api_idempotent_answer", ["created_at"]
    )
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("api_token_name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_column("api_token_name")
    op.drop_index(op.f("ix_api_idempotent_answer_created_at"), table_name="api_idempotent_answer")
    op.drop_table("api_idempotent_answer")
    op.drop_index("ix_api_token_user_revoked", table_name="api_token")
    op.drop_table("api_token")
