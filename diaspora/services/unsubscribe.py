"""One-click unsubscribe from optional emails (RFC 8058): a signed link per recipient and
topic, used without logging in. Using it again changes nothing and says the same.

Topics: ``saved_search:<id>`` (that search's alerts), ``project_alerts`` (emails about new
projects), ``notification:<kind>`` (the emails of one optional kind of notification) and
``digest`` (everything the weekly digest carries).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from diaspora.extensions import db
from diaspora.models import (
    AlertFrequency,
    ExpertProfile,
    NotificationPreference,
    SavedSearch,
    User,
)
from diaspora.notifications.kinds import KINDS
from diaspora.notifications.links import external_url
from diaspora.services import audit, tokens
from diaspora.services.errors import InvalidToken

PURPOSE = "unsubscribe"
MAX_AGE = 5 * 365 * 24 * 3600  # an old email's link should still work
PROJECT_ALERTS = "project_alerts"
DIGEST = "digest"
NOTIFICATION = "notification:"


def saved_search_topic(saved_id: int) -> str:
    return f"saved_search:{saved_id}"


def kind_topic(kind: str) -> str:
    return f"{NOTIFICATION}{kind}"


def url(user: User, topic: str) -> str:
    """The absolute link that stops `topic`'s emails to `user`."""
    token = tokens.make(PURPOSE, {"u": user.id, "t": topic})
    return external_url("main.unsubscribe", token=token)


@dataclass(frozen=True)
class Unsubscription:
    topic: str  # PROJECT_ALERTS, DIGEST, "saved_search" or "notification"
    name: str  # the saved search's name, or the notification kind's label
    locale: str


def _read(token: str) -> tuple[User, str]:
    payload = tokens.read(PURPOSE, token or "", MAX_AGE)
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    topic = payload.get("t")
    if user is None or not isinstance(topic, str):
        raise InvalidToken("invalid")
    return user, topic


def _saved_search(user: User, topic: str) -> SavedSearch | None:
    number = topic.removeprefix("saved_search:")
    saved = db.session.get(SavedSearch, int(number)) if number.isdecimal() else None
    return saved if saved is not None and saved.user_id == user.id else None


def _set_preference(user: User, kind: str, frequency: str) -> bool:
    """Record how `user` wants `kind`'s emails; False when that was already so."""
    row = db.session.get(NotificationPreference, (user.id, kind))
    if row is not None and row.frequency == frequency:
        return False
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=frequency))
    else:
        row.frequency = frequency
    return True


def describe(token: str) -> Unsubscription:
    """What the link stops, for the page that asks to confirm; InvalidToken if tampered."""
    user, topic = _read(token)
    if topic.startswith("saved_search:"):
        saved = _saved_search(user, topic)
        return Unsubscription("saved_search", saved.name if saved else "", user.locale)
    if topic.startswith(NOTIFICATION):
        kind = KINDS.get(topic.removeprefix(NOTIFICATION))
        if kind is None or not kind.optional:
            raise InvalidToken("invalid")
        return Unsubscription("notification", str(kind.label), user.locale)
    if topic not in (PROJECT_ALERTS, DIGEST):
        raise InvalidToken("invalid")
    return Unsubscription(topic, "", user.locale)


def apply(token: str) -> Unsubscription:
    """Stop the emails the link names; InvalidToken if tampered. A deleted search or a second
    use finds nothing left to stop, which is the outcome asked for."""
    what = describe(token)
    user, topic = _read(token)
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if what.topic == "saved_search":
        saved = _saved_search(user, topic)
        if saved is not None and saved.frequency != AlertFrequency.OFF:
            saved.frequency = AlertFrequency.OFF
            audit.record(user, "saved_search.unsubscribed", saved)
    elif what.topic == "notification":
        kind = topic.removeprefix(NOTIFICATION)
        if _set_preference(user, kind, AlertFrequency.OFF):
            audit.record(user, "notifications.unsubscribed", user, kind=kind)
    elif what.topic == PROJECT_ALERTS:
        if profile is not None and profile.alert_min_score is not None:
            profile.alert_min_score = None
            audit.record(user, "expert.alerts_unsubscribed", profile)
    else:
        changed = db.session.execute(
            update(SavedSearch)
            .where(SavedSearch.user_id == user.id, SavedSearch.frequency == AlertFrequency.WEEKLY)
            .values(frequency=AlertFrequency.OFF)
        ).rowcount
        changed += db.session.execute(
            update(NotificationPreference)
            .where(
                NotificationPreference.user_id == user.id,
                NotificationPreference.frequency == AlertFrequency.WEEKLY,
            )
            .values(frequency=AlertFrequency.OFF)
        ).rowcount
        weekly = profile is not None and profile.alert_frequency == AlertFrequency.WEEKLY
        if weekly and profile.alert_min_score is not None:
            profile.alert_min_score = None
            changed += 1
        if changed:
            audit.record(user, "digest.unsubscribed", user)
    db.session.commit()
    return what
