"""Optional messages and the weekly digest.

Invitations and answers to them are always sent at once. Optional messages (a new project in
your sectors...) follow the recipient's `notification_mode`: "immediate" sends them as usual,
"weekly" holds them in the outbox (status "held", which the worker never sends) until the next
Monday 08:00 UTC, when `send_digests` gathers each person's held messages into one email.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.models import OutboxMessage, User
from diaspora.models.base import utcnow
from diaspora.notifications.outbox import enqueue

HELD = "held"
DIGESTED = "digested"  # delivered as part of a digest email
PREFIX = "optional."
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 8


def next_digest_at(moment: datetime) -> datetime:
    """The first Monday 08:00 UTC strictly after `moment`."""
    start = moment.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    days = (DIGEST_WEEKDAY - moment.weekday()) % 7
    candidate = start + timedelta(days=days)
    return candidate if candidate > moment else candidate + timedelta(days=7)


def notify_optional(user: User, kind: str, **context) -> OutboxMessage:
    """Queue an optional message (templates/email/<kind>.*) now, or for the weekly digest.
    The caller commits, as with `enqueue`."""
    message = enqueue(kind, user.email, user.locale, user=user, **context)
    message.kind = PREFIX + kind
    if user.notification_mode == "weekly":
        message.status = HELD
        message.next_attempt_at = next_digest_at(utcnow())
    return message


def send_digests(now: datetime | None = None) -> int:
    """Write one digest email per person whose held messages are due; returns how many were
    written.

    Each person's messages are claimed with a conditional UPDATE and committed with their
    digest, so running this twice (or twice at once) never sends a message twice.
    """
    now = now or utcnow()
    table = OutboxMessage.__table__
    user_ids = db.session.scalars(
        select(OutboxMessage.user_id).distinct()
        .where(OutboxMessage.status == HELD, OutboxMessage.next_attempt_at <= now,
               OutboxMessage.user_id.is_not(None))
    ).all()
    sent = 0
    for user_id in sorted(user_ids):
        rows = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.user_id == user_id, OutboxMessage.status == HELD,
                   OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
        ).all()
        ids = [row.id for row in rows]
        claimed = db.session.execute(
            table.update().where(table.c.id.in_(ids), table.c.status == HELD)
            .values(status=DIGESTED, sent_at=now)
        )
        if claimed.rowcount != len(ids):
            db.session.rollback()  # another run is on it
            continue
        user = db.session.get(User, user_id)
        if user.active:
            enqueue("digest", user.email, user.locale, user=user, items=rows)
            sent += 1
        db.session.commit()
    return sent
