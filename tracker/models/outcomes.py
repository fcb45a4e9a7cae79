"""What recipients said in Parliament after a letter: the House's record of their interventions,
when each member's record was last read, and the words that say what a campaign is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.clock import utcnow
from tracker.models.base import Base, SaidText, UTCDateTime


class CampaignSubject(Base):
    """A word or phrase (English or French) that says what a campaign's letter is about, or one
    of the House indexers' terms picked for it."""

    __tablename__ = "campaign_subject"
    __table_args__ = (UniqueConstraint("campaign_id", "phrase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    language: Mapped[str | None] = mapped_column(String(2))  # en, fr; None: both or a term
    phrase: Mapped[str] = mapped_column(String(200))
    term_id: Mapped[int | None]  # an index term's id: matches by id, whatever its wording


class HouseIntervention(Base):
    """One intervention of a member in the House or a committee, as the House published it;
    stored once by its publication item id and updated in place when the record is re-issued."""

    __tablename__ = "house_intervention"
    __table_args__ = (
        Index("ix_house_intervention_person_spoken", "person_id", "spoken_on"),
        # The House's sitting days, read by date (tracker/rules/sittings.py).
        Index("ix_house_intervention_type_spoken", "pub_type", "spoken_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(unique=True)
    publication_id: Mapped[int]
    pub_type: Mapped[int]  # 37 the House, 40017 a committee
    title: Mapped[str] = mapped_column(String(300))
    spoken_on: Mapped[dt.date]
    parliament: Mapped[int | None] = mapped_column(SmallInteger)
    session: Mapped[int | None] = mapped_column(SmallInteger)
    organization: Mapped[str] = mapped_column(String(300))
    order_of_business: Mapped[str | None] = mapped_column(String(300))
    subject_of_business: Mapped[str | None] = mapped_column(Text)
    intervention_type: Mapped[str | None] = mapped_column(String(40))
    person_id: Mapped[int]
    speaker: Mapped[str] = mapped_column(String(200))
    paragraphs: Mapped[list[str]] = mapped_column(JSON, default=list)
    terms: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    record_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_house(self) -> bool:
        return self.pub_type == 37

    @property
    def is_interjection(self) -> bool:
        return self.intervention_type == "Interjection"


class HouseRecordCheck(Base):
    """How far one member's record of one kind (House or committees) has been read."""

    __tablename__ = "house_record_check"
    __table_args__ = (UniqueConstraint("person_id", "pub_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int]
    pub_type: Mapped[int]
    checked_from: Mapped[dt.date | None]
    checked_to: Mapped[dt.date | None]
    checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(SaidText)
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
