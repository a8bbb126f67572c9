from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from diaspora.auth.redirects import safe_next
from diaspora.i18n import offered_languages
from diaspora.main import bp
from diaspora.models import Role
from diaspora.services import accounts, dashboards


@bp.before_app_request
def refuse_unreadable_input():
    """Refuse, before any page's view runs, input that no page can use and that would otherwise
    fail deep inside one as a 500. The API (/api/) answers odd input itself, in JSON."""
    if request.path.startswith("/api/"):
        return
    # Pages read HTML forms. Flask-WTF would take a JSON body for the form and fail on anything
    # but an object of strings (a list, a number, a nested object).
    if request.is_json and request.method != "GET":
        abort(415)
    # A NUL character in a link is never a person's doing, and PostgreSQL cannot compare one
    # with a column: a filter or search holding one would fail as a 500. (Forms drop control
    # characters from what is typed instead.)
    if any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.args.lists()
    ):
        abort(400)


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    """Each role's home after logging in: the administration's home for admins."""
    if current_user.role == Role.EXPERT:
        view = dashboards.expert_dashboard(current_user, str(get_locale()))
        return render_template("experts/dashboard.html", view=view)
    if current_user.role == Role.INSTITUTION:
        view = dashboards.institution_dashboard(current_user)
        return render_template("projects/dashboard.html", view=view)
    return redirect(url_for("admin.index"))


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in offered_languages():
        session["lang"] = lang
        # Emails follow the language read, when they can be written in it.
        if current_user.is_authenticated and lang in current_app.config["LANGUAGES"]:
            accounts.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next"), fallback="main.index"))
