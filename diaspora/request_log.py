"""Structured logs: every log line as one JSON object, one line per request, and a request id
that ties a request's lines to the outbox rows and audit entries it wrote.

The id comes from the X-Request-ID header when a trusted proxy sets it (`TRUST_REQUEST_ID`)
and it is well-formed, else it is made here; either way it goes back in the response's
X-Request-ID header, so a user reporting a problem can quote it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# What a proxy's id looks like (nginx's $request_id, a UUID...): nothing that could break a log
# line or a column.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,64}")

requests_log = logging.getLogger("diaspora.requests")


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request (commands, workers)."""
    return g.get("request_id") if has_request_context() else None


class _RequestIdFilter(logging.Filter):
    """Adds the request id to every line written while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def json_formatter() -> logging.Formatter:
    """The formatter of every line the app writes: time, level, logger, message, and the
    fields passed in `extra` (the request log's method, path, status...)."""
    return JsonFormatter(
        "{levelname}{name}{process}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
        timestamp="time",  # ISO 8601, UTC
        json_ensure_ascii=False,
    )


def _configure_logging(app: Flask) -> None:
    # One JSON handler on the root logger, added once however many apps a process creates
    # (tests create one per test): the app's lines, the libraries' warnings and werkzeug's all
    # come out the same way. The root keeps its level (WARNING): at INFO, SQLAlchemy would log
    # every query. The app's own loggers ("diaspora.*") follow LOG_LEVEL.
    root = logging.getLogger()
    if not any(getattr(h, "diaspora_json", False) for h in root.handlers):
        handler = logging.StreamHandler(wsgi_errors_stream)
        handler.diaspora_json = True
        handler.setFormatter(json_formatter())
        handler.addFilter(_RequestIdFilter())
        root.addHandler(handler)
    app.logger.removeHandler(default_handler)  # Flask's own, in plain text
    app.logger.setLevel(app.config["LOG_LEVEL"])


def _logged_path() -> str:
    # A signed link's token is a password for as long as it lives: the log names its route.
    if request.url_rule is not None and "token" in (request.view_args or {}):
        return request.url_rule.rule
    return request.path


def _signed_in_user_id() -> int | None:
    # Only a user this request already loaded: asking Flask-Login would read the database for
    # requests that did not (static files, /healthz, the "database down" page).
    user = g.get("_login_user")
    return getattr(user, "id", None)


def register(app: Flask) -> None:
    """JSON logs for this app, a request id for each request, and one line per request."""
    _configure_logging(app)
    trust_header = app.config["TRUST_REQUEST_ID"]

    @app.before_request
    def assign_request_id() -> None:
        g.request_started = time.perf_counter()
        offered = request.headers.get(HEADER, "")
        trusted = trust_header and WELL_FORMED.fullmatch(offered)
        g.request_id = offered if trusted else uuid.uuid4().hex

    @app.after_request
    def log_request(response: Response) -> Response:
        # An error before the first hook (opening the session, say) skips it, not this one.
        request_id = g.setdefault("request_id", uuid.uuid4().hex)
        started = g.get("request_started", time.perf_counter())
        response.headers[HEADER] = request_id
        path = _logged_path()
        requests_log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": path,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": _signed_in_user_id(),
            },
        )
        return response
