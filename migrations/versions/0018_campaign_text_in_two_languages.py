"""a campaign's text in English and in French, its recipients' default language, and the
language the directory says an official prefers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:00:00

A campaign's current text becomes its English version, unless every one of its recipients reads
French: then it becomes the French version (its title stays the name the lists show) and the
campaign's default language is French.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("title_fr", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("subject_fr", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("summary_fr", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("asks_fr", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("body_fr", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("default_language", sa.String(length=2), server_default="en", nullable=False)
        )
    with op.batch_alter_table("official") as batch_op:
        batch_op.add_column(sa.Column("preferred_language", sa.String(length=2), nullable=True))
    op.execute(
        "UPDATE campaign SET title_fr = title, summary_fr = summary, asks_fr = asks,"
        " body_fr = body, summary = NULL, asks = NULL, body = NULL, default_language = 'fr'"
        " WHERE EXISTS (SELECT 1 FROM recipient r WHERE r.campaign_id = campaign.id)"
        " AND NOT EXISTS (SELECT 1 FROM recipient r"
        " WHERE r.campaign_id = campaign.id AND r.language <> 'fr')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE campaign SET summary = summary_fr, asks = asks_fr, body = body_fr"
        " WHERE body IS NULL AND body_fr IS NOT NULL"
    )
    with op.batch_alter_table("official") as batch_op:
        batch_op.drop_column("preferred_language")
    with op.batch_alter_table("campaign") as batch_op:
        for column in (
            "default_language",
            "body_fr",
            "asks_fr",
            "summary_fr",
            "subject_fr",
            "title_fr",
            "subject",
        ):
            batch_op.drop_column(column)
