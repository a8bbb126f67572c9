"""What operators ask of the running platform: may it take traffic, and how much work waits."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict, dataclass
from functools import lru_cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from diaspora.extensions import db
from diaspora.models import OutboxMessage, OutboxStatus
from diaspora.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxState:
    pending: int
    failed: int
    # How long the oldest email that is due has waited for a worker (0 when none is due): a
    # message waiting for its retry's backoff is not late.
    lag_seconds: float


@dataclass(frozen=True)
class Readiness:
    database: bool
    migrations_applied: tuple[str, ...]
    migrations_head: tuple[str, ...]
    outbox: OutboxState | None
    max_outbox_lag_seconds: int

    @property
    def migrations_current(self) -> bool:
        return self.database and set(self.migrations_applied) == set(self.migrations_head)

    @property
    def outbox_on_time(self) -> bool:
        limit = self.max_outbox_lag_seconds
        return self.outbox is not None and not (limit and self.outbox.lag_seconds > limit)

    @property
    def ready(self) -> bool:
        return self.database and self.migrations_current and self.outbox_on_time

    def as_dict(self) -> dict:
        """The answer of /readyz: the verdict, then each check."""
        return {
            "ready": self.ready,
            "database": "ok" if self.database else "unreachable",
            "migrations": {
                "ok": self.migrations_current,
                "applied": list(self.migrations_applied),
                "head": list(self.migrations_head),
            },
            "outbox": self.outbox and {"ok": self.outbox_on_time, **asdict(self.outbox)},
        }


@lru_cache(maxsize=4)
def _heads(directory: str) -> tuple[str, ...]:
    # The revisions shipped with this code: they change only with a deploy, which restarts.
    return tuple(sorted(ScriptDirectory(directory).get_heads()))


def migration_heads() -> tuple[str, ...]:
    """The newest revisions of the migrations shipped with this code."""
    return _heads(current_app.extensions["migrate"].directory)


def outbox_state() -> OutboxState:
    """Emails waiting to be sent, those given up on, and how late the oldest due one is."""
    now = utcnow()
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
            .group_by(OutboxMessage.status)
        ).all()
    )
    oldest_due = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
        )
    )
    lag = (now - oldest_due).total_seconds() if oldest_due is not None else 0.0
    return OutboxState(
        pending=counts.get(OutboxStatus.PENDING, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        lag_seconds=round(max(lag, 0.0), 1),
    )


def readiness() -> Readiness:
    """Whether this process may take traffic: the database answers, its schema is the one this
    code expects (`flask db upgrade` has run), and emails leave on time (when
    READY_MAX_OUTBOX_LAG_SECONDS is set). Reads only; never raises for a database down."""
    head = migration_heads()
    limit = current_app.config["READY_MAX_OUTBOX_LAG_SECONDS"]
    try:
        context = MigrationContext.configure(db.session.connection())
        applied = tuple(sorted(context.get_current_heads()))
        outbox = outbox_state()
    except SQLAlchemyError as error:
        log.warning("readiness: database unreachable: %s", error)
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
        return Readiness(False, (), head, None, limit)
    db.session.rollback()  # nothing was written; end the transaction the checks opened
    return Readiness(True, applied, head, outbox, limit)
