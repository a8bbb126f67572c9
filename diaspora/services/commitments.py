"""What experts and projects have committed to: the one place that counts seats filled and
hours promised, for every reader (closing a full project, the experts' list of open projects,
capacity rules).

A seat is filled by an accepted match whose collaboration is not cancelled: accepted but not
yet started, active or completed. An expert's hours are committed by the collaborations not
yet over (accepted or active) on projects not closed, at the project's hours a month.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select

from diaspora.extensions import db
from diaspora.models import (
    Collaboration,
    CollaborationStatus,
    Match,
    MatchStatus,
    Project,
    ProjectStatus,
)

C = CollaborationStatus


def _cancelled(match_id) -> ColumnElement[bool]:
    return exists().where(Collaboration.match_id == match_id, Collaboration.status == C.CANCELLED)


# The SQL condition on a match that holds a seat of its project.
HOLDS_SEAT: ColumnElement[bool] = and_(
    Match.status == MatchStatus.ACCEPTED, not_(_cancelled(Match.id))
)


def seats_filled_of_project():
    """A correlated subquery: the seats filled of the `Project` of the enclosing query."""
    return (
        select(func.count())
        .select_from(Match)
        .where(Match.project_id == Project.id, HOLDS_SEAT)
        .correlate(Project)
        .scalar_subquery()
    )


def seats_filled(project_ids: Iterable[int]) -> dict[int, int]:
    """Seats filled per project (0 for those with none), in one query."""
    ids = list(dict.fromkeys(project_ids))
    filled = dict.fromkeys(ids, 0)
    if ids:
        rows = db.session.execute(
            select(Match.project_id, func.count())
            .where(Match.project_id.in_(ids), HOLDS_SEAT)
            .group_by(Match.project_id)
        )
        filled.update(dict(rows.all()))
    return filled


def committed_hours(expert_ids: Iterable[int] | None) -> dict[int, float]:
    """Hours a month each expert (of `expert_ids`, or every expert for None) has promised to
    collaborations not yet over (accepted or active) on projects not closed, in one query;
    experts with none are left out. An accepted match without its collaboration row (written
    before collaborations existed, or by a test) counts as accepted."""
    ongoing = or_(Collaboration.id.is_(None), Collaboration.status.in_(C.COMMITTED))
    query = (
        select(Match.expert_id, func.sum(Project.hours_per_month))
        .join(Project, Match.project_id == Project.id)
        .outerjoin(Collaboration, Collaboration.match_id == Match.id)
        .where(
            Match.status == MatchStatus.ACCEPTED,
            Project.status != ProjectStatus.CLOSED,
            ongoing,
        )
    )
    if expert_ids is not None:
        ids = list(dict.fromkeys(expert_ids))
        if not ids:
            return {}
        query = query.where(Match.expert_id.in_(ids))
    rows = db.session.execute(query.group_by(Match.expert_id))
    return {expert_id: float(hours) for expert_id, hours in rows if hours}


def committed_experts(project_id: int) -> list[int]:
    """The experts who hold a seat of the project (their hours follow its status)."""
    return list(
        db.session.scalars(
            select(Match.expert_id).where(
                Match.project_id == project_id, HOLDS_SEAT, Match.expert_id.is_not(None)
            )
        )
    )
