"""An institution proposes an expert it found for one of its published projects.

The proposal is a suggestion like the engine's (status ``suggested``, scored and explained by
the engine), marked with its source, the member who proposed it and their note. It waits in
the admins' review queue: nothing is written to the expert before an admin approves it, which
then sends the usual invitation. Recomputes replace the engine's suggestions only, so a
proposal stays until an admin decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, MatchSource, MatchStatus, Project
from diaspora.rules import text
from diaspora.services import permissions, reviews
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.expert_search import proposable_projects
from diaspora.services.suggestions import today

MAX_NOTE = 1000

S = MatchStatus


@dataclass(frozen=True)
class ProposalPage:
    """The proposal form: the expert, what the reader sees of them, and the projects."""

    expert: ExpertProfile
    hidden: frozenset[str]
    projects: list[Project]


def _findable_expert(member, ref: str) -> ExpertProfile:
    """The expert with `ref` if `member` may propose experts and a search finds this one."""
    if not permissions.can_search_experts(member) or permissions.is_admin(member):
        raise PermissionDenied("proposals are for members of verified institutions")
    expert = db.session.scalar(
        select(ExpertProfile)
        .where(ExpertProfile.ref == text.clean_line(ref)[:64])
        .options(joinedload(ExpertProfile.user))
    )
    # An expert a search cannot find is not to be reached by guessing their reference.
    if expert is None or not permissions.is_findable(expert, today()):
        raise NotFound("expert")
    return expert


def proposal_page(member, ref: str) -> ProposalPage:
    """What the proposal form shows `member` about the expert `ref`, and their projects."""
    expert = _findable_expert(member, ref)
    return ProposalPage(
        expert, permissions.hidden_from(member, expert), proposable_projects(member)
    )


def _already(status: str) -> ValidationFailed:
    """The refusal of a pair the project already has a match for, in `status`."""
    if status == S.SUGGESTED:
        message = _("This expert already waits for an administrator's review for this project.")
    elif status in (S.INVITED, S.ACCEPTED):
        message = _("This expert has already been invited to this project.")
    else:
        message = _("This expert was already considered for this project.")
    return ValidationFailed({"project_id": [message]})


def propose(member, ref: str, project_id: int | None, note: str) -> Match:
    """Put the expert `ref` in the review queue for one of `member`'s published projects, with
    the member's note; nobody is written to before an admin approves."""
    expert = _findable_expert(member, ref)
    project = db.session.get(Project, project_id) if project_id else None
    errors: dict[str, list[str]] = {}
    if project is None or not permissions.can_propose_for(member, project):
        errors["project_id"] = [_("Choose one of your institution's published projects.")]
    note = text.clean_text(note or "")
    if not note:
        errors["note"] = [_("Say in a few words why this expert fits the project.")]
    elif len(note) > MAX_NOTE:
        errors["note"] = [_("Keep it under %(n)d characters.", n=MAX_NOTE)]
    if errors:
        raise ValidationFailed(errors)
    existing = db.session.scalar(
        select(Match.status).where(Match.project_id == project.id, Match.expert_id == expert.id)
    )
    if existing is not None:
        raise _already(existing)
    match = reviews.queue_suggestion(
        member,
        project,
        expert,
        MatchSource.INSTITUTION,
        "match.proposed",
        _already(S.SUGGESTED),
        proposed_by_id=member.id,
        proposal_note=note,
    )
    db.session.commit()
    return match
