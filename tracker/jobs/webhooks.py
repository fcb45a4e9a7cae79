"""Webhook deliveries on the queue: each job POSTs its deliveries, signed, one at a time.

Every request goes to an address checked just before it (tracker.rules.webhook_targets):
the host is resolved again, every address it names must be public (unless
WEBHOOK_ALLOW_PRIVATE), and the connection is made to that checked address, so a name that
changed its answer since the subscription was made (DNS rebinding) reaches nothing private.
Redirects are not followed, timeouts are short, and only a short text excerpt of the answer
is kept.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

import urllib3
from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from importers.said import said, said_plural, said_together
from tracker.clock import utcnow
from tracker.formats.webhooks import SIGNATURE_HEADER, signature_header
from tracker.jobs.patience import write_patiently
from tracker.jobs.queue import Later, handler, queue
from tracker.operations.events import JOB_KIND, TO_RING
from tracker.operations.webhooks import (
    Attempt,
    Claimed,
    abandon_if_paused,
    claim_next,
    forget_old_deliveries,
    next_due,
    record_attempt,
)
from tracker.rules.text import single_line
from tracker.rules.webhook_targets import Refused, Target, check_url

log = logging.getLogger(__name__)
# Bytes of the receiver's answer read at most: a short excerpt is all the log keeps.
READ_BYTES = 2048
USER_AGENT = "Hilltrack-Webhooks/1"


def post(target: Target, headers: dict[str, str], body: bytes, timeout: float) -> Attempt:
    """POST ``body`` to the checked address of ``target``: no redirects, no retries here."""
    # Each of connecting and reading waits ``timeout`` at most, and the whole request twice it,
    # so a receiver that answers a byte at a time cannot hold the worker.
    limits = urllib3.Timeout(connect=timeout, read=timeout, total=2 * timeout)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            timeout=limits,
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=limits, retries=False
        )
    with pool:
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers={**headers, "Host": host_header},
                redirect=False,
                preload_content=False,
            )
        except urllib3.exceptions.HTTPError as error:
            return Attempt(error=_no_answer(error, timeout))
        try:
            start = response.read(READ_BYTES, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError):
            start = b""
        finally:
            response.release_conn()
    return Attempt(status_code=response.status, excerpt=excerpt(start, response.headers))


def _no_answer(error: Exception, timeout: float) -> str:
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return said("No answer within %(seconds)s seconds.", seconds=f"{timeout:g}")
    if isinstance(error, urllib3.exceptions.SSLError):
        return said("The receiver's HTTPS certificate could not be verified.")
    return said("The receiver could not be reached (%(kind)s).", kind=type(error).__name__)


def excerpt(start: bytes, headers: Any) -> str | None:
    """The answer's first words on one line, when it is text; nothing else is kept."""
    kind = str(headers.get("Content-Type", "")).split(";")[0].strip().lower()
    if kind and not (kind.startswith("text/") or kind.endswith(("json", "xml"))):
        return None
    text = single_line(start.decode("utf-8", errors="replace")).replace("\ufffd", "")
    return text[:300] or None


def send_one(app: Flask, claimed: Claimed) -> Attempt:
    """Check the address again, sign the body with the current time, and POST it."""
    try:
        target = check_url(claimed.url, allow_private=bool(app.config["WEBHOOK_ALLOW_PRIVATE"]))
    except Refused as refused:
        return Attempt(error=refused.message)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(claimed.secret, timestamp, claimed.body),
    }
    return post(target, headers, claimed.body.encode(), float(app.config["WEBHOOK_TIMEOUT"]))


def deliver(app: Flask, job_id: int, subscription_id: int) -> str | Later:
    """Send the job's due deliveries; Later when some wait for another attempt."""
    counts: Counter[str] = Counter()
    while True:
        claimed = write_patiently(
            app, lambda session: claim_next(session, job_id, utcnow()), what="a webhook's claim"
        )
        if claimed is None:
            break
        counts[_deliver_one(app, claimed)] += 1
    summary = _summary(counts)
    write_patiently(
        app,
        lambda session: forget_old_deliveries(session, subscription_id, utcnow()),
        what="the old deliveries",
    )
    due = write_patiently(app, lambda session: next_due(session, job_id), what="next due")
    if due is not None:
        return Later(due, said("%(summary)s; tried again later", summary=summary))
    return summary


def _deliver_one(app: Flask, claimed: Claimed) -> str:
    """Send one claimed delivery unless its subscription was paused meanwhile; record how it
    went. Returns "delivered", "failed" or "abandoned"."""
    delivery_id = claimed.delivery_id
    paused = write_patiently(
        app, lambda session: abandon_if_paused(session, delivery_id), what="a webhook's pause"
    )
    if paused:
        return "abandoned"
    attempt = send_one(app, claimed)
    write_patiently(
        app,
        lambda session: record_attempt(session, delivery_id, attempt, utcnow()),
        what=f"webhook delivery {delivery_id}",
    )
    return "delivered" if attempt.worked else "failed"


def _summary(counts: Counter[str]) -> str:
    words = {
        "delivered": lambda n: said_plural("%(num)d delivered", "%(num)d delivered", n),
        "failed": lambda n: said_plural("%(num)d failed", "%(num)d failed", n),
        "abandoned": lambda n: said_plural(
            "%(num)d not sent (paused)", "%(num)d not sent (paused)", n
        ),
    }
    parts = [words[what](n) for what, n in sorted(counts.items())]
    return said_together(parts) if parts else said("nothing to send")


def _describe(params: dict[str, Any]) -> str:
    return str(_("Webhook events to subscription %(id)s", id=params.get("subscription_id")))


@handler(JOB_KIND, resumable=True, describe=_describe)
def run_delivery_job(app: Flask, job_id: int, params: dict[str, Any]) -> str | Later:
    return deliver(app, job_id, int(params["subscription_id"]))


@event.listens_for(Session, "after_commit")
def _ring(session: Session) -> None:
    """Once events are committed, put their jobs on the queue (the worker's re-scan finds
    them anyway if this cannot: no app here, or the queue is down)."""
    job_ids = session.info.pop(TO_RING, None)
    if not job_ids or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for job_id in job_ids:
        queue(app).submit(job_id)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(TO_RING, None)
