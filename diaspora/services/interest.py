"""An expert's interest in a project: a suggestion the expert starts, reviewed like any other.

The expert writes a short note; the pair then waits in the admins' review queue as a suggestion
whose source is the expert. The institution learns nothing before an admin approves it (the
invitation then follows the usual flow); the expert is told the outcome either way: the
invitation, or an email saying their interest was not taken forward (rejected, with the admin's
reason when the admin chose to share it, or closed with the project).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload, undefer

from diaspora.extensions import db
from diaspora.models import Match, MatchSource, MatchStatus, Project, ProjectStatus, Role, User
from diaspora.notifications.links import external_url
from diaspora.notifications.outbox import enqueue
from diaspora.rules import text
from diaspora.services import audit, experts, match_states, opportunities, permissions
from diaspora.services.engine_inputs import engine_version, weights
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.locks import lock_project

S = MatchStatus
MAX_NOTE = 500

# Why an expert's interest ended without an invitation, as the email says it.
NOT_TAKEN = ("rejected", "project_closed", "seats_filled")


@dataclass(frozen=True)
class InterestPage:
    """A project as the expert weighs expressing interest: how they fit (None when nothing can
    be ranked: no profile, no consent, the project no longer open) and, when they cannot ask,
    why in words."""

    project: Project
    opportunity: opportunities.Opportunity | None
    refusal: str | None


def _project(user: User, project_id: int) -> Project:
    if not permissions.is_logged_in(user) or user.role != Role.EXPERT:
        raise PermissionDenied("experts only")
    project = db.session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(
            joinedload(Project.institution),
            selectinload(Project.skills),
            undefer(Project.text_vector),
        )
    )
    # A draft is as good as absent, as on the project's own page.
    if project is None or not permissions.can_view_project(user, project):
        raise NotFound("project")
    return project


def _history_refusal(o: opportunities.Opportunity) -> str | None:
    match = o.match
    if o.history == "interest_sent":
        return _(
            "You already expressed interest in this project on %(date)s: an administrator "
            "will review it, and you will hear from us either way.",
            date=format_date(match.created_at),
        )
    if o.history == S.INVITED:
        return _("You are already invited to this project: your invitation waits for an answer.")
    if o.history == S.ACCEPTED:
        return _("You already accepted an invitation to this project.")
    if o.history is not None:
        return " ".join(o.reasons[-1:])  # declined, expired, closed, not taken forward…
    if match is not None and match.source in (MatchSource.MANUAL, MatchSource.INSTITUTION):
        return _(
            "Your profile is already proposed for this project: an administrator will review "
            "it, and you will hear from us if you are invited."
        )
    return None


def _refusal(user: User, project: Project) -> tuple[opportunities.Opportunity | None, str | None]:
    """How the expert fits `project`, and why they may not express interest (None if they may)."""
    if project.status == ProjectStatus.CLOSED:
        return None, _("This project is closed: it no longer takes experts.")
    if not permissions.is_publicly_listed(project):
        return None, _("This project is not open to experts at the moment.")
    if not opportunities.is_open(project):
        return None, _("All the places of this project are taken.")
    profile = experts.own_profile(user)
    if profile is None:
        return None, _("Build your profile first: the administrators read it with your note.")
    if not profile.consent_matching:
        return None, _(
            "You have not agreed to matching: agree to it in your profile to express interest."
        )
    [o] = opportunities.assess(profile, [project])
    refusal = _history_refusal(o)
    if refusal is None and not o.fits:
        refusal = " ".join(
            [_("This project does not fit your profile:"), *o.reasons]
            + [_("If your profile has changed, update it first.")]
        )
    return o, refusal


def interest_page(user: User, project_id: int) -> InterestPage:
    """The interest page of a project for the expert `user`; NotFound for a project they may
    not see."""
    project = _project(user, project_id)
    opportunity, refusal = _refusal(user, project)
    return InterestPage(project, opportunity, refusal)


def _clean_note(note: str | None) -> str:
    note = text.clean_text(note or "").strip()
    if not note:
        raise ValidationFailed({"note": [_("Write a few words for the administrators.")]})
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": [_("At most %(n)d characters.", n=MAX_NOTE)]})
    return note


def express(user: User, project_id: int, note: str) -> Match:
    """The expert asks to join a project, with a note: a suggestion from the expert waits in
    the review queue (an engine suggestion already waiting there becomes theirs). Refused,
    changing nothing, when the project is not open, the profile does not fit it, or the pair
    already has a history."""
    note = _clean_note(note)
    project = _project(user, project_id)
    lock_project(project.id)  # a close, an approval or an answer on the project waits
    opportunity, refusal = _refusal(user, project)
    if refusal is not None:
        db.session.rollback()
        raise ValidationFailed(refusal)
    match = opportunity.match
    if match is None:
        match = Match(
            project_id=project.id,
            expert_id=experts.own_profile(user).id,
            status=S.SUGGESTED,
            created_at=match_states.now(),
        )
        db.session.add(match)
    match.source = MatchSource.EXPERT
    match.proposed_by_id = user.id
    match.proposal_note = note
    match.score = round(float(opportunity.score), 6)
    match.explanation = opportunity.explanation
    match.engine_version = engine_version()
    match.weights = weights().as_dict()
    try:
        db.session.flush()
    except IntegrityError:  # the engine stored the pair a moment ago: ask again
        db.session.rollback()
        raise ValidationFailed(_("Something changed meanwhile: please send it again.")) from None
    audit.record(
        user,
        "match.interest_expressed",
        match,
        project=project.id,
        expert=match.expert_id,
        score=match.score,
        engine_version=match.engine_version,
        weights=match.weights,
    )
    db.session.commit()
    return match


def tell_not_taken(match: Match, why: str, reason: str | None = None) -> None:
    """Email the expert that their interest ended without an invitation (`why` in NOT_TAKEN),
    with the admin's reason when they chose to share it; the caller commits. Suggestions from
    any other source end silently: their expert never knew of them."""
    if match.source != MatchSource.EXPERT or match.expert is None:
        return
    user = match.expert.user
    enqueue(
        "interest_not_taken",
        user.email,
        user.locale,
        user=user,
        project=match.project,
        why=why,
        reason=reason,
        projects_url=external_url("opportunities.for_me"),
        contest_url=external_url("contests.new", match_id=match.id) if why == "rejected" else None,
    )
