"""The pipeline of a project as its institution sees it: how many experts at each step."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import joinedload

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, User
from diaspora.services.errors import NotFound
from diaspora.services.permissions import can_see_pipeline, member_institution_ids, visible_to
from diaspora.services.projects import list_for_institutions

S = MatchStatus
# The steps in the order a match goes through them. Rejected suggestions stay between the
# admins and the engine: institutions see what was put forward, not what was turned down.
STEPS = (S.SUGGESTED, S.INVITED, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CLOSED)
# Suggestions waiting for review are a bare number here; experts are named from their
# invitation on (the review queue is where admins read the suggestions themselves).
NAMED_STEPS = STEPS[1:]


@dataclass(frozen=True)
class Pipeline:
    project: Project
    counts: dict[str, int]
    by_status: dict[str, list[Match]]


def _counted(viewer: User) -> ColumnElement[bool]:
    # What the viewer may know of, plus how many suggestions wait for review: unreviewed by
    # definition, they are counted while waiting and drop out of every count once closed.
    return or_(Match.status == S.SUGGESTED, visible_to(viewer))


def _counts(viewer: User, project_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {pid: dict.fromkeys(STEPS, 0) for pid in project_ids}
    if not project_ids:
        return counts
    rows = db.session.execute(
        select(Match.project_id, Match.status, func.count())
        .where(Match.project_id.in_(project_ids), Match.status.in_(STEPS), _counted(viewer))
        .group_by(Match.project_id, Match.status)
    )
    for project_id, status, n in rows:
        counts[project_id][status] = n
    return counts


def project_pipeline(viewer: User, project_id: int) -> Pipeline:
    """One project's pipeline, for members of its institution and admins (NotFound for
    anyone else, so other institutions cannot probe project ids). Members see only the
    experts an admin approved; admins see every match, as everywhere. Three queries, however
    many experts it names."""
    project = db.session.scalar(
        select(Project).where(Project.id == project_id).options(joinedload(Project.institution))
    )
    if project is None or not can_see_pipeline(viewer, project):
        raise NotFound("project")
    matches = db.session.scalars(
        select(Match)
        .where(Match.project_id == project.id, Match.status.in_(NAMED_STEPS), visible_to(viewer))
        .options(joinedload(Match.expert).joinedload(ExpertProfile.user))
        .order_by(Match.score.desc(), Match.id)
    ).all()
    by_status: dict[str, list[Match]] = {step: [] for step in STEPS}
    for match in matches:
        by_status[match.status].append(match)
    return Pipeline(project, _counts(viewer, [project.id])[project.id], by_status)


def institution_pipelines(viewer: User) -> list[tuple[Project, dict[str, int]]]:
    """Every project of the viewer's institutions with its counts per step, newest first."""
    institution_ids = member_institution_ids(viewer)
    if not institution_ids:
        return []
    projects = list_for_institutions(institution_ids)
    counts = _counts(viewer, [p.id for p in projects])
    return [(p, counts[p.id]) for p in projects]
