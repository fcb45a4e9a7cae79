"""an MP's French title elides "de" before a riding that starts with a vowel, as the House
writes it: "Député d'Ahuntsic-Cartierville", not "Député de Ahuntsic-Cartierville". The titles
Hilltrack built are rewritten; a title a feed or a coordinator wrote is left as it is.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 11:30:00
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As tracker/rules/titles.py has them at this revision.
WORDS = r"(Députée|Député|Député\(e\))"
VOWEL = "AEIOUÂÀÉÈÊËÎÏÔÛÙÜaeiouâàéèêëîïôûùü"
SILENT_H = "Hochelaga|Honoré"
APOSTROPHE = "\u2019"
UNELIDED = re.compile(rf"^{WORDS} de ((?:[{VOWEL}]|{SILENT_H}).*)$", re.DOTALL)
ELIDED = re.compile(rf"^{WORDS} d{APOSTROPHE}(.*)$", re.DOTALL)


def upgrade() -> None:
    _rewrite(UNELIDED, lambda words, riding: f"{words} d{APOSTROPHE}{riding}")


def downgrade() -> None:
    _rewrite(ELIDED, lambda words, riding: f"{words} de {riding}")


def _rewrite(pattern: re.Pattern[str], title: Callable[[str, str], str]) -> None:
    # A role is found by its titles' words: its search key follows its new French title.
    from importers.names import search_key

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, title, title_fr FROM role WHERE kind = 'mp' AND title_fr_built = :yes"),
        {"yes": True},
    ).all()
    for role_id, english, title_fr in rows:
        found = pattern.match(title_fr or "")
        if found:
            french = title(found.group(1), found.group(2))
            bind.execute(
                sa.text("UPDATE role SET title_fr = :fr, search_key = :key WHERE id = :id"),
                {"fr": french, "key": search_key(english, french), "id": role_id},
            )
