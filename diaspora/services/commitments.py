"""What experts and projects have already agreed to: the hours an expert has given away and the
seats a project has filled.

Until collaborations exist, an accepted invitation is the commitment: the expert gives the
project its monthly hours while the project is not closed, and holds one of its seats.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import Match, MatchStatus, Project, ProjectStatus


def committed_hours(expert_ids: Iterable[int] | None) -> dict[int, float]:
    """Monthly hours each expert (of `expert_ids`, or every expert for None) has committed to
    projects still running; experts with none are left out."""
    query = (
        select(Match.expert_id, func.sum(Project.hours_per_month))
        .join(Project, Match.project_id == Project.id)
        .where(Match.status == MatchStatus.ACCEPTED, Project.status != ProjectStatus.CLOSED)
    )
    if expert_ids is not None:
        query = query.where(Match.expert_id.in_(list(expert_ids)))
    rows = db.session.execute(query.group_by(Match.expert_id))
    return {expert_id: float(hours or 0) for expert_id, hours in rows if hours}


def committed_experts(project_id: int) -> list[int]:
    """The experts who hold a seat of the project (their hours follow its status)."""
    return list(
        db.session.scalars(
            select(Match.expert_id).where(
                Match.project_id == project_id,
                Match.status == MatchStatus.ACCEPTED,
                Match.expert_id.is_not(None),
            )
        )
    )


def seats_filled(project_ids: Iterable[int]) -> dict[int, int]:
    """Seats taken per project of `project_ids` (projects with none are left out)."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Match.project_id, func.count())
        .where(Match.status == MatchStatus.ACCEPTED, Match.project_id.in_(ids))
        .group_by(Match.project_id)
    )
    return dict(rows.all())
