"""Officials, the offices they hold over time, and the organisations those offices belong to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from importers.names import search_key, sort_key
from tracker.clock import utcnow
from tracker.models.base import Base, UTCDateTime, new_revision
from tracker.models.enums import (
    N_,
    AddressForm,
    AddressFormSource,
    OrganisationKind,
    RoleKind,
    enum_column,
    translated,
)

# The feeds' short honorifics, shown in the reader's language ("L'hon." in French); any
# other text a feed or a person wrote is shown as it is.
HONORIFIC_LABELS = {
    "Hon.": N_("honorific", "Hon."),
    "Right Hon.": N_("honorific", "Right Hon."),
}


class Organisation(Base):
    """A committee, department, caucus, mission, or one of the coalition's member organisations."""

    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str | None] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(20), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.kind}:{self.acronym or self.name}>"


def person_name(given_name: str, family_name: str) -> str:
    """How an official's name reads on a page (``Official.full_name``; also for reads that take
    the two columns without loading the official)."""
    return f"{given_name} {family_name}"


class Official(Base):
    """A person the coalition writes to; outlives every office they hold."""

    __tablename__ = "official"
    __table_args__ = (
        # The directory's party filter, and its party and province menus read from the index
        # alone: PostgreSQL read every official's row for them (migration 0032).
        Index("ix_official_party_province", "party", "province"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    honorific: Mapped[str | None] = mapped_column(String(40))
    courtesy_title: Mapped[str | None] = mapped_column(String(10))
    # Madame, Monsieur or neither, and where that came from (Represent's `gender`, or a
    # coordinator on the official's page); None when not known: never guessed from a name.
    address_form: Mapped[AddressForm | None] = mapped_column(enum_column(AddressForm))
    address_form_source: Mapped[AddressFormSource | None] = mapped_column(
        enum_column(AddressFormSource)
    )
    # When a coordinator knows it: the day the official was sworn into the Privy Council.
    # Otherwise the start of their earliest ministerial role stands for it (rules/address.py).
    privy_council_on: Mapped[dt.date | None]
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    preferred_name: Mapped[str | None] = mapped_column(String(120))
    # Folded "given family" used to match feed records that carry no stable id.
    name_key: Mapped[str] = mapped_column(String(250), index=True)
    # Kept by the one rule below (keep_search_keys), whoever writes the official: the folded
    # words of the names and riding that searches match, and where the name sorts in lists.
    search_key: Mapped[str] = mapped_column(String(1000), index=True, server_default="")
    sort_key: Mapped[str] = mapped_column(String(300), index=True, server_default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    offices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    photo_url: Mapped[str | None] = mapped_column(String(500))
    # "en" or "fr" when the directory (Represent's preferred_languages) names one language only.
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    party: Mapped[str | None] = mapped_column(String(80))
    # The caucus's French short name ("Libéral"): the French members list's, else a table's.
    party_fr: Mapped[str | None] = mapped_column(String(80))
    constituency: Mapped[str | None] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(80), index=True)
    ourcommons_id: Mapped[int | None] = mapped_column(unique=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # Field names a person edited by hand: imports report conflicts instead of overwriting them.
    edited_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_seen_in_feed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Changed by every write to what its cached page fragments show (models/revisions.py);
    # not the version above, which guards edit forms against concurrent edits.
    revision: Mapped[int] = mapped_column(BigInteger, default=new_revision, server_default="1")

    roles: Mapped[list[Role]] = relationship(
        back_populates="official", order_by="Role.start_on.desc()"
    )
    identifiers: Mapped[list[OfficialIdentifier]] = relationship(back_populates="official")

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return person_name(self.given_name, self.family_name)

    @property
    def honorific_label(self) -> str | None:
        """The honorific as the directory shows it, in the page's language."""
        marked = HONORIFIC_LABELS.get(self.honorific or "")
        return translated(*marked) if marked else self.honorific

    def __repr__(self) -> str:
        return f"<Official {self.id} {self.full_name}>"


class OfficialIdentifier(Base):
    """An official's id in a source other than ourcommons (Represent, GEDS email, Senate slug)."""

    __tablename__ = "official_identifier"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("official.id", ondelete="RESTRICT"), index=True
    )
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(300))

    official: Mapped[Official] = relationship(back_populates="identifiers")


# Roles held now, as the partial index of coverage names them.
CURRENT_ROLES = "end_on IS NULL"


class Role(Base):
    """An office held by an official between two dates; ended, never deleted."""

    __tablename__ = "role"
    __table_args__ = (
        Index("ix_role_official_current", "official_id", "end_on"),
        Index("ix_role_kind_end_on", "kind", "end_on"),
        # How many officials hold each kind of role now, by source, and when last seen
        # (queries/coverage.py, on every campaign page): read from this index alone, in its
        # order, where PostgreSQL read and sorted every role's row (migration 0032).
        Index(
            "ix_role_current_coverage",
            "kind",
            "source",
            "official_id",
            "last_seen_in_feed_at",
            postgresql_where=text(CURRENT_ROLES),
            sqlite_where=text(CURRENT_ROLES),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="RESTRICT"))
    kind: Mapped[RoleKind] = mapped_column(enum_column(RoleKind))
    title: Mapped[str] = mapped_column(String(400))
    title_fr: Mapped[str | None] = mapped_column(String(400))
    # True when Hilltrack built title_fr (rules/titles.py): it follows the holder's form of
    # address. A feed's or a coordinator's French title is never rebuilt.
    title_fr_built: Mapped[bool] = mapped_column(default=False, server_default=false())
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    start_on: Mapped[dt.date | None]
    end_on: Mapped[dt.date | None]
    # Where the role came from: a feed name such as "ourcommons-ministries", or "manual".
    source: Mapped[str] = mapped_column(String(40), default="manual")
    # The folded words of both titles, for searching by role (kept by keep_search_keys).
    search_key: Mapped[str] = mapped_column(String(2000), server_default="")
    last_seen_in_feed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    official: Mapped[Official] = relationship(back_populates="roles")
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_current(self) -> bool:
        return self.end_on is None

    def __repr__(self) -> str:
        return f"<Role {self.kind} {self.title!r} {self.start_on}..{self.end_on}>"


@event.listens_for(Official, "before_insert")
@event.listens_for(Official, "before_update")
def keep_official_search_keys(
    _mapper: Mapper[Official], _connection: Any, target: Official
) -> None:
    """The one rule for an official's search and sort keys, run on every insert and update
    through the ORM: importers, hand edits, uploads and the demo loader all pass here."""
    target.search_key = search_key(
        target.given_name, target.preferred_name, target.family_name, target.constituency
    )
    target.sort_key = sort_key(target.family_name, target.given_name)


@event.listens_for(Role, "before_insert")
@event.listens_for(Role, "before_update")
def keep_role_search_key(_mapper: Mapper[Role], _connection: Any, target: Role) -> None:
    """The one rule for a role's search key: its English and French titles."""
    target.search_key = search_key(target.title, target.title_fr)
