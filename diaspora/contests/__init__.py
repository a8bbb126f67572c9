from flask import Blueprint

bp = Blueprint("contests", __name__)

from diaspora.contests import routes  # noqa: E402,F401  (attach to bp)
