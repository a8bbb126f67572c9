"""WSGI entry point: `gunicorn --preload wsgi:app` (DIASPORA_CONFIG=production).

With DIASPORA_WARM=1 the taxonomy and the matching index are built here, once: with
`--preload` the workers inherit them instead of each paying for them on its first request.
"""

import os

from diaspora import create_app

app = create_app()

if os.environ.get("DIASPORA_WARM") == "1":
    from diaspora.extensions import db
    from diaspora.services import match_index
    from diaspora.taxonomy import get_taxonomy

    with app.app_context():
        get_taxonomy().warm()
        match_index.current_index()
        # The workers are forked from this process: a pooled connection left open here would
        # be shared by all of them, their queries interleaved on one socket.
        db.engine.dispose()
