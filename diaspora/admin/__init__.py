from flask import Blueprint
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin():
    from flask import abort

    if not current_user.is_admin:
        abort(403)


from diaspora.admin import routes  # noqa: E402,F401
