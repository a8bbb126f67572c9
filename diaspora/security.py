"""Security headers on every response: what browsers should refuse on this site's behalf.

Written by hand in one after_request hook (no extension): the policy is short, and one place
decides it for HTML pages, the JSON API and error pages alike.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

# Scripts only from our own files: no inline <script>, no onclick=, no javascript: URLs (the
# templates have none; tests/security/ keeps it so). Styles likewise: no style="" attribute.
# Images also allow data: because Bootstrap's CSS draws its small icons (menu toggler, select
# arrows, check marks) as data: SVG backgrounds; an image cannot run script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Signed links (password reset, invitation answers) live in URLs: the full address must
    # never reach another site through Referer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def register(app: Flask) -> None:
    """Add the headers to every response; HSTS when `HSTS_SECONDS` is set (production)."""
    hsts_seconds = app.config.get("HSTS_SECONDS") or 0

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts_seconds:
            response.headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}"
        if _must_not_be_stored(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def _must_not_be_stored(response: Response) -> bool:
    # A page with a token in its address is as secret as the token; a signed-in page is
    # personal: neither may stay in a shared computer's cache or a proxy. Static files may, and
    # so may an answer whose view chose its own caching (the skill autocomplete: the public
    # taxonomy, cached privately).
    if request.endpoint == "static":
        return False
    if "token" in (request.view_args or {}):
        return True
    # The header is looked at first: asking who is signed in may need the database, which the
    # "database down" page (no-store) cannot reach.
    return "Cache-Control" not in response.headers and current_user.is_authenticated
