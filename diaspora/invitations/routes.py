"""The match page (everyone concerned), invitation answers (experts), pipelines (institutions)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.invitations import bp
from diaspora.invitations.forms import ConfirmForm, DeclineForm, RejectForm
from diaspora.models import MatchStatus, Role
from diaspora.services import invitations, match_pages, pipelines
from diaspora.services.errors import InvalidToken, ValidationFailed
from diaspora.services.invitations import AlreadyAnswered
from diaspora.services.match_states import now

S = MatchStatus


# ---------------------------------------------------------------------------------------------
# Everyone concerned: the match page


def render_match_page(page: match_pages.MatchPage, **forms):
    """The match page, with the forms its viewer may use (the review queue re-renders it)."""
    return render_template(
        "invitations/show.html",
        match=page.match,
        contacts=page.contacts,
        is_expert=page.is_expert,
        confirm_form=forms.get("confirm_form") or ConfirmForm(),
        reject_form=forms.get("reject_form") or RejectForm(),
        decline_form=forms.get("decline_form") or DeclineForm(),
        deadline_passed=page.deadline_passed,
        contests=page.contests,
        can_contest=page.can_contest,
        collaboration_id=page.collaboration_id,
        now=now(),
    )


@bp.route("/<int:match_id>")
@login_required
def show(match_id: int):
    return render_match_page(match_pages.match_page(current_user, match_id))


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
        page = match_pages.match_page(current_user, match_id)
        return render_match_page(page, decline_form=form), 400
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
    return redirect(url_for("invitations.show", match_id=match_id))


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
        "invitations/link_refused.html", reason=reason, message=message, match=match
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
            return render_template(
                "invitations/answered.html",
                match=match,
                contacts=invitations.contacts(match.expert.user, match),
                collaboration_id=invitations.collaboration_of(match),
            )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "invitations/answer.html", match=match, form=form, accept=accept, token=token
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
        "invitations/invitations.html", matches=invitations.expert_invitations(current_user)
    )


# ---------------------------------------------------------------------------------------------
# Institutions: the pipeline of their projects


@bp.route("/pipeline")
@role_required(Role.INSTITUTION)
def institution_pipelines():
    return render_template(
        "invitations/pipelines.html",
        rows=pipelines.institution_pipelines(current_user),
        steps=pipelines.STEPS,
    )


@bp.route("/projects/<int:project_id>/pipeline")
@role_required(Role.INSTITUTION, Role.ADMIN)
def project_pipeline(project_id: int):
    return render_template(
        "invitations/pipeline.html",
        pipeline=pipelines.project_pipeline(current_user, project_id),
        steps=pipelines.STEPS,
    )
