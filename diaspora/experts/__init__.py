from flask import Blueprint

bp = Blueprint("experts", __name__)

from diaspora.experts import cv, reconfirm, routes, stays  # noqa: E402,F401  (routes attach themselves to bp)
