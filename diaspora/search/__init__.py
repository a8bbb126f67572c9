from flask import Blueprint

bp = Blueprint("search", __name__)

from diaspora.search import routes, saved  # noqa: E402,F401  (routes attach themselves to bp)
