from flask import Blueprint
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin():
    from flask import abort

    # login_required lets OPTIONS through without a user (CORS preflights): no guest is an admin.
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)


from diaspora.admin import routes  # noqa: E402,F401
