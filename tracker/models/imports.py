"""One row per import of officials from the feeds, with its counts and changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import JSON, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.models.accounts import User
from tracker.models.base import Base, SaidList, SaidText, UTCDateTime
from tracker.models.enums import ImportStatus, ReviewKind, ReviewStatus, enum_column
from tracker.models.officials import Official


class ImportRun(Base):
    """A run of an importer: its sources, its outcome, and what it changed."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus), default=ImportStatus.RUNNING, index=True
    )
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    as_of: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A preview writes nothing; it stays a preview when it fails.
    is_preview: Mapped[bool] = mapped_column(default=False, server_default=false())
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(SaidList, default=list)
    error: Mapped[str | None] = mapped_column(SaidText)
    # How far a running import has got, for the Imports page: {"done": n, "total": m, "step": ...}.
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    owner: Mapped[str | None] = mapped_column(String(120))  # host:pid of the process running it
    triggered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    triggered_by: Mapped[User | None] = relationship()

    @property
    def skipped_sources(self) -> int:
        """How many sources this run skipped (no saved file, or a feed that failed alone)."""
        return sum(": skipped, " in warning for warning in self.warnings or [])

    @property
    def outcome(self) -> str:
        """The run's result in words: "Preview (nothing written)", "Succeeded, 3 sources
        skipped"."""
        if self.status is ImportStatus.DRY_RUN:
            return str(_("Preview (nothing written)"))
        if self.is_preview and self.status is ImportStatus.FAILED:
            return str(_("Preview failed (nothing written)"))
        if self.is_preview and self.status is ImportStatus.RUNNING:
            return str(_("Preview running"))
        if self.status is ImportStatus.PARTIAL:
            failed = sum(": failed, " in warning for warning in self.warnings or [])
            return str(
                ngettext(
                    "Partial: %(num)d source failed, the rest applied",
                    "Partial: %(num)d sources failed, the rest applied",
                    failed,
                )
            )
        skipped = self.skipped_sources
        if self.status is ImportStatus.SUCCEEDED and skipped:
            return str(
                ngettext(
                    "Succeeded, %(num)d source skipped",
                    "Succeeded, %(num)d sources skipped",
                    skipped,
                )
            )
        return self.status.label


class ImportReview(Base):
    """Something an import would not decide alone: an uncertain match or a hand-edit conflict."""

    __tablename__ = "import_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ReviewKind] = mapped_column(enum_column(ReviewKind))
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus), default=ReviewStatus.OPEN, index=True
    )
    source: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(SaidText)
    # The feed record (a Term or Person as JSON) and the officials it might be.
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    candidate_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    official_id: Mapped[int | None] = mapped_column(
        ForeignKey("official.id", ondelete="RESTRICT"), index=True
    )
    field: Mapped[str | None] = mapped_column(String(40))
    feed_value: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(String(80))
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    import_run: Mapped[ImportRun | None] = relationship()
    official: Mapped[Official | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()
