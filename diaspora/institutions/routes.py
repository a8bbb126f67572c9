"""Registering an institution, its members page, invitations and the acting-for switcher."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from diaspora.auth.forms import evidence_info
from diaspora.auth.redirects import safe_next
from diaspora.auth.session_loader import role_required
from diaspora.extensions import limiter
from diaspora.forms_support import show_errors
from diaspora.institutions import acting, bp
from diaspora.institutions.forms import (
    ActingForm,
    HandOnForm,
    InstitutionForm,
    InviteForm,
    JoinForm,
)
from diaspora.models import Role
from diaspora.services import accounts, institution_members, institutions
from diaspora.services.errors import InvalidToken, ValidationFailed


def _flash_refusal(error: ValidationFailed) -> None:
    for messages in error.reasons.values():
        for message in messages:
            flash(message, "danger")


def _back(institution_id: int):
    return redirect(url_for("institutions.members", institution_id=institution_id))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.INSTITUTION)
def new():
    """A member registers one more institution, with evidence; they become its manager."""
    form = InstitutionForm()
    if form.validate_on_submit():
        application = institutions.InstitutionApplication(
            name=form.institution_name.data,
            kind=form.institution_kind.data,
            email_domain=form.email_domain.data or "",
        )
        try:
            institution = institutions.register(current_user, application, evidence_info(form))
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            acting.choose(current_user, institution.id)
            flash(
                _("%(name)s is registered: an administrator will check it.", name=institution.name),
                "success",
            )
            return _back(institution.id)
    return render_template("institutions/new.html", form=form)


def _members_page(institution_id: int, invite_form: InviteForm | None = None, status: int = 200):
    """The members page, with the invitation form as posted when it was refused."""
    page = institution_members.members_page(current_user, institution_id)
    if invite_form is not None and not page.can_manage:
        abort(403)
    return render_template(
        "institutions/members.html",
        page=page,
        invite_form=invite_form or InviteForm(formdata=None),
        hand_on_form=HandOnForm(formdata=None),
        form=FlaskForm(formdata=None),
    ), status


@bp.route("/<int:institution_id>/members")
@role_required(Role.INSTITUTION, Role.ADMIN)
def members(institution_id: int):
    return _members_page(institution_id)


@bp.route("/<int:institution_id>/invitations", methods=["POST"])
@role_required(Role.INSTITUTION)
def invite(institution_id: int):
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(institution_id, form, 400)
    try:
        institution_members.invite(current_user, institution_id, form.email.data)
    except ValidationFailed as e:
        _flash_refusal(e)
    else:
        flash(_("The invitation is on its way to %(email)s.", email=form.email.data), "success")
    return _back(institution_id)


@bp.route("/<int:institution_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required(Role.INSTITUTION)
def revoke_invitation(institution_id: int, invitation_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    institution_members.revoke_invitation(current_user, institution_id, invitation_id)
    flash(_("The invitation is revoked: its link no longer works."), "success")
    return _back(institution_id)


@bp.route("/<int:institution_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required(Role.INSTITUTION)
def remove_member(institution_id: int, user_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        institution_members.remove(current_user, institution_id, user_id)
    except ValidationFailed as e:
        _flash_refusal(e)
    else:
        flash(_("The member is removed."), "success")
    return _back(institution_id)


@bp.route("/<int:institution_id>/members/<int:user_id>/manager", methods=["POST"])
@role_required(Role.INSTITUTION)
def hand_on(institution_id: int, user_id: int):
    form = HandOnForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        institution_members.hand_on(
            current_user, institution_id, user_id, stay_manager=form.stay_manager.data
        )
    except ValidationFailed as e:
        _flash_refusal(e)
    else:
        flash(_("The manager role is handed on."), "success")
    return _back(institution_id)


@bp.route("/<int:institution_id>/leave", methods=["POST"])
@role_required(Role.INSTITUTION)
def leave(institution_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        institution_members.leave(current_user, institution_id)
    except ValidationFailed as e:
        _flash_refusal(e)
        return _back(institution_id)
    flash(_("You left the institution."), "success")
    return redirect(url_for("main.dashboard"))


@bp.route("/acting", methods=["POST"])
@role_required(Role.INSTITUTION)
def choose_acting():
    """The header's switcher: which institution the member acts for."""
    form = ActingForm()
    if form.validate_on_submit() and acting.choose(current_user, form.institution.data):
        flash(_("You now act for %(name)s.", name=acting.acting_institution().name), "info")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: "30 per hour", methods=["POST"])
def join(token: str):
    """A colleague follows a manager's invitation: joins with their member account, or
    creates one (the link proves their address)."""
    try:
        invitation = institution_members.invitation_for_token(token)
    except InvalidToken as e:
        return render_template("auth/link_invalid.html", reason=e.args[0]), 400
    existing = accounts.find_user_by_email(invitation.email)
    if current_user.is_authenticated:
        return _join_signed_in(invitation, token)
    if existing is not None:
        return render_template("institutions/join.html", invitation=invitation, existing=True)
    form = JoinForm(locale=str(get_locale()))
    if form.validate_on_submit():
        info = accounts.SignupInfo(
            full_name=form.full_name.data,
            email=invitation.email,
            password=form.password.data,
            locale=form.locale.data,
        )
        try:
            user = institution_members.join_with_new_account(token, info)
        except ValidationFailed as e:
            show_errors(form, e)
        except InvalidToken as e:
            return render_template("auth/link_invalid.html", reason=e.args[0]), 400
        else:
            accounts.start_session(user, request.user_agent.string)
            login_user(user)
            acting.choose(user, invitation.institution_id)
            flash(_("Welcome to %(name)s.", name=invitation.institution.name), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("institutions/join.html", invitation=invitation, form=form)


def _join_signed_in(invitation, token: str):
    mine = current_user.role == Role.INSTITUTION and current_user.email == invitation.email
    if not mine:
        return render_template("institutions/join.html", invitation=invitation, other=True), 403
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            institution = institution_members.join(current_user, token)
        except InvalidToken as e:
            return render_template("auth/link_invalid.html", reason=e.args[0]), 400
        acting.choose(current_user, institution.id)
        flash(_("Welcome to %(name)s.", name=institution.name), "success")
        return _back(institution.id)
    return render_template("institutions/join.html", invitation=invitation, form=form)
