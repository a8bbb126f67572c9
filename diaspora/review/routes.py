"""The review queue: admins approve, reject or add suggestions before anyone is contacted."""

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.invitations.forms import ConfirmForm, RejectForm
from diaspora.invitations.routes import render_match_page
from diaspora.main.converters import LARGEST_ID, LAST_PAGE, whole_number
from diaspora.models import Role
from diaspora.review import bp
from diaspora.review.forms import AddExpertForm
from diaspora.services import match_pages, projects, reviews
from diaspora.services.errors import ValidationFailed
from diaspora.services.match_states import IllegalTransition
from diaspora.vocabulary import SECTORS

MAX_AGE_FILTER_DAYS = 3650


# ---------------------------------------------------------------------------------------------
# Query-string parsing: anything odd is ignored, never a 500.


_ID = whole_number(1, LARGEST_ID, clamp=False)


def _score(value: str) -> float:
    """A minimum score: a fraction in [0, 1] or, as admins think, a percent up to 100."""
    number = float(value.replace(",", "."))
    number = number / 100 if number > 1 else number
    if not (math.isfinite(number) and 0 <= number <= 1):
        raise ValueError(value)
    return number


def _queue_filters() -> reviews.QueueFilters:
    sector = request.args.get("sector", "")
    return reviews.QueueFilters(
        sector=sector if sector in SECTORS else "",
        institution_id=request.args.get("institution", type=_ID),
        min_score=request.args.get("min_score", type=_score),
        min_age_days=request.args.get("min_age", type=whole_number(0, MAX_AGE_FILTER_DAYS)),
    )


def _ids(values: list[str]) -> list[int]:
    # A value that is no id becomes 0, which matches nothing, so the service refuses the
    # whole selection instead of approving the rest of it silently.
    ids = []
    for value in values:
        try:
            ids.append(_ID(value))
        except ValueError:
            ids.append(0)
    return ids


# ---------------------------------------------------------------------------------------------
# The queue and its decisions


@bp.route("/review")
@role_required(Role.ADMIN)
def review_queue():
    filters = _queue_filters()
    page = request.args.get("page", 1, type=whole_number(1, LAST_PAGE))
    queue = reviews.queue(current_user, filters, page)
    return render_template(
        "review/queue.html",
        groups=queue.groups,
        queue=queue,
        filters=filters,
        form=ConfirmForm(),
        institutions=queue.institutions,
        sectors=SECTORS,
        summary=queue.summary,
    )


@bp.route("/<int:match_id>/approve", methods=["POST"])
@role_required(Role.ADMIN)
def approve(match_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        match = reviews.approve(current_user, match_id)
    except (ValidationFailed, IllegalTransition) as e:
        flash(str(e), "danger")
        return redirect(url_for("invitations.show", match_id=match_id))
    flash(
        _(
            "%(name)s is invited. The email is on its way.",
            name=match.expert.user.full_name or match.expert.ref,
        ),
        "success",
    )
    if request.form.get("back") == "queue":
        return redirect(url_for("review.review_queue") + f"#project-{match.project_id}")
    return redirect(url_for("invitations.show", match_id=match_id))


@bp.route("/<int:match_id>/reject", methods=["POST"])
@role_required(Role.ADMIN)
def reject(match_id: int):
    match = reviews.get_suggestion(current_user, match_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            reviews.reject(current_user, match_id, form.reason.data, form.share_reason.data)
        except ValidationFailed as e:
            show_errors(form, e)
        except IllegalTransition as e:
            flash(str(e), "danger")
            return redirect(url_for("invitations.show", match_id=match_id))
        else:
            flash(_("The suggestion is rejected."), "success")
            return redirect(url_for("review.review_queue"))
    return render_match_page(match_pages.match_page_of(current_user, match), reject_form=form), 400


@bp.route("/review/projects/<int:project_id>/approve", methods=["POST"])
@role_required(Role.ADMIN)
def bulk_approve(project_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = reviews.bulk_approve(
            current_user, project_id, _ids(request.form.getlist("match_id"))
        )
    except ValidationFailed as e:
        flash(str(e), "danger")
    else:
        if result.approved:
            flash(_("%(n)d experts are invited.", n=len(result.approved)), "success")
        if result.skipped:
            flash(
                _(
                    "Suggestions reviewed by someone else in the meantime were left as they "
                    "decided: %(n)d.",
                    n=len(result.skipped),
                ),
                "warning",
            )
    return redirect(url_for("review.review_queue") + f"#project-{project_id}")


@bp.route("/review/projects/<int:project_id>/add", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add_expert(project_id: int):
    project = projects.get(project_id)
    form = AddExpertForm()
    query = request.args.get("q", "").strip()[:100]
    if form.validate_on_submit():
        try:
            match = reviews.add_by_hand(current_user, project_id, form.expert_id.data)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            flash(_("The expert is added to the suggestions of this project."), "success")
            return redirect(url_for("invitations.show", match_id=match.id))
    results = reviews.search_experts(current_user, query) if query else []
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "review/add_expert.html", project=project, form=form, query=query, results=results
    ), status
