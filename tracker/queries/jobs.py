"""Reads for the queue page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import Job, JobState, WorkerBeat
from tracker.queries.inline import inline_limit


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
            query = query.limit(inline_limit(limit))
        result[state] = list(session.scalars(query))
    return result


def due_waiting_jobs(session: Session, now: dt.datetime) -> list[int]:
    """Waiting jobs whose time has come (those a mail server asked to wait included), oldest
    first: what the queue should hold."""
    return list(
        session.scalars(
            select(Job.id)
            .where(
                Job.state == JobState.WAITING, or_(Job.run_after.is_(None), Job.run_after <= now)
            )
            .order_by(Job.created_at, Job.id)
        )
    )


def last_beat(session: Session) -> WorkerBeat | None:
    """The most recent heartbeat of any worker."""
    return session.scalar(select(WorkerBeat).order_by(WorkerBeat.beat_at.desc()).limit(1))
