from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from diaspora.auth import bp, login_delays
from diaspora.auth.forms import (
    ApiTokenForm,
    ChangeEmailForm,
    ChangePasswordForm,
    EmailForm,
    ExpertSignupForm,
    InstitutionSignupForm,
    LoginForm,
    PreferencesForm,
    ResetPasswordForm,
    RevokeTokenForm,
    evidence_info,
)
from diaspora.auth.redirects import safe_next
from diaspora.extensions import limiter
from diaspora.forms_support import show_errors
from diaspora.main.converters import LARGEST_ID, whole_number
from diaspora.notifications.kinds import TRANSACTIONAL_EMAILS
from diaspora.services import accounts, api_tokens, institutions, notifications
from diaspora.services.errors import InvalidToken, ValidationFailed


def _limit(setting: str):
    return lambda: current_app.config[setting]


@bp.route("/signup")
def signup():
    return render_template("auth/signup_choice.html")


def _signup_info(form) -> accounts.SignupInfo:
    return accounts.SignupInfo(
        full_name=form.full_name.data,
        email=form.email.data,
        password=form.password.data,
        locale=form.locale.data,
    )


@bp.route("/signup/expert", methods=["GET", "POST"])
@limiter.limit(_limit("SIGNUP_LIMIT"), methods=["POST"])
def signup_expert():
    form = ExpertSignupForm(locale=_current_locale())
    if form.validate_on_submit():
        try:
            accounts.register_expert(_signup_info(form))
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            return redirect(url_for("auth.check_email"))
    return render_template("auth/signup_expert.html", form=form)


@bp.route("/signup/institution", methods=["GET", "POST"])
@limiter.limit(_limit("SIGNUP_LIMIT"), methods=["POST"])
def signup_institution():
    form = InstitutionSignupForm(locale=_current_locale())
    verified = institutions.list_verified()
    form.institution_id.choices = [(0, "—")] + [(i.id, i.name) for i in verified]
    if form.validate_on_submit():
        joining = form.join.data == "existing"
        choice = accounts.InstitutionChoice(
            institution_id=(form.institution_id.data or -1) if joining else None,
            name=form.institution_name.data or "",
            kind=form.institution_kind.data,
            email_domain=form.email_domain.data or "",
        )
        try:
            accounts.register_institution_member(
                _signup_info(form), choice, None if joining else evidence_info(form)
            )
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            return redirect(url_for("auth.check_email"))
    return render_template("auth/signup_institution.html", form=form)


@bp.route("/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.route("/verify/<token>")
def verify_email(token: str):
    try:
        user = accounts.verify_email(token)
    except InvalidToken as e:
        return render_template("auth/link_invalid.html", reason=e.args[0]), 400
    flash(_("Your email address is confirmed. Welcome!"), "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.login", email=user.email))


@bp.route("/verify/resend", methods=["POST"])
@limiter.limit(_limit("RESET_LIMIT"))
def resend_verification():
    form = EmailForm()
    if form.validate_on_submit():
        accounts.resend_verification(form.email.data)
    return redirect(url_for("auth.check_email"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_LIMIT"), methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(email=request.args.get("email"))
    unverified = False
    if form.validate_on_submit():
        email, client = form.email.data, request.remote_addr or ""
        login_delays.check(email, client)
        try:
            user = accounts.authenticate(email, form.password.data)
        except accounts.LoginRefused as e:
            if e.reason == "credentials":
                login_delays.failed(email, client)
            if e.reason == "unverified":
                unverified = True
                form.form_errors.append(
                    _(
                        "Confirm your email address first: follow the link "
                        "we sent you, or ask for a new one below."
                    )
                )
            elif e.reason == "inactive":
                form.form_errors.append(_("This account is closed."))
            else:
                form.form_errors.append(_("Wrong email address or password."))
        else:
            login_delays.succeeded(email, client)
            remember = form.remember.data
            accounts.start_session(user, request.user_agent.string, remember=remember)
            login_user(user, remember=remember)
            return redirect(safe_next(request.args.get("next")))
    resend = EmailForm(email=form.email.data)
    return render_template("auth/login.html", form=form, unverified=unverified, resend=resend)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.end_session(current_user.login_key)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_LIMIT"), methods=["POST"])
def reset_request():
    form = EmailForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        # Same answer whether or not the address has an account.
        flash(
            _(
                "If an account uses this address, a link to choose a new password is on its "
                "way. It works for one hour."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_LIMIT"), methods=["POST"])
def reset_password(token: str):
    try:
        accounts.user_for_reset_token(token)
    except InvalidToken as e:
        return render_template("auth/link_invalid.html", reason=e.args[0]), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            logout_user()
            flash(_("Your password is changed. You can log in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    password_form = ChangePasswordForm(prefix="pw")
    email_form = ChangeEmailForm(prefix="em")
    prefs_form = PreferencesForm(
        prefix="pref",
        locale=current_user.locale,
    )
    action = request.form.get("action")
    if action == "password" and password_form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, password_form.current_password.data, password_form.password.data
            )
        except ValidationFailed as e:
            show_errors(password_form, e)
        else:
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.account"))
    elif action == "email" and email_form.validate_on_submit():
        try:
            accounts.request_email_change(
                current_user, email_form.password.data, email_form.email.data
            )
        except ValidationFailed as e:
            show_errors(email_form, e)
        else:
            flash(
                _("We sent a link to the new address. Your address changes when you follow it."),
                "info",
            )
            return redirect(url_for("auth.account"))
    elif action == "preferences" and prefs_form.validate_on_submit():
        accounts.update_preferences(current_user, prefs_form.locale.data)
        session["lang"] = prefs_form.locale.data
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("auth.account"))
    elif action == "token_create":
        return _create_token(password_form, email_form, prefs_form)
    return _render_account(password_form, email_form, prefs_form)


def _render_account(password_form, email_form, prefs_form, token_form=None):
    return render_template(
        "auth/account.html",
        password_form=password_form,
        email_form=email_form,
        prefs_form=prefs_form,
        token_form=token_form or ApiTokenForm(prefix="tok", formdata=None),
        revoke_form=RevokeTokenForm(prefix="rev", formdata=None),
        tokens=api_tokens.list_for(current_user),
        notification_prefs=notifications.preferences(current_user),
        transactional_emails=TRANSACTIONAL_EMAILS,
        token_is_live=api_tokens.is_live,
    )


def _create_token(password_form, email_form, prefs_form):
    """The new token's secret is shown on this answer only, a page of its own: never
    redirected through the session cookie, never stored, and not beside the list of tokens
    (which grows with every token made)."""
    form = ApiTokenForm(prefix="tok")
    if form.validate_on_submit():
        try:
            made = api_tokens.create(
                current_user, form.name.data, form.scope.data, int(form.lifetime_days.data)
            )
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            return render_template("auth/token_created.html", new_token=made)
    return _render_account(password_form, email_form, prefs_form, token_form=form), 400


@bp.route("/account/tokens/revoke", methods=["POST"])
@login_required
def revoke_token():
    form = RevokeTokenForm(prefix="rev")
    token_id = whole_number(1, LARGEST_ID, clamp=False)
    if form.validate_on_submit():
        try:
            api_tokens.revoke(current_user, token_id(form.token_id.data))
        except ValueError:
            abort(404)
        flash(_("The token is revoked: it no longer opens the API."), "success")
    return redirect(url_for("auth.account") + "#api-tokens")


def _current_locale() -> str:
    return str(get_locale())
