"""The weekly digest: one email per person with what their weekly choices gathered.

Each kind of content is a section: a function that, for one recipient, returns what is new
for them (and records it as told, in the digest's own transaction) or None. A recipient with
no section gets no email. Each recipient's digest commits alone, with its items marked sent:
running the command twice sends nothing twice, and a crash half-way loses nobody's digest.

Sections today: experts new to weekly saved searches; projects that fit an expert who chose
weekly project alerts (written as `DigestItem` rows when the project is published); the
notifications of the kinds a person receives weekly (services/notifications.py). A new
kind adds a function to SECTIONS and its templates (email/digest/_<kind>.txt and .html).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from diaspora.extensions import db
from diaspora.models import (
    AlertFrequency,
    DigestItem,
    ExpertProfile,
    Notification,
    Project,
    SavedSearch,
    User,
)
from diaspora.models.base import utcnow
from diaspora.notifications.links import absolute, external_url, site_path
from diaspora.notifications.outbox import enqueue
from diaspora.services import (
    audit,
    notifications,
    permissions,
    saved_search_alerts,
    unsubscribe,
)

PROJECT_ALERT = "project_alert"


@dataclass(frozen=True)
class Section:
    kind: str  # "saved_searches" or "projects": templates/email/digest.* render each
    content: Any


def _saved_searches(user: User) -> Section | None:
    searches = db.session.scalars(
        select(SavedSearch)
        .where(SavedSearch.user_id == user.id, SavedSearch.frequency == AlertFrequency.WEEKLY)
        .order_by(SavedSearch.name, SavedSearch.id)
    ).all()
    found = [news for saved in searches if (news := saved_search_alerts.new_experts(saved))]
    return Section("saved_searches", found) if found else None


@dataclass(frozen=True)
class FittingProject:
    project: Project
    score: int  # out of 100
    url: str


def _projects(user: User) -> Section | None:
    items = db.session.scalars(
        select(DigestItem).where(
            DigestItem.user_id == user.id,
            DigestItem.kind == PROJECT_ALERT,
            DigestItem.sent_at.is_(None),
        )
    ).all()
    if not items:
        return None
    now = utcnow()
    for item in items:
        item.sent_at = now
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    if profile is None or profile.alert_min_score is None:  # switched off since
        return None
    ids = {item.payload.get("project_id") for item in items}
    projects = {
        p.id: p
        for p in db.session.scalars(
            select(Project)
            .where(Project.id.in_(ids))
            .options(joinedload(Project.institution), selectinload(Project.skills))
        )
    }
    fitting = {}
    for item in items:
        project = projects.get(item.payload.get("project_id"))
        if project is not None and permissions.is_publicly_listed(project):  # still open
            fitting[project.id] = FittingProject(
                project,
                int(item.payload.get("score", 0)),
                external_url("opportunities.interest", project_id=project.id),
            )
    ordered = sorted(fitting.values(), key=lambda f: (-f.score, f.project.id))
    return Section("projects", ordered) if ordered else None


@dataclass(frozen=True)
class Told:
    notification: Notification
    url: str  # through the notification centre, so that opening it marks it read


def _notifications(user: User) -> Section | None:
    """The notifications of the kinds the user chose to receive weekly."""
    items = db.session.scalars(
        select(DigestItem).where(
            DigestItem.user_id == user.id,
            DigestItem.kind == notifications.DIGEST_KIND,
            DigestItem.sent_at.is_(None),
        )
    ).all()
    now = utcnow()
    for item in items:
        item.sent_at = now
    ids = [item.payload.get("id") for item in items]
    told = db.session.scalars(
        select(Notification)
        .where(Notification.id.in_(ids), Notification.user_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    content = [
        Told(n, absolute(site_path("notification_centre.open_one", notification_id=n.id)))
        for n in told
    ]
    return Section("notifications", content) if content else None


SECTIONS: tuple[Callable[[User], Section | None], ...] = (
    _saved_searches,
    _projects,
    _notifications,
)


def _recipients() -> list[int]:
    """Who may have something: owners of weekly searches, and people with pending items."""
    weekly = select(SavedSearch.user_id).where(SavedSearch.frequency == AlertFrequency.WEEKLY)
    pending = select(DigestItem.user_id).where(DigestItem.sent_at.is_(None))
    return sorted(set(db.session.scalars(weekly)) | set(db.session.scalars(pending)))


def locked_user(user_id: int) -> User | None:
    """The recipient, locked until their digest commits (PostgreSQL): two runs at once write
    one digest, the second finding everything already told."""
    query = select(User).where(User.id == user_id).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()
    return db.session.scalars(query).first()


@dataclass
class DigestRun:
    recipients: int = 0  # looked at
    sent: int = 0  # digests written to the outbox


def send_digests(progress: Callable[[int, int], None] | None = None) -> DigestRun:
    """Write each recipient's digest to the outbox (nothing for those with nothing new)."""
    ids = _recipients()
    run = DigestRun(recipients=len(ids))
    for done, user_id in enumerate(ids, 1):
        user = locked_user(user_id)
        if user is not None and user.active and user.email_verified_at is not None:
            sections = [s for s in (section(user) for section in SECTIONS) if s is not None]
            if sections:
                enqueue(
                    "digest",
                    user.email,
                    user.locale,
                    user=user,
                    unsubscribe_url=unsubscribe.url(user, unsubscribe.DIGEST),
                    sections=sections,
                    settings_url=external_url("main.dashboard"),
                )
                audit.record(None, "digest.sent", user, sections=[s.kind for s in sections])
                run.sent += 1
        db.session.commit()
        if progress:
            progress(done, len(ids))
    return run
