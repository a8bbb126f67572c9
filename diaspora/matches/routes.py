"""Review queue (admins), invitation answers (experts), pipelines (institutions)."""

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.main.converters import LARGEST_ID, LAST_PAGE, whole_number
from diaspora.matches import bp
from diaspora.matches.forms import AddExpertForm, ConfirmForm, DeclineForm, RejectForm
from diaspora.models import MatchStatus, Role
from diaspora.services import institutions as institutions_service
from diaspora.services import invitations, pipelines, projects, reviews
from diaspora.services.errors import InvalidToken, ValidationFailed
from diaspora.services.invitations import AlreadyAnswered
from diaspora.services.match_states import IllegalTransition
from diaspora.vocabulary import SECTORS

S = MatchStatus
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
# Admins: the review queue


@bp.route("/review")
@role_required(Role.ADMIN)
def review_queue():
    filters = _queue_filters()
    page = request.args.get("page", 1, type=whole_number(1, LAST_PAGE))
    queue = reviews.queue(current_user, filters, page)
    institutions = institutions_service.list_all(pending_first=False)
    return render_template(
        "matches/review.html",
        groups=queue.groups,
        queue=queue,
        filters=filters,
        form=ConfirmForm(),
        institutions=institutions,
        sectors=SECTORS,
        summary=reviews.queue_summary(),
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
        return redirect(url_for("matches.show", match_id=match_id))
    flash(
        _(
            "%(name)s is invited. The email is on its way.",
            name=match.expert.user.full_name or match.expert.ref,
        ),
        "success",
    )
    if request.form.get("back") == "queue":
        return redirect(url_for("matches.review_queue") + f"#project-{match.project_id}")
    return redirect(url_for("matches.show", match_id=match_id))


@bp.route("/<int:match_id>/reject", methods=["POST"])
@role_required(Role.ADMIN)
def reject(match_id: int):
    match = reviews.get_suggestion(current_user, match_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            reviews.reject(current_user, match_id, form.reason.data)
        except ValidationFailed as e:
            show_errors(form, e)
        except IllegalTransition as e:
            flash(str(e), "danger")
            return redirect(url_for("matches.show", match_id=match_id))
        else:
            flash(_("The suggestion is rejected."), "success")
            return redirect(url_for("matches.review_queue"))
    return _render_match(match, reject_form=form), 400


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
    return redirect(url_for("matches.review_queue") + f"#project-{project_id}")


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
            return redirect(url_for("matches.show", match_id=match.id))
    results = reviews.search_experts(current_user, query) if query else []
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "matches/add_expert.html", project=project, form=form, query=query, results=results
    ), status


# ---------------------------------------------------------------------------------------------
# Everyone concerned: the match page


def _render_match(match, **forms):
    contacts = invitations.contacts(current_user, match)
    is_expert = match.expert is not None and match.expert.user_id == current_user.id
    return render_template(
        "matches/show.html",
        match=match,
        contacts=contacts,
        is_expert=is_expert,
        confirm_form=forms.get("confirm_form") or ConfirmForm(),
        reject_form=forms.get("reject_form") or RejectForm(),
        decline_form=forms.get("decline_form") or DeclineForm(),
        deadline_passed=invitations.deadline_passed(match),
    )


@bp.route("/<int:match_id>")
@login_required
def show(match_id: int):
    return _render_match(invitations.visible_match(current_user, match_id))


@bp.route("/<int:match_id>/accept", methods=["POST"])
@role_required(Role.EXPERT)
def accept(match_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _answer_from_dashboard(match_id, True, None)


@bp.route("/<int:match_id>/decline", methods=["POST"])
@role_required(Role.EXPERT)
def decline(match_id: int):
    form = DeclineForm()
    if not form.validate_on_submit():
        match = invitations.visible_match(current_user, match_id)
        return _render_match(match, decline_form=form), 400
    return _answer_from_dashboard(match_id, False, form.reason.data)


def _answer_from_dashboard(match_id: int, accept: bool, reason: str | None):
    try:
        invitations.answer(current_user, match_id, accept, reason)
    except AlreadyAnswered as e:
        flash(_already_message(e.match), "warning")
    except ValidationFailed as e:
        flash(str(e), "danger")
    else:
        flash(
            _("Thank you: the institution now has your contact details, and theirs are below.")
            if accept
            else _("Your answer is sent. Thank you for telling us."),
            "success",
        )
    return redirect(url_for("matches.show", match_id=match_id))


def _already_message(match) -> str:
    if invitations.deadline_passed(match) or match.status == S.EXPIRED:
        return _("This invitation has expired: its answer period is over.")
    if match.status == S.CLOSED:
        return _("This invitation is closed: the project found its experts or closed.")
    if match.status == S.ACCEPTED:
        return _("You already accepted this invitation.")
    if match.status == S.DECLINED:
        return _("You already declined this invitation.")
    return _("This invitation can no longer be answered.")


# ---------------------------------------------------------------------------------------------
# Experts: answering through the emailed links (no login needed: the link is the proof)


def _refused(reason: str, match=None):
    status = {"other_user": 403, "already": 409}.get(reason, 400)
    message = _already_message(match) if match is not None else None
    return render_template(
        "matches/link_refused.html", reason=reason, message=message, match=match
    ), status


def _answer_by_link(token: str, accept: bool):
    viewer = current_user if current_user.is_authenticated else None
    try:
        match = invitations.match_for_token(token, viewer)
    except InvalidToken as e:
        return _refused(e.args[0])
    if match.status != S.INVITED or invitations.deadline_passed(match):
        return _refused("already", match)
    form = ConfirmForm() if accept else DeclineForm()
    if form.validate_on_submit():
        reason = None if accept else form.reason.data
        try:
            match = invitations.answer_by_token(token, viewer, accept, reason)
        except AlreadyAnswered as e:
            return _refused("already", e.match)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            contacts = invitations.contacts(match.expert.user, match)
            return render_template("matches/answered.html", match=match, contacts=contacts)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "matches/answer.html", match=match, form=form, accept=accept, token=token
    ), status


@bp.route("/invitation/<token>/accept", methods=["GET", "POST"])
def invitation_accept(token: str):
    return _answer_by_link(token, True)


@bp.route("/invitation/<token>/decline", methods=["GET", "POST"])
def invitation_decline(token: str):
    return _answer_by_link(token, False)


@bp.route("/invitations")
@role_required(Role.EXPERT)
def expert_invitations():
    return render_template(
        "matches/invitations.html", matches=invitations.expert_invitations(current_user)
    )


# ---------------------------------------------------------------------------------------------
# Institutions: the pipeline of their projects


@bp.route("/pipeline")
@role_required(Role.INSTITUTION)
def institution_pipelines():
    return render_template(
        "matches/pipelines.html",
        rows=pipelines.institution_pipelines(current_user),
        steps=pipelines.STEPS,
    )


@bp.route("/projects/<int:project_id>/pipeline")
@role_required(Role.INSTITUTION, Role.ADMIN)
def project_pipeline(project_id: int):
    return render_template(
        "matches/pipeline.html",
        pipeline=pipelines.project_pipeline(current_user, project_id),
        steps=pipelines.STEPS,
    )
