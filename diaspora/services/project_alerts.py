"""Alerts: experts get an email when a newly published project fits them well enough.

Each expert chooses the score (out of 100) from which a new project is worth an email, or no
such emails (`ExpertProfile.alert_min_score`, None for "off"), and when: at once or in the
weekly digest (`ExpertProfile.alert_frequency`). On publication the index scores every expert
for the project at once (`Index.above`, the hard constraints applied); those at or over their
own bar get one email each, or an item of their next digest, in one transaction.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from diaspora.extensions import db
from diaspora.models import AlertFrequency, DigestItem, ExpertProfile, Project, Role, User
from diaspora.models.experts import DEFAULT_ALERT_MIN_SCORE
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.services import audit, experts, permissions, unsubscribe
from diaspora.services.engine_inputs import needs_for
from diaspora.services.errors import PermissionDenied, ValidationFailed
from diaspora.services.match_index import current_index
from diaspora.services.suggestions import today

# The bars an expert may choose, out of 100; below 50 most projects would qualify.
CHOICES = (50, 60, 70, 80, 90)
FREQUENCIES = (AlertFrequency.INSTANT, AlertFrequency.WEEKLY)
DEFAULT = DEFAULT_ALERT_MIN_SCORE
_CHUNK = 1000  # ids per IN (...) list


def set_min_score(user: User, min_score: int | None, frequency: str | None = None) -> None:
    """The expert's bar for alerts: one of CHOICES, or None for no alerts; and when they come
    (FREQUENCIES; None keeps the current choice)."""
    if not permissions.is_logged_in(user) or user.role != Role.EXPERT:
        raise PermissionDenied("experts only")
    if min_score is not None and min_score not in CHOICES:
        raise ValidationFailed({"min_score": [_("Choose a value from the list.")]})
    if frequency is not None and frequency not in FREQUENCIES:
        raise ValidationFailed({"frequency": [_("Choose a value from the list.")]})
    profile = experts.own_profile(user)
    if profile is None:
        raise ValidationFailed(_("Build your profile first."))
    frequency = frequency or profile.alert_frequency
    if (profile.alert_min_score, profile.alert_frequency) != (min_score, frequency):
        audit.record(
            user, "expert.alerts_changed", profile, min_score=min_score, frequency=frequency
        )
        profile.alert_min_score, profile.alert_frequency = min_score, frequency
    db.session.commit()


def _max_per_project() -> int:
    """At most this many alerts for one project (PROJECT_ALERTS_MAX), the best fits first, so
    that publishing stays quick whatever the number of experts."""
    return current_app.config["PROJECT_ALERTS_MAX"]


def _recipients(ids: list[int]) -> dict[int, ExpertProfile]:
    """The experts of `ids` who want alerts and can read them (an active, confirmed account
    they can log in to), with their account."""
    found: dict[int, ExpertProfile] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = db.session.scalars(
            select(ExpertProfile)
            .join(User, User.id == ExpertProfile.user_id)
            .where(
                ExpertProfile.id.in_(ids[start : start + _CHUNK]),
                ExpertProfile.alert_min_score.is_not(None),
                User.active.is_(True),
                User.email_verified_at.is_not(None),
                User.password_hash.is_not(None),
            )
            .options(joinedload(ExpertProfile.user))
        )
        found.update((p.id, p) for p in rows)
    return found


def alert_experts(project_id: int) -> int:
    """Email every expert whose score for the newly published project reaches their own bar;
    returns how many were written (emails and digest items). Nothing for a project that is
    not publicly listed."""
    project = db.session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(joinedload(Project.institution), selectinload(Project.skills))
    )
    if project is None or not permissions.is_publicly_listed(project):
        return 0
    [need] = needs_for([project])
    index = current_index()
    day = today()
    over = index.above(need, min(CHOICES) / 100, today=day)
    recipients = _recipients([expert_id for expert_id, _score in over])
    sent = 0
    for expert_id, score in over:
        profile = recipients.get(expert_id)
        if profile is None or round(score * 100) < profile.alert_min_score:
            continue
        user = profile.user
        if profile.alert_frequency == AlertFrequency.WEEKLY:
            payload = {"project_id": project.id, "score": round(score * 100)}
            db.session.add(DigestItem(user_id=user.id, kind="project_alert", payload=payload))
            sent += 1
            continue
        enqueue(
            "project_alert",
            user.email,
            user.locale,
            user=user,
            unsubscribe_url=unsubscribe.url(user, unsubscribe.PROJECT_ALERTS),
            project=project,
            score=score,
            min_score=profile.alert_min_score,
            explanation=index.explain(need, expert_id, day).explanation,
            interest_url=external_url("opportunities.interest", project_id=project.id),
            settings_url=external_url("opportunities.for_me") + "#alerts",
        )
        sent += 1
        if sent >= _max_per_project():
            break
    if sent:
        audit.record(None, "project.alerts_sent", project, ref=project.ref, experts=sent)
    db.session.commit()
    return sent
