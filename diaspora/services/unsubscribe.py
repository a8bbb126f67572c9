"""One-click unsubscribe from optional emails (RFC 8058): a signed link per recipient and
topic, used without logging in. Using it again changes nothing and says the same.

Topics: ``saved_search:<id>`` (that search's alerts), ``project_alerts`` (emails about new
projects) and ``digest`` (everything the weekly digest carries).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from diaspora.extensions import db
from diaspora.models import AlertFrequency, ExpertProfile, SavedSearch, User
from diaspora.notifications.links import external_url
from diaspora.services import audit, tokens
from diaspora.services.errors import InvalidToken

PURPOSE = "unsubscribe"
MAX_AGE = 5 * 365 * 24 * 3600  # an old email's link should still work
PROJECT_ALERTS = "project_alerts"
DIGEST = "digest"


def saved_search_topic(saved_id: int) -> str:
    return f"saved_search:{saved_id}"


def url(user: User, topic: str) -> str:
    """The absolute link that stops `topic`'s emails to `user`."""
    token = tokens.make(PURPOSE, {"u": user.id, "t": topic})
    return external_url("main.unsubscribe", token=token)


@dataclass(frozen=True)
class Unsubscription:
    topic: str  # PROJECT_ALERTS, DIGEST or "saved_search"
    name: str  # the saved search's name, for its topic
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


def describe(token: str) -> Unsubscription:
    """What the link stops, for the page that asks to confirm; InvalidToken if tampered."""
    user, topic = _read(token)
    if topic.startswith("saved_search:"):
        saved = _saved_search(user, topic)
        return Unsubscription("saved_search", saved.name if saved else "", user.locale)
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
        weekly = profile is not None and profile.alert_frequency == AlertFrequency.WEEKLY
        if weekly and profile.alert_min_score is not None:
            profile.alert_min_score = None
            changed += 1
        if changed:
            audit.record(user, "digest.unsubscribed", user)
    db.session.commit()
    return what
