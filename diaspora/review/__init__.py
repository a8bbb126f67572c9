from flask import Blueprint

bp = Blueprint("review", __name__)

from diaspora.review import routes  # noqa: E402,F401  (attach to bp)
