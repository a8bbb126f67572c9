"""Who would go where if every open project were staffed at once: a proposal for admins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.matching import ProjectNeed, RankedCandidate, allocate
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, ProjectStatus, User
from diaspora.services.permissions import require_admin


def propose_allocation() -> dict:
    """Who would go where if every open project were staffed at once (a proposal only), among
    the stored suggestions waiting for review: the pairs the review queue shows, read in two
    queries rather than every open project ranked again on each view."""
    projects = list(
        db.session.scalars(
            select(Project).where(Project.status == ProjectStatus.PUBLISHED).order_by(Project.id)
        )
    )
    pairs = db.session.execute(
        select(
            Match.project_id,
            Match.expert_id,
            Match.score,
            ExpertProfile.ref,
            ExpertProfile.hours_per_month,
        )
        .join(Project, Match.project_id == Project.id)
        .join(ExpertProfile, Match.expert_id == ExpertProfile.id)
        .where(Match.status == MatchStatus.SUGGESTED, Project.status == ProjectStatus.PUBLISHED)
        .order_by(Match.project_id, Match.score.desc(), Match.expert_id)
    ).all()
    ranked: dict[int, list[RankedCandidate]] = {}
    hours: dict[int, int | None] = {}
    for project_id, expert_id, score, ref, expert_hours in pairs:
        ranked.setdefault(project_id, []).append(RankedCandidate(expert_id, ref, score, {}, {}))
        hours[expert_id] = expert_hours or None
    needs = [
        ProjectNeed(id=p.id, ref=p.ref, hours_per_month=p.hours_per_month, seats=p.seats)
        for p in projects
    ]
    allocation = allocate(needs, ranked, hours)
    scores = {(p, s.candidate_id): s.score for p, pairs in ranked.items() for s in pairs}
    return {
        "status": allocation.status,
        "total_score": allocation.total_score,
        "projects": projects,
        "assignments": {
            p: [(c, scores[(p, c)]) for c in chosen] for p, chosen in allocation.assignments.items()
        },
    }


@dataclass(frozen=True)
class ProposedExpert:
    name: str  # the expert's name, or their profile id when the profile is gone
    score: float


@dataclass(frozen=True)
class AllocationRow:
    project: Project
    experts: list[ProposedExpert]


@dataclass(frozen=True)
class AllocationPage:
    """The allocation page: the solver's status and total score, and each open project with
    the experts proposed for it."""

    status: str
    total_score: float
    rows: list[AllocationRow]


def allocation_page(admin: User) -> AllocationPage:
    """`propose_allocation` with the proposed experts' names (one query for all of them)."""
    require_admin(admin)
    proposal = propose_allocation()
    assignments = proposal["assignments"]
    ids = {c for pairs in assignments.values() for c, _score in pairs}
    names = dict(
        db.session.execute(
            select(ExpertProfile.id, User.full_name)
            .join(User, ExpertProfile.user_id == User.id)
            .where(ExpertProfile.id.in_(ids))
        ).all()
        if ids
        else []
    )
    rows = [
        AllocationRow(
            project,
            [
                ProposedExpert(names.get(c, str(c)), score)
                for c, score in assignments.get(project.id, [])
            ],
        )
        for project in proposal["projects"]
    ]
    return AllocationPage(proposal["status"], proposal["total_score"], rows)
