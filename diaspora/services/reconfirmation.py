"""Thirty days before a profile drops out of matching (twelve months without confirmation,
`matching.constraints.confirmation_cutoff`), its expert is reminded once, with a link that
confirms the profile in one click without logging in.

The link is signed and carries a digest of the confirmation date it was sent for: confirming
changes that date, so the link works once, and a reminder is sent once per confirmation
(a notification keyed by that date).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.matching.constraints import confirmation_cutoff
from diaspora.models import ExpertProfile, User
from diaspora.notifications.links import external_url, site_path
from diaspora.services import experts, match_states, notifications, tokens
from diaspora.services.digest import locked_user
from diaspora.services.errors import InvalidToken

REMIND_BEFORE = timedelta(days=30)
PURPOSE = "reconfirm"
# Long enough to be used after the profile dropped out (it then comes back).
MAX_AGE = 90 * 24 * 3600


def drop_date(confirmed_on: date) -> date:
    """The first day on which a profile confirmed on `confirmed_on` is no longer suggested."""
    try:
        return confirmed_on.replace(year=confirmed_on.year + 1) + timedelta(days=1)
    except ValueError:  # confirmed on 29 February
        return confirmed_on.replace(year=confirmed_on.year + 1, day=28) + timedelta(days=1)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def make_token(profile: ExpertProfile) -> str:
    stamp = profile.confirmed_at.isoformat() if profile.confirmed_at else ""
    return tokens.make(PURPOSE, {"p": profile.id, "c": tokens.fingerprint(stamp)})


def profile_for_token(token: str) -> ExpertProfile:
    """The profile the link confirms; InvalidToken when tampered, expired or already used."""
    payload = tokens.read(PURPOSE, token or "", MAX_AGE)
    profile_id = payload.get("p")
    profile = db.session.get(ExpertProfile, profile_id) if isinstance(profile_id, int) else None
    if profile is None or not profile.user.active:
        raise InvalidToken("invalid")
    stamp = profile.confirmed_at.isoformat() if profile.confirmed_at else ""
    if payload.get("c") != tokens.fingerprint(stamp):
        raise InvalidToken("used")
    return profile


def confirm_by_token(token: str) -> ExpertProfile:
    """Confirm the profile the link names (once)."""
    return experts.confirm_profile(profile_for_token(token).user)


def send_reminders(today: date | None = None) -> int:
    """Remind each consenting expert whose profile drops out within 30 days (once per
    confirmation); returns how many were reminded."""
    today = today or match_states.now().date()
    due = db.session.execute(
        select(ExpertProfile.id, ExpertProfile.user_id)
        .join(User, User.id == ExpertProfile.user_id)
        .where(
            User.active,
            ExpertProfile.consent_matching,
            ExpertProfile.confirmed_at.is_not(None),
            # Still suggested today, no longer in 30 days.
            ExpertProfile.confirmed_at >= _start_of(confirmation_cutoff(today)),
            ExpertProfile.confirmed_at < _start_of(confirmation_cutoff(today + REMIND_BEFORE)),
        )
        .order_by(ExpertProfile.id)
    ).all()
    told = 0
    for profile_id, user_id in due:
        user = locked_user(user_id)
        profile = db.session.get(ExpertProfile, profile_id)
        if user is None or profile is None or profile.confirmed_at is None:
            db.session.rollback()
            continue
        confirmed_on = profile.confirmed_at.date()
        deadline = drop_date(confirmed_on)
        said = notifications.notify(
            user,
            "reconfirm_reminder",
            site_path("main.dashboard"),
            once=f"reconfirm:{profile.confirmed_at.isoformat()}",
            mail={
                "confirm_url": external_url("experts.reconfirm", token=make_token(profile)),
                "profile_url": external_url("experts.edit"),
                "confirmed_on": confirmed_on,
                "deadline": deadline,
            },
            deadline=deadline.isoformat(),
        )
        told += said is not None
        db.session.commit()
    return told
