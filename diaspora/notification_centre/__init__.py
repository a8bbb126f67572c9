from flask import Blueprint

bp = Blueprint("notification_centre", __name__)

from diaspora.notification_centre import routes  # noqa: E402,F401
