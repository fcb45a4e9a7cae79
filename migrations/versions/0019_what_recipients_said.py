"""what recipients said in Parliament after a letter: the House's interventions, how far each
member's record was read, and each campaign's subject words

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_campaign_subject_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_subject")),
        sa.UniqueConstraint(
            "campaign_id", "phrase", name=op.f("uq_campaign_subject_campaign_id_phrase")
        ),
    )
    op.create_table(
        "house_intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("pub_type", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("spoken_on", sa.Date(), nullable=False),
        sa.Column("parliament", sa.SmallInteger(), nullable=True),
        sa.Column("session", sa.SmallInteger(), nullable=True),
        sa.Column("organization", sa.String(length=300), nullable=False),
        sa.Column("order_of_business", sa.String(length=300), nullable=True),
        sa.Column("subject_of_business", sa.Text(), nullable=True),
        sa.Column("intervention_type", sa.String(length=40), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("record_url", sa.String(length=500), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_house_intervention")),
        sa.UniqueConstraint("item_id", name=op.f("uq_house_intervention_item_id")),
    )
    op.create_index(
        "ix_house_intervention_person_spoken",
        "house_intervention",
        ["person_id", "spoken_on"],
        unique=False,
    )
    op.create_table(
        "house_record_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pub_type", sa.Integer(), nullable=False),
        sa.Column("checked_from", sa.Date(), nullable=True),
        sa.Column("checked_to", sa.Date(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_house_record_check")),
        sa.UniqueConstraint(
            "person_id", "pub_type", name=op.f("uq_house_record_check_person_id_pub_type")
        ),
    )


def downgrade() -> None:
    op.drop_table("house_record_check")
    op.drop_index("ix_house_intervention_person_spoken", table_name="house_intervention")
    op.drop_table("house_intervention")
    op.drop_table("campaign_subject")
