"""where a log entry came from (a person, a file, Hilltrack sending, the mail that came back);
an import run remembers it was a preview

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 13:00:00

Entries already logged by the worker or from mail are recognised by the key they were recorded
under ("letter:…", "inbound:…", "sheet:…"), so they stop reading "by a former user".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROM_KEYS = {"sending": "letter:%", "mail": "inbound:%", "file": "sheet:%"}


def upgrade() -> None:
    with op.batch_alter_table("interaction") as batch_op:
        batch_op.add_column(
            sa.Column("logged_from", sa.String(length=32), nullable=False, server_default="person")
        )
    interaction = sa.table("interaction", sa.column("logged_from"), sa.column("submission_key"))
    for logged_from, key in FROM_KEYS.items():
        op.execute(
            interaction.update()
            .where(interaction.c.submission_key.like(key))
            .values(logged_from=logged_from)
        )
    with op.batch_alter_table("import_run") as batch_op:
        batch_op.add_column(
            sa.Column("is_preview", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    run = sa.table("import_run", sa.column("is_preview"), sa.column("status"))
    op.execute(run.update().where(run.c.status == "dry_run").values(is_preview=True))


def downgrade() -> None:
    with op.batch_alter_table("import_run") as batch_op:
        batch_op.drop_column("is_preview")
    with op.batch_alter_table("interaction") as batch_op:
        batch_op.drop_column("logged_from")
