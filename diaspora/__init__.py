"""diaspora: matching Moroccan experts abroad with Moroccan institutions' AI projects.

Flask is imported inside the factory, not here: the pure packages (diaspora.matching,
diaspora.taxonomy, diaspora.interchange) must load without the web framework.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

# One BLAS thread per process, set before numpy loads (the server, `flask import`, the tests):
# the BLAS threads a process starts per core wait for each other on a busy machine. At 100,000
# experts on 2 shared cores (bench/publish_latency.py, in turns), a publication took 0.9-1.1 s
# (p50) with the default threads and 0.5-0.6 s with one, the index build 52-60 s and 31-39 s;
# the sentence encoder (profile texts on import) took 21.5 ms a text with the default threads
# and 5.8 ms with one at load 3.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build the application: `config` names a class of config.py (default: DIASPORA_CONFIG)."""
    from flask import Flask

    from config import CONFIGS, INSTANCE_DIR

    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates"),
    )
    config = config or os.environ.get("DIASPORA_CONFIG", "development")
    config_class = CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(config_class())
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    trust_proxies(app)
    register_observability(app)  # first: its hooks time and log everything after them

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_context(app)
    register_shellcontext(app)
    register_commands(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies, take the client's address and scheme from the
    X-Forwarded-For/-Proto headers they add: rate limits and log-in delays then count each
    visitor, not the proxy, and HTTPS is known as such."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_observability(app: Flask) -> None:
    """JSON logs with a request id, and Prometheus metrics of every request."""
    from diaspora import metrics, request_log

    request_log.register(app)
    metrics.register(app)


def register_extensions(app: Flask) -> None:
    from diaspora import i18n
    from diaspora.extensions import babel, csrf, db, limiter, login, mail, migrate

    db.init_app(app)
    migrations = os.path.abspath(os.path.join(app.root_path, os.pardir, "migrations"))
    migrate.init_app(app, db, directory=migrations)
    login.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.use_partial_languages(babel)
    limiter.init_app(app)

    from diaspora.auth import session_loader

    session_loader.configure(app, login)


def register_blueprints(app: Flask) -> None:
    from diaspora.admin import bp as admin_bp
    from diaspora.api import bp as api_bp
    from diaspora.api import v1
    from diaspora.auth import bp as auth_bp
    from diaspora.collaborations import bp as collaborations_bp
    from diaspora.contests import bp as contests_bp
    from diaspora.experts import bp as experts_bp
    from diaspora.institutions import bp as institutions_bp
    from diaspora.invitations import bp as invitations_bp
    from diaspora.main import bp as main_bp
    from diaspora.main.converters import IdConverter
    from diaspora.notification_centre import bp as notification_centre_bp
    from diaspora.operations import bp as operations_bp
    from diaspora.opportunities import bp as opportunities_bp
    from diaspora.projects import bp as projects_bp
    from diaspora.review import bp as review_bp
    from diaspora.search import bp as search_bp
    from diaspora.transparency import bp as transparency_bp

    app.url_map.converters["int"] = IdConverter  # before any rule is added

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(experts_bp, url_prefix="/expert")
    app.register_blueprint(api_bp, url_prefix="/api")
    v1.init_app(app)
    app.register_blueprint(operations_bp)  # /healthz, /readyz, /metrics
    app.register_blueprint(projects_bp, url_prefix="/projects")
    app.register_blueprint(search_bp, url_prefix="/search")
    # One URL space for a match's life: reviewed by admins, then answered and followed.
    app.register_blueprint(review_bp, url_prefix="/matches")
    app.register_blueprint(invitations_bp, url_prefix="/matches")
    app.register_blueprint(collaborations_bp)  # /collaborations, /certificates, /admin/...
    app.register_blueprint(opportunities_bp, url_prefix="/opportunities")
    app.register_blueprint(institutions_bp, url_prefix="/institutions")
    app.register_blueprint(transparency_bp)  # /how-matching-works
    app.register_blueprint(contests_bp)  # /contests, /admin/contests
    app.register_blueprint(notification_centre_bp)  # /notifications


def register_errorhandlers(app: Flask) -> None:
    from diaspora import errors

    errors.register(app)


def register_security_headers(app: Flask) -> None:
    from diaspora import compression, security

    security.register(app)
    compression.register(app)


def register_template_context(app: Flask) -> None:
    from diaspora import i18n, template_helpers

    i18n.register_template_helpers(app)
    template_helpers.register(app)


def register_shellcontext(app: Flask) -> None:
    from diaspora import models
    from diaspora.extensions import db

    app.shell_context_processor(lambda: {"db": db, "models": models})


def register_commands(app: Flask) -> None:
    from diaspora import commands

    commands.register(app)
