"""WSGI entry point: `gunicorn wsgi:app` (DIASPORA_CONFIG=production)."""

from diaspora import create_app

app = create_app()
