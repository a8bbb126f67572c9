"""Who would go where if every open project were staffed at once: a proposal for admins, who
can apply it to the review queue (the proposed pairs then come first there)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from diaspora.extensions import db
from diaspora.matching import ProjectNeed, RankedCandidate, allocate
from diaspora.models import ExpertProfile, Match, MatchStatus, Project, ProjectStatus, User
from diaspora.models.base import utcnow
from diaspora.services import audit
from diaspora.services.commitments import committed_hours, seats_filled
from diaspora.services.permissions import require_admin


def propose_allocation() -> dict:
    """Who would go where if every open project were staffed at once (a proposal only), among
    the stored suggestions waiting for review: the pairs the review queue shows, read in a few
    queries rather than every open project ranked again on each view. Only a project's open
    seats (its seats minus those accepted) are offered, and only an expert's remaining hours
    (offered minus committed)."""
    projects = list(
        db.session.scalars(
            select(Project).where(Project.status == ProjectStatus.PUBLISHED).order_by(Project.id)
        )
    )
    pairs = db.session.execute(
        select(
            Match.id,
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
    offered: dict[int, int | None] = {}
    match_ids: dict[tuple[int, int], int] = {}
    for match_id, project_id, expert_id, score, ref, expert_hours in pairs:
        match_ids[(project_id, expert_id)] = match_id
        ranked.setdefault(project_id, []).append(RankedCandidate(expert_id, ref, score, {}, {}))
        offered[expert_id] = expert_hours or None
    committed = committed_hours(offered)
    remaining = {
        e: None if h is None else max(0.0, h - committed.get(e, 0.0)) for e, h in offered.items()
    }
    filled = seats_filled(p.id for p in projects)
    open_seats = {p.id: max(0, p.seats - filled.get(p.id, 0)) for p in projects}
    needs = [
        ProjectNeed(id=p.id, ref=p.ref, hours_per_month=p.hours_per_month, seats=open_seats[p.id])
        for p in projects
    ]
    allocation = allocate(needs, ranked, remaining)
    scores = {(p, s.candidate_id): s.score for p, pairs in ranked.items() for s in pairs}
    return {
        "status": allocation.status,
        "total_score": allocation.total_score,
        "projects": projects,
        "filled": filled,
        "open_seats": open_seats,
        "assignments": {
            p: [(c, scores[(p, c)]) for c in chosen] for p, chosen in allocation.assignments.items()
        },
        "match_ids": match_ids,  # (project id, expert id) -> the waiting suggestion's id
    }


def apply_allocation(admin: User) -> int:
    """Put the proposed pairs at the top of the review queue (each still reviewed by a person)
    and the pairs of an earlier proposal that this one drops back in their place; returns how
    many pairs are proposed. Applying the same proposal again changes nothing."""
    require_admin(admin)
    proposal = propose_allocation()
    proposed = [(p, c) for p, chosen in proposal["assignments"].items() for c, _ in chosen]
    waiting = Match.status == MatchStatus.SUGGESTED
    marked = set(
        db.session.scalars(select(Match.id).where(waiting, Match.prioritised_at.is_not(None)))
    )
    wanted = {proposal["match_ids"][pair] for pair in proposed}
    dropped, added = marked - wanted, wanted - marked
    # Two statements however many pairs move: the old marks off, the new ones on.
    for ids, value in ((dropped, None), (added, utcnow())):
        if ids:
            db.session.execute(
                update(Match)
                .where(waiting, Match.id.in_(sorted(ids)))
                .values(prioritised_at=value)
                .execution_options(synchronize_session=False)
            )
    audit.record(
        admin,
        "allocation.applied",
        pairs=len(proposed),
        added=len(added),
        dropped=len(dropped),
        total_score=round(proposal["total_score"], 4),
    )
    db.session.commit()
    return len(proposed)


@dataclass(frozen=True)
class ProposedExpert:
    name: str  # the expert's name, or their profile id when the profile is gone
    score: float


@dataclass(frozen=True)
class AllocationRow:
    project: Project
    filled: int  # seats already taken (accepted)
    open_seats: int
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
            proposal["filled"].get(project.id, 0),
            proposal["open_seats"][project.id],
            [
                ProposedExpert(names.get(c, str(c)), score)
                for c, score in assignments.get(project.id, [])
            ],
        )
        for project in proposal["projects"]
    ]
    return AllocationPage(proposal["status"], proposal["total_score"], rows)
