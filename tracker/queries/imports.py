"""Reads for the Imports page: recent runs and what imports held for review."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from importers.sources import SOURCE_NAMES
from tracker.models import ImportReview, ImportRun, ImportStatus, Official, ReviewStatus

RECENT_RUNS = 30
DATING_RUNS = 400  # more than a year of nightly runs: a source left out longer is undated


def recent_runs(session: Session) -> list[ImportRun]:
    """The latest runs, newest first."""
    return list(
        session.scalars(select(ImportRun).order_by(ImportRun.started_at.desc()).limit(RECENT_RUNS))
    )


def source_dates(session: Session) -> list[tuple[dt.datetime, list[str]]]:
    """Each source's data date, grouped by date, newest first: the as-of date of the latest run
    that applied the source. A failed run or a preview never dates anything, and a partial run
    dates only the sources it applied (those its counts name)."""
    dated: dict[str, dt.datetime] = {}
    applied = session.execute(
        select(ImportRun.counts, ImportRun.as_of)
        .where(
            ImportRun.status.in_([ImportStatus.SUCCEEDED, ImportStatus.PARTIAL]),
            ImportRun.as_of.is_not(None),
        )
        .order_by(ImportRun.finished_at.desc(), ImportRun.id.desc())
        .limit(DATING_RUNS)
    ).all()
    for counts, as_of in applied:
        for source in counts or {}:
            dated.setdefault(source, as_of)
        if len(dated) == len(SOURCE_NAMES):
            break
    by_date: dict[dt.datetime, list[str]] = {}
    for source in sorted(dated, key=lambda name: (*SOURCE_NAMES, name).index(name)):
        by_date.setdefault(dated[source], []).append(source)
    return sorted(by_date.items(), reverse=True)


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
