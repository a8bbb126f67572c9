"""JSON endpoints used by our scripts (progressive enhancement of plain forms)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from diaspora.api import routes  # noqa: E402,F401  (routes attach themselves to bp)
