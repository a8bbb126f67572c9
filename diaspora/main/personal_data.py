"""The privacy notice, and each person's own data: download it, or erase the account."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from diaspora.auth.session_loader import role_required
from diaspora.forms_support import show_errors
from diaspora.main import bp
from diaspora.main.forms import EraseForm
from diaspora.models import Role
from diaspora.services import personal_data
from diaspora.services.errors import ValidationFailed


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


def data_page():
    """The personal-data page (also served at the experts' own address, /expert/data)."""
    form = EraseForm()
    if form.validate_on_submit():
        role = current_user.role
        try:
            personal_data.erase_account(current_user, form.password.data)
        except ValidationFailed as e:
            show_errors(form, e)
        else:
            logout_user()
            flash(
                _("Your account and your profile are erased. Thank you for your time with us.")
                if role == Role.EXPERT
                else _("Your account is erased. Thank you for your time with us."),
                "info",
            )
            return redirect(url_for("main.index"))
    return render_template("main/personal_data.html", form=form)


def download():
    """Everything about the signed-in person, as a JSON file."""
    payload = personal_data.export_personal_data(current_user)
    body = json.dumps(payload, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-diaspora-data.json"'},
    )


@bp.route("/my-data", methods=["GET", "POST"])
@role_required(*personal_data.ROLES)
def my_data():
    return data_page()


@bp.route("/my-data/export", methods=["POST"])
@role_required(*personal_data.ROLES)
def my_data_export():
    return download()
