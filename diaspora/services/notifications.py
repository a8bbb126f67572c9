"""Notifications: one call, `notify`, records what happened for someone in their notification
centre and, per their preference for that kind, puts its email in the outbox now, keeps it for
their weekly digest, or sends none. Transactional kinds are always emailed at once.

Like every email, it joins the caller's transaction: the notification exists if and only if
what it announces happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from diaspora.extensions import db
from diaspora.models import (
    AlertFrequency,
    DigestItem,
    Notification,
    NotificationPreference,
    User,
)
from diaspora.models.base import utcnow
from diaspora.notifications.kinds import KINDS, Kind, optional_kinds
from diaspora.notifications.links import absolute
from diaspora.notifications.outbox import enqueue
from diaspora.services import audit, unsubscribe
from diaspora.services.errors import NotFound, ValidationFailed

# The digest section that gathers the weekly kinds (services/digest.py).
DIGEST_KIND = "notification"
PAGE_SIZE = 50


def frequency(user: User, kind: str) -> str:
    """How `user` receives the emails of `kind` (transactional kinds: always at once)."""
    known = KINDS[kind]
    if not known.optional:
        return AlertFrequency.INSTANT
    chosen = db.session.get(NotificationPreference, (user.id, kind))
    return chosen.frequency if chosen is not None else known.default


def notify(
    user: User, kind: str, link: str, *, mail: dict | None = None, once: str | None = None, **params
) -> Notification | None:
    """Tell `user` that `kind` happened: `params` (plain JSON values) word it at display time,
    `link` is the site path it leads to, `mail` adds (or replaces, for the email alone) objects
    the email's templates read, such as the project itself where `params` keep its title.

    With `once`, a key such as "daily:2026-11-27", it is said at most once per user and key:
    None when it already was (the caller's transaction is left as it was).
    """
    if once is not None and db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == user.id, Notification.once_key == once
        )
    ):
        return None
    notification = Notification(user_id=user.id, kind=kind, params=params, link=link, once_key=once)
    db.session.add(notification)
    db.session.flush()  # its id, for the digest item
    how = frequency(user, kind)
    if not user.active or how == AlertFrequency.OFF:
        return notification
    if how == AlertFrequency.WEEKLY:
        db.session.add(
            DigestItem(user_id=user.id, kind=DIGEST_KIND, payload={"id": notification.id})
        )
        return notification
    optional = KINDS[kind].optional
    enqueue(
        kind,
        user.email,
        user.locale,
        user=user,
        unsubscribe_url=unsubscribe.url(user, unsubscribe.kind_topic(kind)) if optional else None,
        link_url=absolute(link),
        **{**params, **(mail or {})},  # the email's own objects win over the plain values
    )
    return notification


# -- the notification centre ------------------------------------------------------------------


def unread_count(user: User) -> int:
    """What the bell shows: one COUNT on the (user_id, read_at) index."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def latest(user: User, limit: int = PAGE_SIZE) -> list[Notification]:
    """The user's most recent notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` read; returns how many were."""
    done = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount
    db.session.commit()
    return done


def open_notification(user: User, notification_id: int) -> str:
    """Mark one of the user's notifications read and return where it leads (NotFound for
    anyone else's: its existence is not theirs to learn)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification.link


# -- preferences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preference:
    kind: Kind
    frequency: str


def preferences(user: User) -> list[Preference]:
    """Each optional kind for the user's role with how they receive it."""
    chosen = {
        p.kind: p.frequency
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    return [Preference(k, chosen.get(k.name, k.default)) for k in optional_kinds(user.role)]


def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Save the user's choice per optional kind ({kind: instant|weekly|off}); kinds not named
    keep theirs. A transactional or unknown kind, or an unknown rhythm, changes nothing."""
    allowed = {k.name for k in optional_kinds(user.role)}
    if any(k not in allowed or f not in AlertFrequency.ALL for k, f in choices.items()):
        raise ValidationFailed({"": ["unknown choice"]})
    changed = {}
    for kind, how in choices.items():
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=kind, frequency=KINDS[kind].default)
            db.session.add(row)
        if row.frequency != how:
            row.frequency = how
            changed[kind] = how
    if changed:
        audit.record(user, "notifications.preferences_changed", user, **changed)
    db.session.commit()
