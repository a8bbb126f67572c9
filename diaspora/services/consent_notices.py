"""Telling the experts paused by a new consent text (services/consent.py), once each."""

from __future__ import annotations

from diaspora.extensions import db
from diaspora.models import ExpertProfile
from diaspora.notifications.links import site_path
from diaspora.services import consent, expert_changes, notifications, rescoring
from diaspora.services.digest import locked_user


def send_notices() -> int:
    """Tell each paused expert, once per version, what changed and that their suggestions
    wait for their acceptance; every process's index learns they are paused, and stored
    suggestions are refreshed without them. Returns how many were told."""
    version = consent.current_version()
    paused = consent.paused_expert_ids()
    told = 0
    for profile_id in paused:
        profile = db.session.get(ExpertProfile, profile_id)
        user = locked_user(profile.user_id) if profile is not None else None
        if user is None or not consent.is_paused(profile):  # accepted meanwhile
            db.session.rollback()
            continue
        said = notifications.notify(
            user,
            "consent_changed",
            site_path("experts.consent_text"),
            once=f"consent:{version}",
            mail={"changes": consent.changes(user.locale)},
            version=version,
        )
        expert_changes.note(profile_id)
        told += said is not None
        db.session.commit()
    if told:  # a new version: its stored suggestions go (later runs find nobody new)
        rescoring.rescore_all()
    return told
