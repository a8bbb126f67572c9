from flask import Blueprint

bp = Blueprint("main", __name__)

from diaspora.main import personal_data, routes, unsubscribe  # noqa: E402,F401
