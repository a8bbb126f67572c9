from flask import Blueprint

bp = Blueprint("main", __name__)

from diaspora.main import (  # noqa: E402,F401
    personal_data,
    public_pages,
    routes,
    statistics,
    unsubscribe,
)
