from flask import Blueprint

bp = Blueprint("transparency", __name__)

from diaspora.transparency import routes  # noqa: E402,F401  (attach to bp)
