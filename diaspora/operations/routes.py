from flask import abort, jsonify, request

from diaspora import metrics
from diaspora.operations import bp
from diaspora.services import operations


@bp.after_request
def never_cached(response):
    # Also keeps the security headers from asking who is signed in: /healthz needs no database.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
@metrics.not_counted()
def healthz():
    """The process answers; the database is not asked (that is /readyz)."""
    return jsonify(status="ok")


@bp.route("/readyz")
@metrics.not_counted()
def readyz():
    """200 when this process may take traffic, else 503; the body says which check failed."""
    readiness = operations.readiness()
    return jsonify(readiness.as_dict()), 200 if readiness.ready else 503


@bp.route("/metrics")
@metrics.not_counted()
def prometheus():
    """Prometheus metrics, for the allowed addresses or the bearer token only."""
    if not metrics.may_scrape(request.remote_addr, request.headers.get("Authorization", "")):
        abort(403)
    body, content_type = metrics.exposition(request.headers.get("Accept"))
    return body, 200, {"Content-Type": content_type}
