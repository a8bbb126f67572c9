"""gunicorn's settings in production: `gunicorn -c python:diaspora.gunicorn_config wsgi:app`.

The app is loaded and warmed once in the master (`preload_app`), then forked: the workers
share the taxonomy and the matching index (copy-on-write), each answers its first request as
fast as the rest, and none inherits a database connection. Environment variables override the
defaults below; so does the command line (`--bind`, `--workers`...).
"""

import os
import shutil
import tempfile

# One BLAS thread per process: set by the package diaspora, imported before this module.

# Before anything imports prometheus_client: it picks where each process keeps its counts at
# import time. The workers write theirs there, so that /metrics reports all of them.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="diaspora-metrics-")
    _own_metrics_dir = True
else:
    _own_metrics_dir = False
    # Counts of a previous run would be added to this one's.
    for _name in os.listdir(os.environ["PROMETHEUS_MULTIPROC_DIR"]):
        if _name.endswith(".db"):
            os.remove(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], _name))

# Only the TLS proxy in front should reach the app (README, "Deploying").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads serve the requests that wait on PostgreSQL or Redis while another one computes.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A worker silent this long is killed and replaced (a request of a gthread worker may take
# longer: its main thread keeps telling the master it is alive).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5  # the proxy reuses its connections
preload_app = True
# systemd (or the shell) manages the server through signals; gunicorn's control socket, one path
# per user, would clash between two servers of one account (tests, benchmarks).
control_socket_disable = True

# Logs: JSON lines on stderr. The app writes one line per request itself (with the request id,
# the user and the route, and without the tokens of signed links, which gunicorn's access log
# would print): gunicorn's access log stays off unless GUNICORN_ACCESS_LOG names a file or "-".
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(b)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
logconfig_dict = {
    # The app adds its JSON handler to the root logger (diaspora.request_log). gunicorn's error
    # log writes JSON too; its access log (not named here) keeps the handler gunicorn gives it,
    # with access_log_format as the line.
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["errors"], "propagate": False}
    },
    "handlers": {
        "errors": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "formatters": {"json": {"()": "diaspora.request_log.json_formatter"}},
}


def _app(server):
    return server.app.wsgi()  # the Flask app of wsgi.py, loaded once by preload_app


def on_starting(server):
    """In the master, before it listens: warm the preloaded app for every worker."""
    if server.cfg.preload_app:
        from diaspora import warmup

        warmup.warm(_app(server))


def post_fork(server, worker):
    """In each new worker: forget any database connection inherited from the master."""
    if server.cfg.preload_app:
        from diaspora import warmup

        warmup.forget_inherited_connections(_app(server))


def post_worker_init(worker):
    """In each worker, before its first request: warm it if the master could not (no
    preload), and open its own database connection."""
    from diaspora import warmup

    if not worker.cfg.preload_app:
        warmup.warm(worker.wsgi)
    warmup.connect(worker.wsgi)


def child_exit(server, worker):
    """A worker has gone: its live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
