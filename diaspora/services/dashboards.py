"""Each role's dashboard, as one view model read in a fixed number of queries: the route asks
the function of the user's role and renders that role's template with what it returns.
Nothing on a dashboard is fetched while its template renders."""

from dataclasses import dataclass

from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    Institution,
    Match,
    OutboxMessage,
    Project,
    Role,
    User,
)
from diaspora.services import (
    collaborations,
    consent,
    experts,
    invitations,
    permissions,
    projects,
    reviews,
)
from diaspora.services.errors import PermissionDenied
from diaspora.services.kept_figures import kept_a_while


@dataclass(frozen=True)
class ExpertDashboard:
    """The expert's home: their profile (None before the first save) with its completeness
    and whether it needs confirming, their invitations and collaborations, newest first."""

    profile: ExpertProfile | None
    completeness: experts.Completeness | None
    stale: bool
    invitations: list[Match]
    collaborations: list[collaborations.Row]
    # What changed in the consent text they have still to accept (None: nothing to accept).
    consent_changes: str | None = None


@dataclass(frozen=True)
class InstitutionProjects:
    institution: Institution
    projects: list[Project]


@dataclass(frozen=True)
class InstitutionDashboard:
    """The member's home: each institution they act for with its projects, newest first."""

    institutions: list[InstitutionProjects]


@dataclass(frozen=True)
class AdminDashboard:
    """The admins' home: institutions waiting for verification, accounts by role, emails by
    status, and the review queue's size and age."""

    pending: int
    users: dict[str, int]
    outbox: dict[str, int]
    queue: reviews.QueueSummary


def expert_dashboard(user: User, locale: str = "fr") -> ExpertDashboard:
    """The expert's dashboard (no profile is created just by looking at it); `locale` is the
    language of what changed in the consent text, when they have one to accept."""
    if user.role != Role.EXPERT:
        raise PermissionDenied("experts only")
    profile = experts.own_profile(user)
    return ExpertDashboard(
        profile=profile,
        completeness=experts.completeness(profile) if profile else None,
        stale=experts.is_stale(profile) if profile else False,
        invitations=invitations.expert_invitations(user),
        collaborations=collaborations.for_expert(user),
        consent_changes=consent.changes_to_accept(profile, locale),
    )


def institution_dashboard(user: User) -> InstitutionDashboard:
    """The member's dashboard: one query for the projects of all their institutions."""
    if user.role != Role.INSTITUTION:
        raise PermissionDenied("institution members only")
    mine = permissions.member_institutions(user)
    by_institution = projects.by_institution(i.id for i in mine)
    return InstitutionDashboard([InstitutionProjects(i, by_institution[i.id]) for i in mine])


def admin_dashboard(admin: User) -> AdminDashboard:
    """The admins' dashboard: every figure in one query each. The counts over whole tables
    (accounts, emails) are kept a while (`kept_figures`); what admins act on is counted afresh."""
    permissions.require_admin(admin)
    pending = db.session.scalar(
        select(func.count()).select_from(Institution).where(Institution.verified_at.is_(None))
    )
    users, outbox = _accounts_and_emails()
    return AdminDashboard(pending, users, outbox, reviews.queue_summary())


@kept_a_while
def _accounts_and_emails() -> tuple[dict[str, int], dict[str, int]]:
    users = db.session.execute(select(User.role, func.count()).group_by(User.role))
    outbox = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return dict(users.all()), dict(outbox.all())
