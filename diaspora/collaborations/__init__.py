from flask import Blueprint

bp = Blueprint("collaborations", __name__)

from diaspora.collaborations import routes  # noqa: E402,F401  (attach to bp)
