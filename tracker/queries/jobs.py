"""Reads for the queue page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.models import Job, JobState


def recent_jobs(session: Session, *, limit: int = 50) -> dict[JobState, list[Job]]:
    """The queue page: every waiting and running job, and the latest failed and done ones."""
    result: dict[JobState, list[Job]] = {}
    for state in JobState:
        query = (
            select(Job)
            .where(Job.state == state)
            .options(joinedload(Job.requested_by))
            .order_by(Job.created_at.desc(), Job.id.desc())
        )
        if state in (JobState.DONE, JobState.FAILED):
            query = query.limit(limit)
        result[state] = list(session.scalars(query))
    return result
