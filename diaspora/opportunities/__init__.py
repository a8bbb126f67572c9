from flask import Blueprint

bp = Blueprint("opportunities", __name__)

from diaspora.opportunities import routes  # noqa: E402,F401  (routes attach themselves to bp)
