"""The API's readable documentation: Swagger UI over /api/v1/openapi.json, its files served by
the app from the swagger-ui-bundle package (no CDN), started by our own script (the Content
Security Policy allows no inline script)."""

from flask import Blueprint, abort, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from diaspora.api.v1.problems import PREFIX

bp = Blueprint("api_docs", __name__, url_prefix=PREFIX + "/docs")

# The only files of the package the page loads.
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"})


@bp.route("")
def docs():
    return render_template("api/docs.html")


@bp.route("/assets/<asset>")
def asset(asset: str):
    if asset not in ASSETS:
        abort(404)
    return send_from_directory(swagger_ui_path, asset, max_age=24 * 3600)
