"""the directory in French: a caucus's French name on each official, and the French titles
Hilltrack builds (an MP's riding, a committee seat, a parliamentary secretary's minister)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 14:10:00

Existing officials get their caucus's French short name from the table of facts, committees
their French name, and existing roles whose French title the rule builds get it, in their
holder's form of address.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The House's French short names, as importers/ourcommons.py's table gave them at this revision.
CAUCUS_FR = {
    "Conservative": "Conservateur",
    "Liberal": "Libéral",
    "NDP": "NPD",
    "Bloc Québécois": "Bloc Québécois",
    "Green Party": "Parti vert",
    "Independent": "Indépendant",
}


def upgrade() -> None:
    with op.batch_alter_table("official") as batch_op:
        batch_op.add_column(sa.Column("party_fr", sa.String(length=80), nullable=True))
    with op.batch_alter_table("role") as batch_op:
        batch_op.add_column(
            sa.Column("title_fr_built", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    bind = op.get_bind()
    official = sa.table("official", sa.column("party", sa.String), sa.column("party_fr", sa.String))
    for english, french in CAUCUS_FR.items():
        bind.execute(official.update().where(official.c.party == english).values(party_fr=french))
    _name_committees(bind)
    _build_titles(bind)


def _name_committees(bind: sa.Connection) -> None:
    from importers.committees import ACRONYMS, french_by_acronym

    for acronym in ACRONYMS:
        bind.execute(
            sa.text(
                "UPDATE organisation SET name_fr = :fr WHERE kind = 'committee' "
                "AND acronym = :acronym AND name_fr IS NULL"
            ),
            {"fr": french_by_acronym(acronym), "acronym": acronym},
        )


def _build_titles(bind: sa.Connection) -> None:
    # The rule itself: the titles it builds are the ones a new role gets.
    from importers.names import fold
    from tracker.models import AddressForm, RoleKind
    from tracker.rules.titles import BUILT, Minister, french_role_title, ministers_title

    rows = bind.execute(
        sa.text(
            "SELECT r.id, r.kind, r.title, r.title_fr, o.address_form, o.constituency, "
            "g.acronym FROM role r JOIN official o ON o.id = r.official_id "
            "LEFT JOIN organisation g ON g.id = r.organisation_id "
            "ORDER BY r.end_on IS NULL, r.end_on, r.start_on, r.id"
        )
    ).all()
    known: dict[str, Minister] = {}
    ministerial = {"prime_minister", "minister", "secretary_of_state"}
    for _id, kind, title, title_fr, form, _riding, _acronym in rows:
        if kind in ministerial:
            holder = AddressForm(form) if form else None
            french = ministers_title(RoleKind(kind), title_fr, holder)
            if french:
                known[fold(title)] = Minister(french, holder)
    built = {k.value for k in BUILT}
    for role_id, kind, title, title_fr, form, riding, acronym in rows:
        if kind not in built or title_fr:
            continue
        french = french_role_title(
            RoleKind(kind),
            title,
            form=AddressForm(form) if form else None,
            constituency=riding,
            committee_acronym=acronym,
            ministers=known,
        )
        if french:
            bind.execute(
                sa.text("UPDATE role SET title_fr = :fr, title_fr_built = :yes WHERE id = :id"),
                {"fr": french, "yes": True, "id": role_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("role") as batch_op:
        batch_op.drop_column("title_fr_built")
    with op.batch_alter_table("official") as batch_op:
        batch_op.drop_column("party_fr")
