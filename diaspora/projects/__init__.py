from flask import Blueprint

bp = Blueprint("projects", __name__)

from diaspora.projects import routes  # noqa: E402,F401  (routes attach themselves to bp)
