"""Experts' stays in Morocco (on-site windows): declared on the profile, read by matching so
that on-site and hybrid projects find the people who will be there. A window that is over is
no longer shown or counted."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from diaspora import geo
from diaspora.extensions import db
from diaspora.models import ExpertProfile, OnSiteWindow, Role, User
from diaspora.models.base import utcnow
from diaspora.services import audit, expert_changes, rescoring
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.locks import lock_expert

# A stay is at most a year (someone there for longer lives there: their residence says so),
# and a profile lists at most this many upcoming ones.
MAX_DAYS = 366
MAX_UPCOMING = 20


def today() -> date:
    return utcnow().date()


def upcoming(profile: ExpertProfile) -> list[OnSiteWindow]:
    """The profile's windows that are not over, first one first (none for an unsaved one)."""
    if profile.id is None:
        return []
    return list(
        db.session.scalars(
            select(OnSiteWindow)
            .where(OnSiteWindow.expert_id == profile.id, OnSiteWindow.ends_on >= today())
            .order_by(OnSiteWindow.starts_on, OnSiteWindow.id)
        )
    )


def _own_profile(user: User) -> ExpertProfile:
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None:
        raise ValidationFailed({"": [_("Save your profile first, then add your stays.")]})
    return profile


def _own_window(user: User, window_id: int) -> OnSiteWindow:
    window = db.session.get(OnSiteWindow, window_id)
    if window is None or window.expert.user_id != user.id:
        raise NotFound("window")
    return window


def _validated(starts_on: date | None, ends_on: date | None, city: str) -> tuple[date, date, str]:
    errors: dict[str, list[str]] = {}
    if starts_on is None:
        errors["starts_on"] = [_("Give the first day of the stay.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the last day of the stay.")]
    place = geo.moroccan_city(city)
    if place is None:
        errors["city"] = [_("Choose a city from the list.")]
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = [_("The last day comes before the first.")]
        elif ends_on < today():
            errors["ends_on"] = [_("This stay is over.")]
        elif ends_on - starts_on > timedelta(days=MAX_DAYS - 1):
            errors["ends_on"] = [_("A stay lasts at most a year.")]
    if errors:
        raise ValidationFailed(errors)
    return starts_on, ends_on, place[0]


def _refuse_overlap(
    profile: ExpertProfile, start: date, end: date, window_id: int | None = None
) -> None:
    """Stays of one expert may not overlap: matching would count the shared days twice."""
    query = select(OnSiteWindow).where(
        OnSiteWindow.expert_id == profile.id,
        OnSiteWindow.ends_on >= today(),  # those over are no longer shown nor counted
        OnSiteWindow.starts_on <= end,
        OnSiteWindow.ends_on >= start,
    )
    if window_id is not None:
        query = query.where(OnSiteWindow.id != window_id)
    other = db.session.scalar(query.order_by(OnSiteWindow.starts_on).limit(1))
    if other is not None:
        message = _(
            "These dates overlap your stay in %(city)s from %(first)s to %(last)s: its days "
            "would count twice. Change the dates, or change that stay instead.",
            city=other.city,
            first=format_date(other.starts_on),
            last=format_date(other.ends_on),
        )
        raise ValidationFailed({"starts_on": [message]})


def _saved(user: User, profile: ExpertProfile, action: str, window: OnSiteWindow) -> None:
    audit.record(
        user,
        action,
        profile,
        window=window.id,
        starts_on=window.starts_on.isoformat(),
        ends_on=window.ends_on.isoformat(),
        city=window.city,
    )
    expert_changes.note(profile.id)
    db.session.commit()
    rescoring.rescore_expert(profile.id)


def add_window(user: User, starts_on: date | None, ends_on: date | None, city: str):
    """Declare a stay in Morocco."""
    if user.role != Role.EXPERT:
        raise PermissionDenied()
    profile = _own_profile(user)
    start, end, name = _validated(starts_on, ends_on, city)
    lock_expert(profile.id)  # another request adding or changing a stay waits, or is seen
    _refuse_overlap(profile, start, end)
    if len(upcoming(profile)) >= MAX_UPCOMING:
        raise ValidationFailed({"": [_("A profile lists at most %(n)d stays.", n=MAX_UPCOMING)]})
    window = OnSiteWindow(expert_id=profile.id, starts_on=start, ends_on=end, city=name)
    db.session.add(window)
    db.session.flush()
    _saved(user, profile, "expert.window_added", window)
    return window


def update_window(
    user: User, window_id: int, starts_on: date | None, ends_on: date | None, city: str
):
    """Change a declared stay."""
    window = _own_window(user, window_id)
    start, end, name = _validated(starts_on, ends_on, city)
    lock_expert(window.expert_id)  # as in add_window
    _refuse_overlap(window.expert, start, end, window.id)
    window.starts_on, window.ends_on, window.city = start, end, name
    _saved(user, window.expert, "expert.window_changed", window)
    return window


def delete_window(user: User, window_id: int) -> None:
    """Remove a declared stay."""
    window = _own_window(user, window_id)
    profile = window.expert
    db.session.delete(window)
    _saved(user, profile, "expert.window_removed", window)
