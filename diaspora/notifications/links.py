"""Absolute links for emails.

Built from PUBLIC_BASE_URL, never from the request's Host header: a password-reset link must not
point wherever an attacker's forged Host says.
"""

from urllib.parse import urlsplit

from flask import current_app


def _adapter():
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )


def external_url(endpoint: str, **values) -> str:
    return _adapter().build(endpoint, values, force_external=True)


def site_path(endpoint: str, **values) -> str:
    """The page's path inside the site ("/matches/12"), for links kept in the database and
    followed from one of its pages (in-app notifications)."""
    return _adapter().build(endpoint, values)


def absolute(path: str) -> str:
    """A `site_path` as an absolute link, for an email."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/" + path.lstrip("/")
