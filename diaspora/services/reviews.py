"""Human review of suggestions: nothing reaches an expert before an admin approves it.

Admins read the queue of suggestions by project, approve (which sends the invitation), reject
with a reason, approve a shortlist at once, or add an expert the engine did not propose.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from diaspora.extensions import db
from diaspora.matching import Explanation
from diaspora.models import (
    ExpertProfile,
    Institution,
    Match,
    MatchSource,
    MatchStatus,
    Project,
    ProjectStatus,
    User,
)
from diaspora.rules import text
from diaspora.services import audit, institutions, interest, invitations, match_states
from diaspora.services.errors import NotFound, ValidationFailed
from diaspora.services.locks import lock_project
from diaspora.services.match_states import IllegalTransition, transition
from diaspora.services.permissions import require_admin

S = MatchStatus
MAX_REASON_LENGTH = 2000
# Two projects: up to 40 suggestions (MATCH_TOP_K each) with their reasons, some 80 KB. Five
# made pages of 200 KB that took the server 40 ms of work each at national scale.
PROJECTS_PER_PAGE = 2

# explain_pair(project, expert) -> (score, the engine's explanation, engine version, weights)
Explainer = Callable[[Project, ExpertProfile], tuple[float, Explanation, str, dict[str, float]]]


@dataclass(frozen=True)
class QueueFilters:
    sector: str = ""
    institution_id: int | None = None
    min_score: float | None = None  # in [0, 1]
    min_age_days: int | None = None  # waiting at least this many days


@dataclass(frozen=True)
class ProjectGroup:
    project: Project
    suggestions: list[Match]


@dataclass(frozen=True)
class QueueSummary:
    size: int
    oldest_at: datetime | None

    @property
    def oldest_age_days(self) -> int | None:
        if self.oldest_at is None:
            return None
        return max((match_states.now() - self.oldest_at).days, 0)


def _waiting():
    """Suggestions an admin has to look at: those of published projects."""
    return (
        select(Match)
        .join(Project, Match.project_id == Project.id)
        .where(Match.status == S.SUGGESTED, Project.status == ProjectStatus.PUBLISHED)
    )


@dataclass(frozen=True)
class BulkApproval:
    """What approving a shortlist did: `skipped` holds the suggestions someone else reviewed
    in the meantime, left as that person decided."""

    approved: list[Match]
    skipped: list[Match]


@dataclass(frozen=True)
class QueuePage:
    """One page of the review queue, with the figures above it and the institutions its
    filter offers."""

    groups: list[ProjectGroup]
    page: int
    pages: int
    summary: QueueSummary
    institutions: list[Institution]


def queue(admin: User, filters: QueueFilters = QueueFilters(), page: int = 1) -> QueuePage:
    """Suggestions waiting for review, grouped by project in queue order: projects holding pairs
    of an applied allocation first, then the project whose oldest suggestion has waited longest;
    within a project the applied pairs first, then best score first. A page holds
    PROJECTS_PER_PAGE projects, so that a long queue stays a page a person reads (and the server
    renders) quickly. A fixed number of queries,
    however long the page."""
    require_admin(admin)
    chosen = []  # the filters, beyond waiting on a published project
    if filters.sector:
        chosen.append(Project.sector == filters.sector)
    if filters.institution_id is not None:
        chosen.append(Project.institution_id == filters.institution_id)
    if filters.min_score is not None:
        chosen.append(Match.score >= filters.min_score)
    if filters.min_age_days is not None:
        cutoff = match_states.now() - timedelta(days=filters.min_age_days)
        chosen.append(Match.created_at <= cutoff)
    # One pass over the waiting suggestions (an index-only scan) gives both the figures above
    # the queue and the projects the filters keep, in their order: at national scale each pass
    # over the 20,000 waiting suggestions costs PostgreSQL milliseconds.
    # Projects with pairs an admin applied from the allocation come first, then the longest
    # waiting: a suggestion's wait, not its project's age, is what the queue works down.
    kept = func.count().filter(and_(*chosen)) if chosen else func.count()
    prioritised = func.count(Match.prioritised_at)
    oldest = func.min(Match.created_at)
    per_project = db.session.execute(
        _waiting()
        .with_only_columns(Project.id, kept, func.count(), oldest)
        .group_by(Project.id)
        .order_by(case((prioritised > 0, 0), else_=1), oldest, Project.id)
    ).all()
    project_ids = [row[0] for row in per_project if row[1]]
    summary = QueueSummary(
        size=sum(row[2] for row in per_project),
        oldest_at=min((row[3] for row in per_project), default=None),
    )
    pages = max(1, -(-len(project_ids) // PROJECTS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = project_ids[(page - 1) * PROJECTS_PER_PAGE : page * PROJECTS_PER_PAGE]
    # Each suggestion shows its project, institution, expert and the expert's name: read with
    # the suggestions, not one query per row.
    rows = (
        db.session.scalars(
            select(Match)
            .join(Project, Match.project_id == Project.id)
            .where(
                Match.project_id.in_(shown),
                Match.status == S.SUGGESTED,
                Project.status == ProjectStatus.PUBLISHED,
                *chosen,
            )
            .options(
                contains_eager(Match.project).joinedload(Project.institution),
                # What the queue shows of the expert: not their whole profile.
                joinedload(Match.expert)
                .load_only(
                    ExpertProfile.ref,
                    ExpertProfile.headline,
                    ExpertProfile.country,
                    ExpertProfile.user_id,
                )
                .joinedload(ExpertProfile.user),
                joinedload(Match.proposed_by),
            )
            .order_by(Match.prioritised_at.is_(None), Match.score.desc(), Match.id)
        ).all()
        if shown
        else []
    )
    groups: dict[int, ProjectGroup] = {}
    for match in rows:
        group = groups.setdefault(match.project_id, ProjectGroup(match.project, []))
        group.suggestions.append(match)
    return QueuePage(list(groups.values()), page, pages, summary, institutions.list_all())


def queue_summary() -> QueueSummary:
    """How many suggestions wait for review, and since when the oldest one waits."""
    waiting = _waiting().subquery()
    size, oldest = db.session.execute(select(func.count(), func.min(waiting.c.created_at))).one()
    return QueueSummary(size=size or 0, oldest_at=oldest)


def get_suggestion(admin: User, match_id: int) -> Match:
    """Any match, for an admin; NotFound when there is none."""
    require_admin(admin)
    match = db.session.get(Match, match_id)
    if match is None:
        raise NotFound("match")
    return match


def _check_invitable(match: Match) -> None:
    if match.project.status != ProjectStatus.PUBLISHED:
        raise ValidationFailed(_("This project is not published: nobody can be invited to it."))
    if match.expert is None or not match.expert.user.active:
        raise ValidationFailed(_("This expert's account is closed."))


def approve(admin: User, match_id: int) -> Match:
    """Approve a suggestion: the expert is invited and the email is in the outbox, both in
    one commit."""
    match = get_suggestion(admin, match_id)
    lock_project(match.project_id)  # a close of the project waits, or is seen
    _check_invitable(match)
    invitations.invite(match, admin)
    db.session.commit()
    return match


def reject(admin: User, match_id: int, reason: str, share_reason: bool = False) -> Match:
    """Reject a suggestion with a reason, kept for the admins. An expert who asked for the
    project is told their interest was not taken forward, with the reason if `share_reason`;
    other experts never learn of the suggestion."""
    match = get_suggestion(admin, match_id)
    reason = text.clean_text(reason or "")
    if not reason:
        raise ValidationFailed({"reason": [_("Say why this suggestion is rejected.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            {"reason": [_("Keep it under %(n)d characters.", n=MAX_REASON_LENGTH)]}
        )
    shared = share_reason and match.source == MatchSource.EXPERT
    transition(match, S.REJECTED, admin, reason, shared=shared)
    interest.tell_not_taken(match, "rejected", reason if shared else None)
    db.session.commit()
    return match


def bulk_approve(admin: User, project_id: int, match_ids: Iterable[int]) -> BulkApproval:
    """Approve a project's shortlist at once. A suggestion another admin reviewed meanwhile
    (before this request read it, or between its read and its write) is skipped and reported;
    anything else that cannot be approved (a match of another project, an expert whose account
    closed, a project no longer published) approves none of them."""
    require_admin(admin)
    if db.session.get(Project, project_id) is None:
        raise NotFound("project")
    ids = sorted(set(match_ids))
    if not ids:
        raise ValidationFailed(_("Tick at least one suggestion to approve."))
    project = lock_project(project_id)  # a close of the project waits, or is seen
    matches = db.session.scalars(
        select(Match)
        .where(Match.id.in_(ids), Match.project_id == project.id)
        .order_by(Match.id)
        .execution_options(populate_existing=True)
    ).all()
    if len(matches) != len(ids):
        raise ValidationFailed(
            _(
                "Some of the ticked suggestions were already reviewed or are not from this "
                "project. Nothing was approved; reload the page and try again."
            )
        )
    approved: list[Match] = []
    skipped: list[Match] = []
    for match in matches:
        if match.status != S.SUGGESTED:
            skipped.append(match)
            continue
        _check_invitable(match)
        try:
            invitations.invite(match, admin)
        except IllegalTransition:  # reviewed by someone else since it was read: theirs stands
            skipped.append(match)
        else:
            approved.append(match)
    db.session.commit()
    return BulkApproval(approved, skipped)


def search_experts(admin: User, query: str, limit: int = 20) -> list[ExpertProfile]:
    """Experts whose name, email or reference contains `query` (case-insensitive)."""
    require_admin(admin)
    words = text.clean_line(query or "")[:100]
    if len(words) < 2:
        return []
    pattern = "%" + words.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
    return list(
        db.session.scalars(
            select(ExpertProfile)
            .join(User, ExpertProfile.user_id == User.id)
            .options(contains_eager(ExpertProfile.user))
            .where(
                User.active.is_(True),
                or_(
                    func.lower(User.full_name).like(pattern),
                    User.email.like(pattern),
                    func.lower(ExpertProfile.ref).like(pattern),
                ),
            )
            .order_by(User.full_name, ExpertProfile.id)
            .limit(limit)
        )
    )


def _default_explainer() -> Explainer:
    # Looked up at call time: the engine integration lives in its own module.
    from diaspora.services import suggestions

    return suggestions.explain_pair


def queue_suggestion(
    actor: User,
    project: Project,
    expert: ExpertProfile,
    source: str,
    action: str,
    taken: ValidationFailed,
    explain: Explainer | None = None,
    **proposal,
) -> Match:
    """Put a pair the engine did not suggest in the review queue (added by an admin, proposed
    by an institution: `source`, with the `proposal`'s columns), scored and explained by the
    engine, audited as `action`; `taken` is raised when another request added the pair a
    moment ago. The caller checks the pair and commits."""
    score, explanation, engine_version, weights = (explain or _default_explainer())(project, expert)
    match = Match(
        project_id=project.id,
        expert_id=expert.id,
        status=S.SUGGESTED,
        source=source,
        score=float(score),
        explanation=explanation,
        engine_version=engine_version or "",
        weights=weights or {},
        created_at=match_states.now(),
        **proposal,
    )
    db.session.add(match)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise taken from None
    audit.record(
        actor,
        action,
        match,
        project=project.id,
        expert=expert.id,
        score=match.score,
        engine_version=match.engine_version,
        weights=match.weights,
    )
    return match


def add_by_hand(
    admin: User, project_id: int, expert_id: int, explain: Explainer | None = None
) -> Match:
    """Add an expert the engine did not suggest, with the explanation the engine computes for
    the pair. The new suggestion then waits in the queue like any other."""
    require_admin(admin)
    project = db.session.get(Project, project_id)
    expert = db.session.get(ExpertProfile, expert_id)
    if project is None:
        raise NotFound("project")
    if expert is None:
        raise ValidationFailed({"expert_id": [_("Choose an expert from the search results.")]})
    if project.status != ProjectStatus.PUBLISHED:
        raise ValidationFailed(_("This project is not published: nobody can be invited to it."))
    taken = ValidationFailed({"expert_id": [_("This expert is already on this project's list.")]})
    existing = db.session.scalar(
        select(Match).where(Match.project_id == project.id, Match.expert_id == expert.id)
    )
    if existing is not None:
        raise taken
    match = queue_suggestion(
        admin, project, expert, MatchSource.MANUAL, "match.added_by_hand", taken, explain
    )
    db.session.commit()
    return match
