"""Home's figures beside its lists: the officials in office, how fresh their data is, the mail
waiting for triage, and whether one of the reader's webhooks was paused. Each is the rule of its
own module (officials, inbound, webhooks), read here in one statement: on PostgreSQL each
statement is a round trip, and home is the page read most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import ImportRun
from tracker.queries.inbound import waiting_for_triage
from tracker.queries.officials import latest_import, officials_in_office
from tracker.queries.pagination import COUNT_CAP, Count, capped, counted_up_to
from tracker.queries.webhooks import paused_subscriptions


@dataclass(frozen=True)
class HomeFigures:
    """What home says beside its lists, each as its module's rule says it."""

    officials_in_office: int  # officials.official_count(current_only=True)
    data_as_of: dt.datetime | None  # the latest import's as_of, else its end; None: none yet
    triage: Count  # inbound.triage_count
    webhooks_paused: bool  # whether webhooks.paused_for_failing finds any


def home_figures(session: Session, reader_id: int) -> HomeFigures:
    """Home's figures for ``reader_id``, in one statement."""
    latest = latest_import().with_only_columns(ImportRun.as_of, ImportRun.finished_at).subquery()
    in_office, as_of, triage, paused = session.execute(
        select(
            officials_in_office().scalar_subquery(),
            select(func.coalesce(latest.c.as_of, latest.c.finished_at)).scalar_subquery(),
            counted_up_to(waiting_for_triage(), COUNT_CAP),
            paused_subscriptions(reader_id).order_by(None).exists(),
        )
    ).one()
    return HomeFigures(in_office or 0, as_of, capped(triage, COUNT_CAP), bool(paused))
