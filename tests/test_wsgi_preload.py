"""`gunicorn --preload` runs wsgi.py once and forks the workers from that process."""

import runpy
from pathlib import Path

from diaspora.extensions import db

WSGI = Path(__file__).resolve().parents[1] / "wsgi.py"


def test_the_warm_up_leaves_no_database_connection_for_the_forked_workers_to_share(
    app, monkeypatch
):
    # A pooled connection would be inherited by every worker: their queries interleave on one
    # socket ("prepared statement already exists", answers to another worker's query).
    monkeypatch.setenv("DIASPORA_WARM", "1")
    monkeypatch.setattr("diaspora.create_app", lambda *args, **kwargs: app)
    runpy.run_path(str(WSGI))
    with app.app_context():
        assert db.engine.pool.checkedin() == 0
