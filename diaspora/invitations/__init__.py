from flask import Blueprint

bp = Blueprint("invitations", __name__)

from diaspora.invitations import routes  # noqa: E402,F401  (attach to bp)
