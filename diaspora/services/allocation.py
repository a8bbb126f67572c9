"""Who would go where if every open project were staffed at once: a proposal for admins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from diaspora.extensions import db
from diaspora.matching import allocate
from diaspora.models import ExpertProfile, Project, User
from diaspora.services.engine_inputs import load_projects, needs_for
from diaspora.services.match_index import current_index
from diaspora.services.permissions import require_admin
from diaspora.services.suggestions import today, top_k


def propose_allocation() -> dict:
    """Who would go where if every open project were staffed at once (a proposal only)."""
    projects = load_projects()
    index = current_index()
    needs = needs_for(projects)
    ranked = index.rank_all(needs, max(top_k(), 20), today=today())
    hours = {
        c: index.candidate(c).hours_per_month
        for pairs in ranked.values()
        for c in (s.candidate_id for s in pairs)
    }
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
