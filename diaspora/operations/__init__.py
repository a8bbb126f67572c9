"""Endpoints for the machines that run the platform: health, readiness, metrics.

Outside rate limits (a load balancer probes every few seconds) and without log-in."""

from flask import Blueprint

from diaspora.extensions import limiter

bp = Blueprint("operations", __name__)
limiter.exempt(bp)

from diaspora.operations import routes  # noqa: E402,F401  (routes attach themselves to bp)
