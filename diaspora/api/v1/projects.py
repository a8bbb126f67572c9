"""Projects of an institution and their pipelines, as on the projects and pipeline pages."""

from diaspora.api.v1 import auth
from diaspora.api.v1.hooks import blueprint
from diaspora.api.v1.schemas import (
    NewProjectIn,
    PipelineOut,
    PipelineSummaryOut,
    ProjectIn,
    ProjectOut,
)
from diaspora.models import Role
from diaspora.services import pipelines, projects

bp = blueprint(
    "api_projects",
    "An institution's projects (members write them, admins too) and their pipelines.",
)


def _info(data: dict) -> projects.ProjectInfo:
    return projects.ProjectInfo(
        title=data["title"],
        description=data["description"],
        sector=data["sector"],
        skills=tuple(projects.SkillWanted(**skill) for skill in data["skills"]),
        languages=tuple(data["languages"]),
        mode=data["mode"],
        location=data["location"],
        hours_per_month=data["hours_per_month"],
        seats=data["seats"],
        starts_on=data["starts_on"],
        duration_months=data["duration_months"],
        flexible_start=data["flexible_start"],
    )


@bp.route("/projects", methods=["GET"])
@auth.roles(Role.INSTITUTION, Role.ADMIN)
@bp.response(200, ProjectOut(many=True))
def list_projects():
    """The projects of every institution you act for; the latest ones for an admin.

    Scope: read. Roles: institution member, admin.
    """
    return projects.list_page(auth.actor()).projects


@bp.route("/projects", methods=["POST"])
@auth.roles(Role.INSTITUTION)
@bp.arguments(NewProjectIn)
@bp.response(201, ProjectOut)
def create_project(data):
    """Save a new draft for one of your institutions.

    Scope: write. Role: institution member (of a verified institution or not: drafts wait).
    """
    institution_id = data.pop("institution_id")
    return projects.create(auth.actor(), _info(data), institution_id)


@bp.route("/projects/<int:project_id>", methods=["GET"])
@bp.response(200, ProjectOut)
def get_project(project_id: int):
    """A project you may see: drafts stay with their institution.

    Scope: read. Any role.
    """
    return projects.get_for_view(auth.actor(), project_id)


@bp.route("/projects/<int:project_id>", methods=["PUT"])
@bp.arguments(ProjectIn)
@bp.response(200, ProjectOut)
def update_project(data, project_id: int):
    """Replace every field of a project (not closed); a published one is rescored.

    Scope: write. Roles: members of the project's institution, admins.
    """
    return projects.update(auth.actor(), project_id, _info(data))


@bp.route("/projects/<int:project_id>/publish", methods=["POST"])
@bp.response(200, ProjectOut)
def publish_project(project_id: int):
    """Publish a draft: it needs a verified institution, a required skill and a start date
    not in the past. Its suggestions are then computed for review.

    Scope: write. Roles: members of the project's institution, admins.
    """
    return projects.publish(auth.actor(), project_id)


@bp.route("/projects/<int:project_id>/close", methods=["POST"])
@bp.response(200, ProjectOut)
def close_project(project_id: int):
    """Close a published project: open invitations close, their experts are told.

    Scope: write. Roles: members of the project's institution, admins.
    """
    return projects.close(auth.actor(), project_id)


@bp.route("/pipelines", methods=["GET"])
@auth.roles(Role.INSTITUTION)
@bp.response(200, PipelineSummaryOut(many=True))
def list_pipelines():
    """Every project of your institutions with how many experts are at each step.

    Scope: read. Role: institution member.
    """
    return [
        {"project": project, "counts": counts}
        for project, counts in pipelines.institution_pipelines(auth.actor())
    ]


@bp.route("/projects/<int:project_id>/pipeline", methods=["GET"])
@auth.roles(Role.INSTITUTION, Role.ADMIN)
@bp.response(200, PipelineOut)
def get_pipeline(project_id: int):
    """One project's pipeline: the count at each step, and the experts from their invitation
    on (suggestions waiting for an admin's review are only counted).

    Scope: read. Roles: members of the project's institution, admins.
    """
    return pipelines.project_pipeline(auth.actor(), project_id)
