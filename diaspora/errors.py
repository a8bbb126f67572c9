"""Error pages: HTML for browsers, JSON for API clients."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from diaspora.extensions import db
from diaspora.services.errors import NotFound, PermissionDenied


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def error_response(status: int, message: str):
    if wants_json():
        return jsonify(error=message, status=status), status
    return render_template("errors/error.html", status=status, message=message), status


MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("This page does not exist, or no longer does."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("The file is too large."),
    415: lambda: _("Send this form from its page."),
    429: lambda: _("Too many attempts. Please wait a little and try again."),
    500: lambda: _("Something went wrong on our side. The team has been told; please try again."),
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form expired or was sent from elsewhere. Reload the page and retry.")
        return error_response(400, message)

    @app.errorhandler(PermissionDenied)
    def permission_denied(error):
        return error_response(403, MESSAGES[403]())

    @app.errorhandler(NotFound)
    def not_found(error):
        return error_response(404, MESSAGES[404]())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = MESSAGES.get(error.code, lambda: error.description)()
        return error_response(error.code or 500, message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # A failed request must not leave a half-written transaction behind.
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, MESSAGES[500]())

    app.register_error_handler(InternalServerError, unexpected_error)
