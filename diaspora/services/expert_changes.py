"""Which experts changed, in commit order: how every process keeps its matching index in step.

A use case that changes what the engine reads of an expert (profile, consent, account erased,
an invitation opened or closed, a text vector stored) calls `note(expert_id)`; its commit then
writes one `expert_changes` row per expert, in the same transaction. Each process remembers the
newest row it applied and, per request, reads only the rows after it: one indexed query that
finds nothing when nothing changed, on any number of processes and machines.

Rows are numbered by a sequence, and two transactions could commit in the other order than
their numbers: a process reading between the two commits would skip the lower number for ever.
So on PostgreSQL the commit takes an advisory lock for the rest of its transaction just before
writing its rows (the next writer is numbered only once this one committed); SQLite lets one
writer at a time anyway. The rows are written last, so the lock is held for the commit alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, event, func, insert, select, text
from sqlalchemy.orm import Session

from diaspora.extensions import db
from diaspora.models import ExpertChange

# More experts than this in one commit are written as one "many changed" row (and every index
# is built again), which also clears the rows before it: nobody needs them any more.
BULK = 1000
_NOTED = "expert_changes.noted"
_ALL = "expert_changes.all"
_LOCK = 0x44_49_41_53  # the advisory lock's key: "DIAS"


def note(*expert_ids: int | None) -> None:
    """Record, with the caller's transaction, that these experts changed for the engine."""
    db.session.info.setdefault(_NOTED, set()).update(i for i in expert_ids if i is not None)


def note_all() -> None:
    """Record, with the caller's transaction, that experts changed in bulk (every process
    builds its index again)."""
    db.session.info[_ALL] = True


def newest() -> int:
    """The number of the newest change (0 before any)."""
    return db.session.scalar(select(func.coalesce(func.max(ExpertChange.id), 0)))


def since(last: int) -> tuple[int, set[int] | None]:
    """The newest change number and the experts changed after `last`; None instead of the
    experts when a bulk change asks for the index to be built again."""
    rows = db.session.execute(
        select(ExpertChange.id, ExpertChange.expert_id)
        .where(ExpertChange.id > last)
        .order_by(ExpertChange.id)
    ).all()
    if not rows:
        return last, set()
    experts = {expert_id for _, expert_id in rows}
    return rows[-1][0], None if None in experts else experts


def _write(session: Session, expert_ids: Iterable[int], everyone: bool) -> None:
    ids = sorted(expert_ids)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    if everyone or len(ids) > BULK:
        marker = session.scalar(
            insert(ExpertChange).values(expert_id=None).returning(ExpertChange.id)
        )
        session.execute(delete(ExpertChange).where(ExpertChange.id < marker))
    elif ids:
        session.execute(insert(ExpertChange), [{"expert_id": i} for i in ids])


@event.listens_for(Session, "before_commit")
def _write_noted(session: Session) -> None:
    # At commit time, not when noted: the advisory lock then lasts for the commit alone.
    noted, everyone = session.info.pop(_NOTED, None), session.info.pop(_ALL, False)
    if noted or everyone:
        _write(session, noted or (), everyone)


@event.listens_for(Session, "after_transaction_end")
def _forget_noted(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back (a savepoint's end leaves them)
        session.info.pop(_NOTED, None)
        session.info.pop(_ALL, None)
