"""Projects: institution members write them, publish them and close them.

Who may do what is decided in `permissions`; the life of a project is decided here:
`TRANSITIONS` is the one table of allowed status changes.
"""

import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from diaspora import interchange, vocabulary
from diaspora.extensions import db
from diaspora.models import Institution, Project, ProjectSkill, ProjectStatus, User
from diaspora.models.base import utcnow
from diaspora.rules import projects as project_rules
from diaspora.rules import text
from diaspora.services import (
    audit,
    collaborations,
    commitments,
    expert_changes,
    institutions,
    invitations,
    permissions,
    rescoring,
)
from diaspora.services.errors import NotFound, PermissionDenied, ValidationFailed
from diaspora.services.locks import lock_project
from diaspora.services.skills import MAX_SKILL_NAME, ResolvedSkill, normalise_skills, placement

# The projects page shows an admin this many of the latest projects.
ADMIN_LIST_SIZE = 200

# Modes that bring the expert to Morocco, so the project must say where.
ON_SITE_MODES = frozenset({"short_mission", "long_term", "hybrid"})

# (from, to) -> audit action. Anything else is refused.
TRANSITIONS = {
    (ProjectStatus.DRAFT, ProjectStatus.PUBLISHED): "project.published",
    (ProjectStatus.PUBLISHED, ProjectStatus.CLOSED): "project.closed",
    # Only while the institution is not verified: when an admin withdraws its verification.
    (ProjectStatus.PUBLISHED, ProjectStatus.DRAFT): "project.unpublished",
}


# A skill a project wants, as the interchange format has it: a project's fields are the same
# whether a member types them or a file brings them (`records.project_record`).
SkillWanted = interchange.ProjectSkillRecord


@dataclass(frozen=True)
class ProjectInfo:
    """Every field of a project as a member types it (the interchange project format, plus
    `flexible_start`, which the format does not carry: None leaves it as it is)."""

    title: str
    description: str = ""
    sector: str = ""
    skills: tuple[SkillWanted, ...] = ()
    languages: tuple[str, ...] = ()
    mode: str = ""
    location: str = ""
    hours_per_month: int | None = None
    seats: int | None = None
    starts_on: date | None = None
    duration_months: int | None = None
    flexible_start: bool | None = None


# ProjectInfo's fields that the interchange format does not carry.
NOT_INTERCHANGED = frozenset({"flexible_start"})


def get(project_id: int) -> Project:
    """The project with this id, or NotFound."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound("project")
    return project


def get_for_view(user: User, project_id: int) -> Project:
    """The project if `user` may see it; NotFound otherwise (drafts of others stay hidden)."""
    project = get(project_id)
    # A draft of another institution is as good as absent: do not confirm it exists.
    if not permissions.can_view_project(user, project):
        raise NotFound("project")
    return project


@dataclass(frozen=True)
class ProjectPage:
    """A project's page: the project (its institution and skills loaded), whether the viewer
    may change it, and the statuses they may move it to."""

    project: Project
    can_edit: bool
    targets: list[str]
    # Its collaborations, for the members of its institution and admins (else empty).
    collaborations: list = field(default_factory=list)


def project_page(user: User, project_id: int) -> ProjectPage:
    """The project's page for `user`; NotFound unless they may see it (as `get_for_view`)."""
    project = db.session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(joinedload(Project.institution), selectinload(Project.skills))
    )
    if project is None or not permissions.can_view_project(user, project):
        raise NotFound("project")
    can_edit = permissions.can_edit_project(user, project)
    working = (
        collaborations.for_project(project.id)
        if permissions.can_see_pipeline(user, project)
        else []
    )
    return ProjectPage(project, can_edit, allowed_targets(project) if can_edit else [], working)


def get_for_edit(user: User, project_id: int) -> Project:
    """The project if `user` may change it; NotFound or PermissionDenied otherwise."""
    project = get_for_view(user, project_id)
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied("not a member of the project's institution")
    return project


def list_for_institutions(
    institution_ids: Iterable[int], statuses=ProjectStatus.ALL, limit: int | None = None
) -> list[Project]:
    """The projects of these institutions in these statuses, newest first, the first `limit`
    of them if given (one query)."""
    ids = list(institution_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.institution_id.in_(ids), Project.status.in_(statuses))
            .order_by(Project.created_at.desc(), Project.id.desc())
            .limit(limit)
        )
    )


def by_institution(
    institution_ids: Iterable[int], statuses=ProjectStatus.ALL
) -> dict[int, list[Project]]:
    """Each institution's projects in these statuses, newest first, by institution id (one
    query for them all)."""
    ids = list(institution_ids)
    found: dict[int, list[Project]] = {i: [] for i in ids}
    for project in list_for_institutions(ids, statuses):
        found[project.institution_id].append(project)
    return found


def list_for_institution(institution_id: int, statuses=ProjectStatus.ALL) -> list[Project]:
    """The institution's projects in these statuses, newest first."""
    return list_for_institutions([institution_id], statuses)


@dataclass(frozen=True)
class ProjectList:
    """The projects page: the projects, and the institution when they are all of one."""

    projects: list[Project]
    institution: Institution | None


def list_page(user: User, admin_limit: int = ADMIN_LIST_SIZE) -> ProjectList:
    """The projects of every institution `user` acts for; the latest ones for an admin."""
    if permissions.is_admin(user):
        latest = (
            select(Project)
            .options(joinedload(Project.institution))
            .order_by(Project.id.desc())
            .limit(admin_limit)
        )
        return ProjectList(list(db.session.scalars(latest)), None)
    mine = permissions.member_institutions(user)
    items = list_for_institutions([i.id for i in mine])
    return ProjectList(items, mine[0] if len(mine) == 1 else None)


@dataclass(frozen=True)
class InstitutionPage:
    """An institution's page: the projects the viewer may see there and, for its members and
    admins, its members (None for anyone else)."""

    institution: Institution
    projects: list[Project]
    members: list[User] | None


def institution_page(user: User, institution_id: int) -> InstitutionPage:
    """The institution's page as `user` may see it: every project and the members for its
    members and admins, the published projects for anyone else logged in."""
    if not (user and user.is_authenticated):
        raise PermissionDenied("log in")
    institution = institutions.get(institution_id)
    insider = permissions.sees_institution_insides(user, institution_id)
    statuses = ProjectStatus.ALL if insider else (ProjectStatus.PUBLISHED,)
    items = list_for_institution(institution_id, statuses)
    members = institutions.members_of(institution_id) if insider else None
    return InstitutionPage(institution, items, members)


# -- validation ------------------------------------------------------------------------------


def _in_range(errors, name: str, value, bounds: tuple[int, int], required: bool) -> None:
    low, high = bounds
    if value is None:
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
    elif not low <= value <= high:
        errors.setdefault(name, []).append(
            _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
        )


def validate(info: ProjectInfo, publishing: bool = False, today: date | None = None) -> None:
    """Raise ValidationFailed naming each bad field. `publishing` adds what a published project
    needs: a required skill and a start date not in the past."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not info.title.strip():
        fail("title", _("Give the project a title."))
    elif len(info.title.strip()) > project_rules.MAX_TITLE:
        fail("title", _("At most %(n)d characters.", n=project_rules.MAX_TITLE))
    if len(info.description) > project_rules.MAX_DESCRIPTION:
        fail("description", _("At most %(n)d characters.", n=project_rules.MAX_DESCRIPTION))
    if info.sector not in vocabulary.SECTORS:
        fail("sector", _("Choose a sector from the list."))
    if info.mode not in vocabulary.PROJECT_MODES:
        fail("mode", _("Choose how the experts will work."))
    elif info.mode in ON_SITE_MODES and not info.location.strip():
        fail("location", _("Say where in Morocco the experts will work."))
    if len(info.location.strip()) > project_rules.MAX_LOCATION:
        fail("location", _("At most %(n)d characters.", n=project_rules.MAX_LOCATION))
    # Any language the import takes (the form lists the common ones and keeps a project's own).
    if not all(vocabulary.is_known_language(code) for code in info.languages):
        fail("languages", _("Choose languages from the list."))
    hours, seats, months = info.hours_per_month, info.seats, info.duration_months
    _in_range(errors, "hours_per_month", hours, project_rules.HOURS_PER_MONTH, required=True)
    _in_range(errors, "seats", seats, project_rules.SEATS, required=True)
    _in_range(errors, "duration_months", months, project_rules.DURATION_MONTHS, required=False)
    if len(_clean_skills(info.skills)) > project_rules.MAX_SKILLS:
        fail("skills", _("List at most %(n)d skills.", n=project_rules.MAX_SKILLS))
    for skill in info.skills:
        if len(skill.name.strip()) > MAX_SKILL_NAME:
            fail("skills", _("A skill name has at most %(n)d characters.", n=MAX_SKILL_NAME))
        if skill.level not in vocabulary.SKILL_LEVELS:
            fail("skills", _("A skill level is from 1 to 5."))
    if publishing:
        if not any(s.required and s.name.strip() for s in info.skills):
            fail("skills", _("List at least one required skill before publishing."))
        today = today or date.today()
        if info.starts_on is None:
            fail("starts_on", _("Give a start date before publishing."))
        elif info.starts_on < today:
            fail("starts_on", _("The start date is in the past."))
    if errors:
        raise ValidationFailed(errors)


def _cleaned(info: ProjectInfo) -> ProjectInfo:
    """The fields as they will be stored, so that lengths are checked on what is saved: hidden
    characters (``rules.text``: NUL, bidi overrides, zero-width) dropped, one-line fields on
    one line."""
    return replace(
        info,
        title=text.clean_line(info.title),
        description=text.clean_text(info.description),
        location=text.clean_line(info.location),
        skills=tuple(replace(s, name=text.clean_line(s.name)) for s in info.skills),
    )


def info_of(project: Project) -> ProjectInfo:
    """A stored project's fields: the input of `validate`, and of its interchange record."""
    return ProjectInfo(
        title=project.title,
        description=project.description,
        sector=project.sector,
        skills=tuple(SkillWanted(s.name, s.level, s.required) for s in project.skills),
        languages=tuple(project.languages or ()),
        mode=project.mode,
        location=project.location,
        hours_per_month=project.hours_per_month,
        seats=project.seats,
        starts_on=project.starts_on,
        duration_months=project.duration_months,
        flexible_start=project.flexible_start,
    )


# -- skills ---------------------------------------------------------------------------------


def _place(names: list[str]) -> dict[str, ResolvedSkill]:
    """name -> where the taxonomy places it, one batch for all distinct names."""
    distinct = list(dict.fromkeys(names))
    return dict(zip(distinct, normalise_skills(distinct), strict=True))


def _clean_skills(skills: tuple[SkillWanted, ...]) -> list[SkillWanted]:
    """Blank rows dropped; a skill typed twice kept once, required and at the higher level."""
    merged: dict[str, SkillWanted] = {}
    for skill in skills:
        name = skill.name
        if not name:
            continue
        key = name.casefold()
        if key in merged:
            old = merged[key]
            merged[key] = SkillWanted(
                old.name, max(old.level, skill.level), old.required or skill.required
            )
        else:
            merged[key] = SkillWanted(name, skill.level, skill.required)
    return list(merged.values())


def _ordered_languages(codes: tuple[str, ...]) -> list[str]:
    """Each language once, the offered ones in the vocabulary's order, then any other."""
    chosen = set(codes)
    offered = [c for c in vocabulary.LANGUAGES if c in chosen]
    return offered + sorted(chosen.difference(offered))


def _apply(project: Project, info: ProjectInfo) -> bool:
    """Copy `info` (`_cleaned`) onto `project`; return whether anything changed."""
    values = {
        "title": info.title,
        "description": info.description,
        "sector": info.sector,
        "mode": info.mode,
        "location": info.location,
        "hours_per_month": info.hours_per_month,
        "seats": info.seats,
        "starts_on": info.starts_on,
        "duration_months": info.duration_months,
    }
    if info.flexible_start is not None:
        values["flexible_start"] = info.flexible_start
    changed = False
    for name, value in values.items():
        if getattr(project, name) != value:
            setattr(project, name, value)
            changed = True
    # The same languages in another order (an import keeps its file's order) are no change.
    if project.languages is None or set(project.languages) != set(info.languages):
        project.languages = _ordered_languages(info.languages)
        changed = True
    wanted = _clean_skills(info.skills)
    current = [(s.name, s.level, s.required) for s in project.skills]
    if current != [(s.name, s.level, s.required) for s in wanted]:
        placed = _place([s.name for s in wanted])
        project.skills = [
            ProjectSkill(
                name=s.name, level=s.level, required=s.required, **placement(placed[s.name])
            )
            for s in wanted
        ]
        changed = True
    return changed


def new_ref() -> str:
    """A short public reference such as "P-3f9a1c", unused so far."""
    while True:
        ref = "P-" + secrets.token_hex(3)
        if db.session.scalar(select(Project.id).where(Project.ref == ref)) is None:
            return ref


# -- use cases -------------------------------------------------------------------------------


def institution_for_new_project(user: User, institution_id: int | None) -> Institution:
    """The institution a new project of `user` is for: `institution_id`, which they must act
    for, or their only institution when they name none."""
    mine = permissions.member_institutions(user)
    if institution_id is None and len(mine) == 1:
        return mine[0]
    if institution_id is None and mine:  # the pages name the one acted for; the API may not
        raise ValidationFailed(
            {
                "institution_id": [
                    _("You belong to several institutions: say which one the project is for.")
                ]
            }
        )
    for institution in mine:
        if institution.id == institution_id:
            return institution
    raise PermissionDenied("institution members only")


def create(user: User, info: ProjectInfo, institution_id: int | None = None) -> Project:
    """Save a new draft for one of the user's institutions (see `institution_for_new_project`).
    Members of institutions still waiting for verification may prepare drafts; they publish
    once verified."""
    institution = institution_for_new_project(user, institution_id)
    if not permissions.can_draft_projects(user, institution):
        raise PermissionDenied("institution members only")
    info = _cleaned(info)
    validate(info)
    project = Project(
        ref=new_ref(),
        institution_id=institution.id,
        created_by_id=user.id,
        status=ProjectStatus.DRAFT,
    )
    _apply(project, info)
    db.session.add(project)
    db.session.flush()
    audit.record(user, "project.created", project, ref=project.ref, title=project.title)
    db.session.commit()
    return project


def update(user: User, project_id: int, info: ProjectInfo) -> Project:
    """Save changes. A published project must stay publishable (a required skill)."""
    with _nothing_kept_if_refused():
        return _update(user, project_id, info)


@contextmanager
def _nothing_kept_if_refused():
    # A refused change leaves nothing behind: no half-applied edit, no row lock held while the
    # page that explains the refusal is drawn.
    try:
        yield
    except ValidationFailed:
        db.session.rollback()
        raise


def _update(user: User, project_id: int, info: ProjectInfo) -> Project:
    project = get_for_edit(user, project_id)
    if project.status == ProjectStatus.CLOSED:
        raise ValidationFailed(_("A closed project can no longer be changed."))
    info = _cleaned(info)
    validate(info)
    if project.status == ProjectStatus.PUBLISHED and not any(
        s.required and s.name.strip() for s in info.skills
    ):
        raise ValidationFailed(
            {"skills": [_("A published project needs at least one required skill.")]}
        )
    if not _apply(project, info):
        return project
    audit.record(user, "project.edited", project, ref=project.ref, status=project.status)
    db.session.commit()
    if project.status == ProjectStatus.PUBLISHED:
        rescoring.rescore_project(project.id)
    return project


def _refused(current: str, target: str) -> ValidationFailed:
    return ValidationFailed(
        _(
            "A project that is %(current)s cannot become %(target)s.",
            current=status_label(current),
            target=status_label(target),
        )
    )


def _set_status(project: Project, old: str, target: str) -> None:
    """Change the status only if it is still `old`: of two requests closing a project at once,
    the second changes nothing and is refused, whatever the database's locking."""
    table = Project.__table__
    result = db.session.execute(
        table.update().where(table.c.id == project.id, table.c.status == old).values(status=target)
    )
    if result.rowcount != 1:
        db.session.refresh(project)
        raise _refused(project.status, target)
    set_committed_value(project, "status", target)


def transition(user: User, project_id: int, target: str) -> Project:
    """Move a project to `target` if `TRANSITIONS` allows it; publishing needs a verified
    institution and a complete project. Of two requests making the same change at once, one
    succeeds and the other is refused: the change is made and audited once."""
    with _nothing_kept_if_refused():
        return _transition(user, project_id, target)


def _transition(user: User, project_id: int, target: str) -> Project:
    project = lock_project(get_for_edit(user, project_id).id)
    action = TRANSITIONS.get((project.status, target))
    if action is None:
        raise _refused(project.status, target)
    if target == ProjectStatus.PUBLISHED:
        if not project.institution.is_verified:
            raise ValidationFailed(
                _(
                    "%(name)s is not verified yet: the project stays a draft until an "
                    "administrator verifies it.",
                    name=project.institution.name,
                )
            )
        validate(info_of(project), publishing=True)
    if target == ProjectStatus.DRAFT and project.institution.is_verified:
        raise _refused(project.status, target)
    old = project.status
    _set_status(project, old, target)
    # The hours its accepted experts gave it are theirs again once it closes (their capacity).
    expert_changes.note(*commitments.committed_experts(project.id))
    if target == ProjectStatus.PUBLISHED:
        project.published_at = utcnow()
    else:
        if target == ProjectStatus.CLOSED:
            project.closed_at = utcnow()
        # Nobody is left waiting: pending invitees are told kindly, suggestions close.
        reason = "project_closed" if target == ProjectStatus.CLOSED else "project_unpublished"
        invitations.close_open_matches(project, user, reason)
    audit.record(user, action, project, ref=project.ref, old=old, new=target)
    db.session.commit()
    rescoring.rescore_project(project.id)
    if target == ProjectStatus.PUBLISHED:
        rescoring.announce_project(project.id)
    return project


def publish(user: User, project_id: int) -> Project:
    """A member (or an admin) publishes the project: it is then scored and reviewed."""
    return transition(user, project_id, ProjectStatus.PUBLISHED)


def close(user: User, project_id: int) -> Project:
    """A member (or an admin) closes the project; its open invitations close kindly."""
    return transition(user, project_id, ProjectStatus.CLOSED)


def unpublish(admin: User, project_id: int) -> Project:
    """Back to draft, when an admin withdraws the verification of its institution; its open
    invitations close kindly. Its members publish it again once the institution is verified."""
    return transition(admin, project_id, ProjectStatus.DRAFT)


def allowed_targets(project: Project) -> list[str]:
    """The statuses members may move the project to from where it is (going back to draft is
    the platform's, not theirs)."""
    return [to for (frm, to) in TRANSITIONS if frm == project.status and to != ProjectStatus.DRAFT]


def status_label(status: str) -> str:
    """The project status in words, in the reader's language."""
    return {
        ProjectStatus.DRAFT: _("a draft"),
        ProjectStatus.PUBLISHED: _("published"),
        ProjectStatus.CLOSED: _("closed"),
    }.get(status, _("unknown"))
