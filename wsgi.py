"""WSGI entry point: `gunicorn -c python:diaspora.gunicorn_config wsgi:app` in production
(DIASPORA_CONFIG=production), which warms the app before forking its workers.

Under another server, DIASPORA_WARM=1 warms it here, once: with a preloading server the workers
inherit the taxonomy and the matching index instead of each paying for them on a first request.
"""

import os

from diaspora import create_app

app = create_app()

if os.environ.get("DIASPORA_WARM") == "1":
    from diaspora import warmup

    warmup.warm(app)  # and leaves no database connection for the forked workers to share
