from flask import Blueprint

bp = Blueprint("institutions", __name__)

from diaspora.institutions import acting, routes  # noqa: E402,F401  (attach themselves to bp)
