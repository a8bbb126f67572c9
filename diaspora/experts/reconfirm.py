"""The reminder's one-click reconfirmation: a signed link, used without logging in. GET shows
a button (mail scanners follow links; they must not confirm anyone), POST confirms."""

from flask import render_template
from flask_wtf import FlaskForm

from diaspora.experts import bp
from diaspora.services import reconfirmation
from diaspora.services.errors import InvalidToken


@bp.route("/reconfirm/<token>")
def reconfirm(token: str):
    try:
        profile = reconfirmation.profile_for_token(token)
    except InvalidToken:
        return render_template("experts/reconfirm.html", profile=None, done=False), 400
    return render_template("experts/reconfirm.html", profile=profile, done=False, form=FlaskForm())


@bp.route("/reconfirm/<token>", methods=["POST"])
def reconfirm_confirm(token: str):
    if not FlaskForm().validate_on_submit():
        return reconfirm(token)
    try:
        profile = reconfirmation.confirm_by_token(token)
    except InvalidToken:
        return render_template("experts/reconfirm.html", profile=None, done=False), 400
    return render_template("experts/reconfirm.html", profile=profile, done=True)
