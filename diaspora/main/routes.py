from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from diaspora.auth.redirects import safe_next
from diaspora.extensions import db
from diaspora.main import bp
from diaspora.models import Role


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    """Each role's home after logging in."""
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.index"))
    return render_template("main/dashboard.html")


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang  # emails follow the language the person reads
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), fallback="main.index"))
