"""Error pages: HTML for browsers, JSON for API clients, problem details (RFC 9457) under the
JSON API v1 (`diaspora.api.v1.problems`)."""

import contextlib
import math
import time
from datetime import datetime, timedelta

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, format_timedelta
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, TooManyRequests

from diaspora import i18n
from diaspora.api.v1 import problems
from diaspora.extensions import db, limiter
from diaspora.services.errors import NotFound, PermissionDenied

# How long a client is asked to wait when the database does not answer: a restart or a
# fail-over takes about that long. The pool pings each connection before use (pool_pre_ping),
# so the first request after the database is back succeeds.
RETRY_AFTER_SECONDS = 30


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str):
    if problems.applies():
        return problems.response(status, message)
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
    500: lambda: _("Something went wrong on our side. The team has been told; please try again."),
}


def _seconds_to_wait(error: TooManyRequests) -> int:
    """From the limit that was hit (its reset time) or the delay the refusal carries."""
    if isinstance(error, RateLimitExceeded) and limiter.current_limit is not None:
        return max(math.ceil(limiter.current_limit.reset_at - time.time()), 1)
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, datetime):
        return max(math.ceil(retry_after.timestamp() - time.time()), 1)
    return max(int(retry_after or 60), 1)


def _way_back() -> str:
    # The page that was refused if it can be shown (the log-in form after a refused log-in),
    # else the home page.
    rule = request.url_rule
    if rule is not None and "GET" in rule.methods:
        return request.path
    return url_for("main.index")


def _in_words(seconds: int) -> str:
    # Rounded up to a whole unit, so that coming back at the time said works; the threshold
    # keeps Babel to that unit (it would call 61 seconds "1 minute").
    if seconds < 90:
        shown = timedelta(seconds=seconds)
    elif seconds <= 3600:
        shown = timedelta(minutes=math.ceil(seconds / 60))
    else:
        shown = timedelta(hours=math.ceil(seconds / 3600))
    return format_timedelta(shown, threshold=1.5)


def too_many_requests(error: TooManyRequests):
    """429: how long to wait (also in Retry-After) and a link back; the same facts in JSON."""
    seconds = _seconds_to_wait(error)
    message = _("Too many attempts. Please wait %(wait)s, then try again.", wait=_in_words(seconds))
    headers = {"Retry-After": str(seconds)}
    if problems.applies():
        return problems.response(429, message, headers=headers, retry_after=seconds)
    if wants_json():
        return jsonify(error=message, status=429, retry_after=seconds), 429, headers
    page = render_template("errors/too_many_requests.html", message=message, back=_way_back())
    return page, 429, headers


def _cause(error: BaseException) -> BaseException:
    # An error raised while handling another reaches the handlers wrapped in a 500.
    return getattr(error, "original_exception", None) or error


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached (down, restarting, out of
    connections) rather than that the code is wrong."""
    error = _cause(error)
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | PoolTimeout)


def unavailable_response():
    """A 503 that needs no database: the visitor's language from their choice or browser (the
    account's needs the database), a standalone page rendered without the context processors
    that ask who is signed in, and no-store so that the security headers do not ask either."""
    with contextlib.suppress(SQLAlchemyError):  # the connection is gone, its transaction too
        db.session.rollback()
    lang = i18n.visitor_locale()
    with force_locale(lang):
        message = _(
            "The platform cannot reach its database for a moment. Please try again in a minute."
        )
        if problems.applies():
            response = problems.response(503, message, retry_after=RETRY_AFTER_SECONDS)
        elif wants_json():
            response = jsonify(error=message, status=503)
        else:
            page = current_app.jinja_env.get_template("errors/unavailable.html").render(
                message=message,
                lang=lang,
                text_dir="rtl" if lang in i18n.RTL_LANGUAGES else "ltr",
            )
            response = current_app.response_class(page, mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


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

    app.register_error_handler(TooManyRequests, too_many_requests)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = MESSAGES.get(error.code, lambda: error.description)()
        if problems.applies():
            return problems.from_http_exception(error, message)
        return error_response(error.code or 500, message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Also reached when an error page itself needed the database (that of a signed-in
        # user asks who they are): then this is the only page that can still be shown.
        if database_unavailable(error):
            app.logger.error("Database unavailable on %s: %s", request.path, _cause(error))
            return unavailable_response()
        # A failed request must not leave a half-written transaction behind.
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, MESSAGES[500]())

    app.register_error_handler(InternalServerError, unexpected_error)
