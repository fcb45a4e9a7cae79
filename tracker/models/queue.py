"""Work done after the request that asked for it: queued jobs, and each letter sent by e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, SaidText, UTCDateTime
from tracker.models.enums import JobState, LetterState, enum_column
from tracker.models.outreach import Campaign, Interaction, Recipient


class Job(Base):
    """One piece of background work (an import, a batch of letters), as the queue page shows it.

    The queue engine (huey, on SQLite or Redis) only carries the job's id; what the job is, who
    asked, how it went and its error live here, in the database every app server shares.
    """

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_created", "state", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.WAITING)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    # When a person last put the waiting job on the queue again (the queue page's button).
    requeued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "host:pid" of the worker running it: a restarted worker finds the jobs it was running.
    worker: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(SaidText)
    error: Mapped[str | None] = mapped_column(SaidText)

    requested_by: Mapped[User | None] = relationship()

    @property
    def waiting_since(self) -> dt.datetime:
        """Since when a waiting job could have run: queued, due, or last queued again."""
        return max(t for t in (self.created_at, self.run_after, self.requeued_at) if t)


class WorkerBeat(Base):
    """A worker's last sign of life, written by its re-scan of the queue (every minute)."""

    __tablename__ = "worker_beat"

    # "host:pid", as in Job.worker.
    worker: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    beat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Whether the worker could reach the queue (Redis, or the queue file) at that beat.
    queue_ok: Mapped[bool] = mapped_column(default=True)


class Letter(Base):
    """One recipient's letter sent by e-mail, and where its sending stands.

    States move queued → sending → sent, bounced, failed or unknown, each change under a row
    lock. "sending" is written (and committed) before the mail server is spoken to, so a
    worker that dies leaves a trace: the letter becomes "unknown" for a person to decide,
    and is never sent again blindly.
    """

    __tablename__ = "letter"
    __table_args__ = (
        Index("ix_letter_campaign_state", "campaign_id", "state"),
        Index("ix_letter_recipient_state", "recipient_id", "state"),
        Index("ix_letter_state_next_attempt", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="RESTRICT"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id", ondelete="RESTRICT"))
    state: Mapped[LetterState] = mapped_column(enum_column(LetterState), default=LetterState.QUEUED)
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # "<id>-<keyed hash>": in the Reply-To and envelope sender, so replies and bounces name it.
    token: Mapped[str | None] = mapped_column(String(80), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job.id", ondelete="SET NULL"), index=True
    )
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The mail server's own words for a refusal or a failure, or what the worker saw.
    error: Mapped[str | None] = mapped_column(SaidText)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL"), index=True
    )

    campaign: Mapped[Campaign] = relationship()
    recipient: Mapped[Recipient] = relationship()
    requested_by: Mapped[User | None] = relationship()
    interaction: Mapped[Interaction | None] = relationship()
