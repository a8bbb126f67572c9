"""Flask-Login wiring: which user a session cookie names, and who may do what."""

from functools import wraps

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from diaspora.models import User
from diaspora.services import accounts


def configure(app: Flask, login: LoginManager) -> None:
    login.login_view = "auth.login"
    login.login_message = _l("Please log in to see this page.")
    login.login_message_category = "info"
    login.session_protection = "basic"

    @login.user_loader
    def load_user(key: str) -> User | None:
        # Session and remember-me cookies carry the key of a login session kept in the
        # database: once it ends (logout, password change) no copy of either cookie works.
        return accounts.user_for_session(key)

    @app.before_request
    def load_user_first():
        # Loading may write when the session was last used; done first thing, that write can
        # never commit a view's half-done work.
        # Static files and the operations endpoints (/healthz must answer without the
        # database) never need to know who asks.
        if request.endpoint != "static" and request.blueprint != "operations":
            current_user._get_current_object()


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
