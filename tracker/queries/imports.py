"""Reads for the Imports page: recent runs and what imports held for review."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import ImportReview, ImportRun, Official, ReviewStatus

RECENT_RUNS = 30


def recent_runs(session: Session) -> list[ImportRun]:
    """The latest runs, newest first."""
    return list(
        session.scalars(select(ImportRun).order_by(ImportRun.started_at.desc()).limit(RECENT_RUNS))
    )


def open_reviews(session: Session) -> tuple[list[ImportReview], dict[int, Official]]:
    """The review items still open, oldest first, and the officials each might be."""
    reviews = list(
        session.scalars(
            select(ImportReview)
            .where(ImportReview.status == ReviewStatus.OPEN)
            .options(selectinload(ImportReview.official))
            .order_by(ImportReview.id)
        )
    )
    candidate_ids = {i for r in reviews for i in r.candidate_ids}
    candidates = {
        o.id: o
        for o in session.scalars(
            select(Official)
            .where(Official.id.in_(candidate_ids))
            .options(selectinload(Official.roles))
        )
    }
    return reviews, candidates
