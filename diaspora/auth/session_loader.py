"""Flask-Login wiring: which user a session cookie names, and who may do what."""

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from diaspora.extensions import db
from diaspora.models import User


def configure(login: LoginManager) -> None:
    login.login_view = "auth.login"
    login.login_message = _l("Please log in to see this page.")
    login.login_message_category = "info"
    login.session_protection = "basic"

    @login.user_loader
    def load_user(user_id: str) -> User | None:
        # The id carries the session version: after a password change old cookies stop working.
        uid, _, version = user_id.partition(".")
        if not uid.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(uid))
        if user is None or user.session_version != int(version):
            return None
        return user


def role_required(*roles: str):
    """Views for some roles only: guests are sent to log in, others get a 403."""
    from flask_login import login_required

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
