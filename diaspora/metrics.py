"""Prometheus metrics: requests by route and status with their latency (prometheus-flask-exporter),
and the platform's backlog (outbox, review queue), counted when Prometheus scrapes.

Under gunicorn each worker counts its own requests: `diaspora.gunicorn_config` sets
PROMETHEUS_MULTIPROC_DIR, where prometheus_client keeps every worker's counts, so that whichever
worker answers /metrics answers for all of them.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os

from flask import Flask, Request, current_app
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy.exc import SQLAlchemyError

from diaspora.extensions import db

# The exporter's decorator that keeps a view (the scrape itself) out of the request counts.
not_counted = PrometheusMetrics.do_not_track


def route(request: Request) -> str:
    """The label of a request: its route's rule, never its path (ids and signed tokens would
    make a series per link); "unmatched" for a 404 outside every route."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


class BacklogCollector:
    """Gauges read from the database at each scrape (never stale, nothing to keep in step)."""

    def describe(self):
        return []  # names are not declared up front: registering must not query the database

    def collect(self):
        from diaspora.services import operations, reviews

        try:
            outbox = operations.outbox_state()
            waiting = reviews.queue_summary().size
        except SQLAlchemyError:
            with contextlib.suppress(SQLAlchemyError):
                db.session.rollback()
            yield GaugeMetricFamily("diaspora_database_up", "The database answers.", value=0)
            return
        yield GaugeMetricFamily("diaspora_database_up", "The database answers.", value=1)
        messages = GaugeMetricFamily(
            "diaspora_outbox_messages", "Emails in the outbox, by status.", labels=["status"]
        )
        messages.add_metric(["pending"], outbox.pending)
        messages.add_metric(["failed"], outbox.failed)
        yield messages
        yield GaugeMetricFamily(
            "diaspora_outbox_lag_seconds",
            "How long the oldest email that is due has waited for a worker.",
            value=outbox.lag_seconds,
        )
        yield GaugeMetricFamily(
            "diaspora_suggestions_waiting_review",
            "Suggestions of published projects waiting for an administrator's review.",
            value=waiting,
        )


def _networks(allow_from: str) -> tuple:
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in allow_from.split(",")
            if part.strip()
        )
    except ValueError as error:
        raise RuntimeError(f"METRICS_ALLOW_FROM: {error}") from error


def register(app: Flask) -> None:
    """Count this app's requests, and prepare what /metrics reports."""
    registry = CollectorRegistry()  # the app's own: tests create many apps in one process
    PrometheusMetrics(app, path=None, registry=registry, group_by=route, defaults_prefix="diaspora")
    registry.register(BacklogCollector())
    app.extensions["diaspora_metrics"] = {
        "registry": registry,
        "networks": _networks(app.config["METRICS_ALLOW_FROM"]),
    }


def may_scrape(remote_addr: str | None, authorization: str) -> bool:
    """Whether this client may read /metrics: an address of METRICS_ALLOW_FROM (as ProxyFix
    gives it: the visitor's, not the proxy's), or the bearer token METRICS_TOKEN."""
    token = current_app.config["METRICS_TOKEN"]
    scheme, _, offered = authorization.partition(" ")
    # Compared as bytes: compare_digest refuses str with characters outside ASCII.
    bearer = scheme.lower() == "bearer" and offered.strip().encode()
    if token and bearer and hmac.compare_digest(bearer, token.encode()):
        return True
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    networks = current_app.extensions["diaspora_metrics"]["networks"]
    return any(address in network for network in networks)


def exposition(accept: str | None) -> tuple[bytes, str]:
    """The metrics, in the text format the scraper accepts, and that format's content type."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # every worker's request counts
        registry.register(BacklogCollector())
    else:
        registry = current_app.extensions["diaspora_metrics"]["registry"]
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type
