"""The admins' daily summary: what waits for them (institutions to verify, suggestions waiting
for more than three days, proposals by institutions and experts' expressions of interest,
collaborations accepted but not started after two weeks), with counts and links.

Nothing is sent when nothing waits. Each admin's summary is said once per day (a notification
keyed by the date, services/notifications.py): running the command twice sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import (
    Collaboration,
    CollaborationStatus,
    Institution,
    Match,
    MatchSource,
    MatchStatus,
    Project,
    ProjectStatus,
    Role,
    User,
)
from diaspora.notifications.links import absolute, site_path
from diaspora.services import match_states, notifications
from diaspora.services.digest import locked_user

SUGGESTION_WAIT = timedelta(days=3)
COLLABORATION_WAIT = timedelta(days=14)

# What each count is called and where it is handled, in the order the summary lists them.
LABELS = {
    "institutions": (_l("Institutions to verify"), "admin.institutions_list"),
    "suggestions": (_l("Suggestions waiting for more than 3 days"), "review.review_queue"),
    "proposals": (_l("Experts proposed by institutions"), "review.review_queue"),
    "interests": (_l("Experts' expressions of interest"), "review.review_queue"),
    "collaborations": (
        _l("Collaborations accepted but not started after 2 weeks"),
        "collaborations.report",
    ),
}


@dataclass(frozen=True)
class Line:
    label: str  # lazy: said in the language of the email it is in
    count: int
    url: str


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def waiting_work() -> dict[str, int]:
    """The counts of what waits for an admin now (only those above zero)."""
    moment = match_states.now()
    suggestions = (
        select(Match.id)
        .join(Project, Match.project_id == Project.id)
        .where(Match.status == MatchStatus.SUGGESTED, Project.status == ProjectStatus.PUBLISHED)
    )
    counts = {
        "institutions": _count(
            select(Institution.id).where(
                Institution.verified_at.is_(None), Institution.refused_at.is_(None)
            )
        ),
        "suggestions": _count(
            suggestions.where(
                Match.source.in_((MatchSource.ENGINE, MatchSource.MANUAL)),
                Match.created_at <= moment - SUGGESTION_WAIT,
            )
        ),
        "proposals": _count(suggestions.where(Match.source == MatchSource.INSTITUTION)),
        "interests": _count(suggestions.where(Match.source == MatchSource.EXPERT)),
        "collaborations": _count(
            select(Collaboration.id).where(
                Collaboration.status == CollaborationStatus.ACCEPTED,
                Collaboration.created_at <= moment - COLLABORATION_WAIT,
            )
        ),
    }
    return {name: n for name, n in counts.items() if n}


def send_summaries(today: date | None = None) -> int:
    """Tell each active admin what waits, once per day; returns how many were told."""
    today = today or match_states.now().date()
    counts = waiting_work()
    if not counts:
        return 0
    lines = [
        Line(label, counts[name], absolute(site_path(endpoint)))  # worded per reader
        for name, (label, endpoint) in LABELS.items()
        if name in counts
    ]
    admin_ids = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active).order_by(User.id)
    ).all()
    told = 0
    for admin_id in admin_ids:
        admin = locked_user(admin_id)  # two runs at once: the second waits, then finds it said
        if admin is not None and notifications.notify(
            admin,
            "admin_daily",
            site_path("admin.index"),
            once=f"daily:{today.isoformat()}",
            mail={"lines": lines, "day": today},
            counts=counts,
        ):
            told += 1
        db.session.commit()
    return told
