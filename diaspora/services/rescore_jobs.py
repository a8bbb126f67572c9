"""Rescoring every open project for the admin pages (a weight set adopted, a file uploaded),
done by the outbox worker: at 100,000 experts it takes longer than a request may last.

The page's use case writes a job to the outbox in its own transaction; `flask outbox work` (or
`flask outbox send`) runs it with the emails' retries and backoff, and the admin outbox lists
it. The commands (`flask import`, `flask suggestions recompute`) still rescore at once.

At most one job waits: asking while one waits joins it, since a job reads the data when it
starts. Asking while one runs queues one to follow (the running one may have read the data
before the change), and jobs run one after the other, whichever worker takes them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from diaspora.extensions import db
from diaspora.models import OutboxMessage, OutboxStatus
from diaspora.models.base import utcnow
from diaspora.notifications.delivery import note_failure
from diaspora.request_log import current_request_id
from diaspora.services import rescoring, suggestions

KIND = "rescore_all"
# A job still running after this long lost its worker (stopped, out of memory): it counts as
# a failed attempt and is tried again. A full rescoring at 100,000 experts takes under a minute.
LEASE = timedelta(hours=1)
_LOCK = 0x52_45_53_43  # the advisory lock's key ("RESC"): two pages asking at once add one job


class Queued(StrEnum):
    NEW = "new"  # a job was queued
    JOINED = "joined"  # one was already waiting: it includes the change, none other is queued


@dataclass(frozen=True)
class Rescoring:
    """Where rescoring by the worker stands, for the admin pages."""

    running: bool
    waiting: bool
    finished_at: datetime | None  # when the worker last finished one
    error: str | None  # the newest job's last failed attempt (tried again, or given up)
    retry_at: datetime | None  # when a waiting job that failed is tried again
    given_up: bool  # the newest job failed OUTBOX_MAX_ATTEMPTS times
    attempts: int


def _jobs():
    return select(OutboxMessage).where(OutboxMessage.kind == KIND)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def ask() -> Queued:
    """Ask, in the caller's transaction, for every open project to be rescored by the worker
    (the caller commits); a job already waiting is joined, not repeated."""
    waiting = _jobs().where(OutboxMessage.status == OutboxStatus.PENDING).limit(1)
    if _postgresql():
        # Until the caller commits: a second page asking waits and then joins this job, and a
        # worker does not start the waiting one before the change it must include is committed.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        waiting = waiting.with_for_update()
    if db.session.scalars(waiting).first() is not None:
        return Queued.JOINED
    db.session.add(
        OutboxMessage(
            message_id=f"<{KIND}.{uuid.uuid4().hex}@diaspora.job>",
            kind=KIND,
            to_address="",
            subject=_("Rescoring every open project"),
            body_text=_(
                "A job for the outbox worker: every open project is ranked again and its "
                "stored suggestions replaced."
            ),
            body_html="",
            request_id=current_request_id(),
        )
    )
    return Queued.NEW


def state() -> Rescoring:
    """The jobs running or waiting, the last one finished, and the newest one's failure."""
    newest = db.session.scalars(_jobs().order_by(OutboxMessage.id.desc()).limit(2)).all()
    finished_at = db.session.scalar(
        select(func.max(OutboxMessage.sent_at)).where(
            OutboxMessage.kind == KIND, OutboxMessage.status == OutboxStatus.SENT
        )
    )
    head = newest[0] if newest else None
    waiting = head is not None and head.status == OutboxStatus.PENDING
    given_up = head is not None and head.status == OutboxStatus.FAILED
    error = head.last_error if waiting or given_up else None
    return Rescoring(
        running=any(job.status == OutboxStatus.RUNNING for job in newest),
        waiting=waiting,
        finished_at=finished_at,
        error=error,
        retry_at=head.next_attempt_at if waiting and error else None,
        given_up=given_up,
        attempts=head.attempts if head else 0,
    )


@dataclass(frozen=True)
class Run:
    """What one run of a job did: what it stored, or why it failed."""

    stored: dict[str, int] | None
    error: str | None


def run_due() -> Run | None:
    """Do the due rescoring job, if any and none is running; None when there was none.
    A failed run is tried again after its backoff, and marked failed after
    OUTBOX_MAX_ATTEMPTS."""
    job = _claim()
    if job is None:
        return None
    try:
        stored = suggestions.recompute_all()
    except Exception as error:
        current_app.logger.exception("Rescoring job %s failed", job.id)
        db.session.rollback()
        note_failure(job, error)
        db.session.commit()
        return Run(None, job.last_error)
    job.status, job.sent_at, job.last_error = OutboxStatus.SENT, utcnow(), None
    db.session.commit()
    rescoring.alert_saved_searches()
    return Run(stored, None)


def _claim() -> OutboxMessage | None:
    now = utcnow()
    running = (
        _jobs()
        .where(OutboxMessage.status == OutboxStatus.RUNNING, OutboxMessage.next_attempt_at > now)
        .exists()
    )
    query = (
        _jobs()
        .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.RUNNING)))
        .where(OutboxMessage.next_attempt_at <= now, ~running)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    if _postgresql():
        query = query.with_for_update(skip_locked=True)
    job = db.session.scalars(query).first()
    if job is None:
        db.session.rollback()
        return None
    if job.status == OutboxStatus.RUNNING:  # its lease ran out: the worker stopped during it
        note_failure(job, RuntimeError("the worker stopped before the rescoring finished"))
        db.session.commit()
        return None
    job.status, job.attempts, job.next_attempt_at = (
        OutboxStatus.RUNNING,
        job.attempts + 1,
        now + LEASE,
    )
    db.session.commit()  # the other workers now leave rescoring jobs until this one ends
    return job
