from flask import Blueprint

bp = Blueprint("matches", __name__)

from diaspora.matches import routes, template_helpers  # noqa: E402,F401  (attach to bp)
