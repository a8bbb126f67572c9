"""Who may see or change what: every permission rule of the platform, in one file.

Pure functions over the user and the object (no query of their own beyond the loaded
relationships), plus the SQL conditions readers use where a list must be filtered in the
query. Services call these and raise `NotFound` / `PermissionDenied`; routes and templates
never decide on their own.

A user acts for every institution they are a member of (a person may belong to several).
"""

from datetime import date

from sqlalchemy import ColumnElement, and_, select, true

from diaspora.extensions import db
from diaspora.matching.constraints import confirmation_cutoff
from diaspora.models import (
    ApiToken,
    Collaboration,
    Contest,
    ExpertProfile,
    Institution,
    Match,
    MatchSource,
    MatchStatus,
    MemberRole,
    ProfileSection,
    Project,
    ProjectStatus,
    Role,
    Side,
    TokenScope,
    User,
    Visibility,
)
from diaspora.services import consent
from diaspora.services.errors import PermissionDenied

# -- who is who ------------------------------------------------------------------------------


def is_logged_in(user: User | None) -> bool:
    """Whether `user` is a signed-in account (not the anonymous user)."""
    return bool(user and user.is_authenticated)


def is_admin(user: User | None) -> bool:
    """Whether `user` is a signed-in administrator."""
    return is_logged_in(user) and user.role == Role.ADMIN


def require_admin(user: User | None) -> None:
    """Raise PermissionDenied unless `user` is an administrator."""
    if not is_admin(user):
        raise PermissionDenied("admin only")


def member_institutions(user: User | None) -> list[Institution]:
    """Every institution `user` acts for (none unless they have the institution role)."""
    if not is_logged_in(user) or user.role != Role.INSTITUTION:
        return []
    return sorted((m.institution for m in user.memberships), key=lambda i: (i.name, i.id))


def member_institution_ids(user: User | None) -> set[int]:
    """The ids of `member_institutions(user)`."""
    if not is_logged_in(user) or user.role != Role.INSTITUTION:
        return set()
    return {m.institution_id for m in user.memberships}


def is_member(user: User | None, institution_id: int) -> bool:
    """Whether `user` acts for the institution `institution_id`."""
    return institution_id in member_institution_ids(user)


def token_permits(token: ApiToken, writing: bool) -> bool:
    """An API token with the read scope reads; one with the write scope also writes. What its
    owner may read or write is then decided by the rules below, as on the pages."""
    return token.scope == TokenScope.WRITE or (token.scope == TokenScope.READ and not writing)


# -- institutions ----------------------------------------------------------------------------


def sees_institution_insides(user: User | None, institution_id: int) -> bool:
    """Members and admins see an institution's members and unpublished projects."""
    return is_admin(user) or is_member(user, institution_id)


def can_post_projects(user: User | None, institution: Institution) -> bool:
    """Active members of a verified institution publish projects for it; nobody else does."""
    return is_member(user, institution.id) and institution.is_verified and bool(user.active)


def is_manager(user: User | None, institution_id: int) -> bool:
    """Whether `user` is a manager of the institution `institution_id` (see `MemberRole`)."""
    if not is_logged_in(user) or user.role != Role.INSTITUTION:
        return False
    return any(
        m.institution_id == institution_id and m.role == MemberRole.MANAGER
        for m in user.memberships
    )


def can_manage_members(user: User | None, institution_id: int) -> bool:
    """Active managers invite colleagues, remove members and hand the manager role on."""
    return is_manager(user, institution_id) and bool(user.active)


def can_draft_projects(user: User | None, institution: Institution) -> bool:
    """Active members prepare drafts, even while their institution waits for verification."""
    return is_member(user, institution.id) and bool(user.active)


# -- projects --------------------------------------------------------------------------------


def can_edit_project(user: User | None, project: Project) -> bool:
    """Active members of the project's institution and admins."""
    if not (is_logged_in(user) and user.active):
        return False
    return user.role == Role.ADMIN or is_member(user, project.institution_id)


def can_view_project(user: User | None, project: Project) -> bool:
    """Drafts stay with their institution; published and closed projects are seen by everyone
    logged in."""
    if not is_logged_in(user):
        return False
    return project.status != ProjectStatus.DRAFT or can_edit_project(user, project)


def publicly_listed() -> ColumnElement[bool]:
    """The SQL condition on the projects anyone may find, signed in or not: published by a
    verified institution (the public list of open projects, the experts' ranking)."""
    verified = Project.institution.has(Institution.verified_at.is_not(None))
    return and_(Project.status == ProjectStatus.PUBLISHED, verified)


def is_publicly_listed(project: Project) -> bool:
    """`publicly_listed` for one loaded project."""
    return project.status == ProjectStatus.PUBLISHED and project.institution.is_verified


def can_see_pipeline(user: User | None, project: Project) -> bool:
    """A project's pipeline is for the members of its institution and admins."""
    return sees_institution_insides(user, project.institution_id)


# -- expert profiles -------------------------------------------------------------------------


def hidden_from(viewer: User | None, profile: ExpertProfile) -> frozenset[str]:
    """The sections of the profile (`ProfileSection`) that `viewer` does not see: none for
    the expert and admins, those the expert keeps from institutions for anyone else."""
    if is_logged_in(viewer) and (viewer.id == profile.user_id or viewer.role == Role.ADMIN):
        return frozenset()
    return frozenset(profile.hidden_sections or ())


def can_view_profile(viewer: User | None, profile: ExpertProfile) -> bool:
    """Owner and admins always; members of a verified institution when the expert lets
    institutions browse; nobody else (other experts never see each other's profiles)."""
    if not is_logged_in(viewer):
        return False
    if viewer.id == profile.user_id or viewer.role == Role.ADMIN:
        return True
    if profile.visibility != Visibility.INSTITUTIONS:
        return False
    return any(i.is_verified for i in member_institutions(viewer))


# -- searching experts -----------------------------------------------------------------------

# Who a search may find, whoever searches (admins reach the others through invitations): the
# experts who let verified institutions browse their profile (the SQL condition the engine's
# candidates are read with), who consent to matching (to the consent text in force), whose
# account is open and whose profile was confirmed in the last twelve months (the engine's own
# rules, see matching.search).
LISTED: ColumnElement[bool] = ExpertProfile.visibility == Visibility.INSTITUTIONS


def is_findable(profile: ExpertProfile, today: date) -> bool:
    """Whether a search may find this expert (the rule above, for one loaded profile)."""
    confirmed = profile.confirmed_at
    return (
        profile.visibility == Visibility.INSTITUTIONS
        and profile.consent_matching
        and not consent.is_paused(profile)
        and profile.user.active
        and confirmed is not None
        and confirmed.date() >= confirmation_cutoff(today)
    )


def can_search_experts(user: User | None) -> bool:
    """Admins, and active members of at least one verified institution."""
    if is_admin(user):
        return True
    return bool(user and user.active) and any(i.is_verified for i in member_institutions(user))


def can_propose_for(user: User | None, project: Project) -> bool:
    """Active members of a verified institution propose experts for its published projects."""
    return (
        can_post_projects(user, project.institution) and project.status == ProjectStatus.PUBLISHED
    )


def can_download_cv(viewer: User | None, profile: ExpertProfile) -> bool:
    """The expert and admins; a member of an institution only once the expert accepted an
    invitation to one of its projects (a CV holds contact details, which wait for an
    acceptance), and unless the expert keeps the CV from institutions."""
    if not can_view_profile(viewer, profile) or ProfileSection.CV in hidden_from(viewer, profile):
        return False
    if viewer.id == profile.user_id or viewer.role == Role.ADMIN:
        return True
    accepted = (
        select(Match.id)
        .join(Project, Match.project_id == Project.id)
        .where(
            Match.expert_id == profile.id,
            Match.status == MatchStatus.ACCEPTED,
            Project.institution_id.in_(member_institution_ids(viewer)),
        )
        .limit(1)
    )
    return db.session.scalar(accepted) is not None


# -- matches ---------------------------------------------------------------------------------

# Who may know that a match exists. Admins see every match. Anyone else (the expert, the
# members of the project's institution) sees a match only from an admin's approval on, whatever
# happens to it next. Approved means invited at some point: SUGGESTED -> INVITED is the only way
# to an invitation, only an admin takes it, and it stamps `invited_at`, which nothing clears.
# A suggestion closed unreviewed (its project closed, its seats filled) was never approved, so
# it stays between the admins and the engine. Every reader filters with the names below.
APPROVED: ColumnElement[bool] = Match.invited_at.is_not(None)


def was_approved(match: Match) -> bool:
    """Whether an admin approved `match` (the Python twin of `APPROVED`)."""
    return match.invited_at is not None


def visible_to(viewer: User) -> ColumnElement[bool]:
    """The SQL condition on the matches `viewer` may know of, before asking whose they are:
    every match for an admin, approved ones for anyone else."""
    return true() if viewer.role == Role.ADMIN else APPROVED


def is_visible_to(viewer: User, match: Match) -> bool:
    """`visible_to` for one loaded match."""
    return viewer.role == Role.ADMIN or was_approved(match)


def is_match_expert(user: User | None, match: Match) -> bool:
    """Whether `user` is the expert of `match` (False once the expert erased their account)."""
    return is_logged_in(user) and match.expert is not None and match.expert.user_id == user.id


def is_match_institution(user: User | None, match: Match) -> bool:
    """Whether `user` acts for the institution whose project `match` is for."""
    return is_member(user, match.project.institution_id)


def can_view_match(viewer: User | None, match: Match) -> bool:
    """Admins always; the expert and the members of the project's institution once an admin
    approved it."""
    if not is_logged_in(viewer) or not is_visible_to(viewer, match):
        return False
    return (
        viewer.role == Role.ADMIN
        or is_match_expert(viewer, match)
        or is_match_institution(viewer, match)
    )


# -- contests of decisions ---------------------------------------------------------------------

# The decisions a person may ask a human to review, by the status they left the match in:
# an invitation, open or ended without the expert's answer (expired; closed because the seats
# filled, the project closed or a review withdrew it), for its expert and for the project's
# institution; and the end of what the person asked for themselves (an expert's interest, an
# institution's proposal): rejected, or closed before review. Rejections of other suggestions
# are never shown to anyone but admins, so nobody can contest them; the answers of experts
# (accepted, declined) are theirs, not decisions about them. Whether an answer can still change
# the decision is `contests.changeable`'s: often it can only be given in writing.
ENDED_INVITATION = frozenset({MatchStatus.INVITED, MatchStatus.EXPIRED, MatchStatus.CLOSED})
ENDED_REQUEST = frozenset({MatchStatus.REJECTED, MatchStatus.CLOSED})


def can_contest(user: User | None, match: Match) -> bool:
    """Whether `user` may ask for a human review of the decision `match` now stands on."""
    if not is_logged_in(user) or user.role == Role.ADMIN:
        return False
    if was_approved(match):
        return match.status in ENDED_INVITATION and (
            is_match_expert(user, match) or is_match_institution(user, match)
        )
    return match.status in ENDED_REQUEST and asked_for(user, match)


def asked_for(user: User | None, match: Match) -> bool:
    """Whether `user` put `match` in the review queue: the expert's interest, or a proposal by
    their institution."""
    if match.source == MatchSource.EXPERT:
        return is_match_expert(user, match)
    if match.source == MatchSource.INSTITUTION:
        return is_match_institution(user, match)
    return False


def knows_of_match(user: User | None, match: Match) -> bool:
    """Whether `user` may know that `match` exists: `can_view_match`, or what they asked for
    themselves (an expert's interest, their institution's proposal), whatever became of it."""
    return can_view_match(user, match) or asked_for(user, match)


def can_view_contest(user: User | None, contest: Contest) -> bool:
    """Admins, and the person who asked for the review."""
    return is_admin(user) or (is_logged_in(user) and contest.opened_by_id == user.id)


# -- collaborations ----------------------------------------------------------------------------


def collaboration_side(user: User | None, collaboration: Collaboration) -> str | None:
    """The `Side` `user` acts for in `collaboration`: its expert, a member of its project's
    institution, or None (admins see every collaboration but act for neither side)."""
    if not is_logged_in(user):
        return None
    expert = collaboration.expert
    if expert is not None and expert.user_id == user.id:
        return Side.EXPERT
    if is_member(user, collaboration.project.institution_id):
        return Side.INSTITUTION
    return None


def can_view_collaboration(user: User | None, collaboration: Collaboration) -> bool:
    """Both sides and admins."""
    return is_admin(user) or collaboration_side(user, collaboration) is not None


def shows_collaborations(viewer: User | None, profile: ExpertProfile) -> bool:
    """Whether a profile page shows the expert's collaboration history to `viewer`."""
    return ProfileSection.COLLABORATIONS not in hidden_from(viewer, profile)
