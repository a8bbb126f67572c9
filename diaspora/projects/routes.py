from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.institutions.acting import acting_institution
from diaspora.main.converters import LARGEST_ID, whole_number
from diaspora.models import Project, ProjectStatus, Role
from diaspora.projects import bp
from diaspora.projects.forms import (
    ProjectForm,
    add_asked_rows,
    add_spare_rows,
    initial_data,
    prepare,
    project_info,
)
from diaspora.services import permissions, projects
from diaspora.services.errors import ValidationFailed


def _project_form(project: Project | None = None) -> ProjectForm:
    """The form, filled from the request when posted, else from the project (if any)."""
    form = ProjectForm(data=initial_data(project)) if project else ProjectForm()
    if request.method == "GET":
        add_spare_rows(form)
    prepare(form, str(get_locale()))
    return form


def _saving(form: ProjectForm) -> bool:
    """A valid Save; "Add skill rows" re-shows the form with more rows instead."""
    if request.method != "POST" or add_asked_rows(form, request.form.get("action")):
        return False
    return form.validate_on_submit()


@bp.route("/")
@role_required(Role.INSTITUTION, Role.ADMIN)
def index():
    """The member's institutions' projects; the latest projects for an admin."""
    page = projects.list_page(current_user)
    return render_template(
        "projects/list.html", projects=page.projects, institution=page.institution
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.INSTITUTION)
def new():
    chosen = request.args.get("institution", type=whole_number(1, LARGEST_ID, clamp=False))
    if chosen is None:  # for the institution the member acts for (the header's switcher)
        acting = acting_institution(current_user)
        chosen = acting.id if acting is not None else None
    institution = projects.institution_for_new_project(current_user, chosen)
    form = _project_form()
    if _saving(form):
        try:
            project = projects.create(current_user, project_info(form), institution.id)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(_("The project is saved as a draft."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_template(
        "projects/form.html",
        form=form,
        project=None,
        institution=institution,
        can_publish=permissions.can_post_projects(current_user, institution),
    )


@bp.route("/<int:project_id>")
@login_required
def show(project_id: int):
    page = projects.project_page(current_user, project_id)
    return render_template(
        "projects/show.html",
        project=page.project,
        can_edit=page.can_edit,
        targets=page.targets,
        collaborations=page.collaborations,
        form=FlaskForm(),
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = projects.get_for_edit(current_user, project_id)
    if project.status == ProjectStatus.CLOSED:
        flash(_("A closed project can no longer be changed."), "warning")
        return redirect(url_for("projects.show", project_id=project.id))
    form = _project_form(project)
    if _saving(form):
        try:
            projects.update(current_user, project.id, project_info(form))
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_template(
        "projects/form.html",
        form=form,
        project=project,
        can_publish=project.institution.is_verified,
    )


@bp.route("/<int:project_id>/status", methods=["POST"])
@login_required
def change_status(project_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Please try again."), "danger")
        return redirect(url_for("projects.show", project_id=project_id))
    target = request.form.get("to", "")
    try:
        project = projects.transition(current_user, project_id, target)
    except ValidationFailed as e:
        for messages in e.reasons.values():
            for message in messages:
                flash(message, "danger")
    else:
        flash(
            _("The project is published: we are looking for experts.")
            if project.status == ProjectStatus.PUBLISHED
            else _("The project is closed."),
            "success",
        )
    return redirect(url_for("projects.show", project_id=project_id))


@bp.route("/institutions/<int:institution_id>")
@login_required
def institution(institution_id: int):
    page = projects.institution_page(current_user, institution_id)
    return render_template(
        "projects/institution.html",
        institution=page.institution,
        projects=page.projects,
        members=page.members,
    )
