"""Who calls the API: the owner of the personal access token in ``Authorization: Bearer``.

Only the token authenticates: a browser's session cookie is ignored under /api/v1, so no page
of another site can make a signed-in visitor's browser write through the API (no CSRF), and
the API needs no CSRF token.
"""

from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import abort

from diaspora.models import ApiToken, User
from diaspora.services import api_tokens, permissions
from diaspora.services.errors import InvalidToken

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _secret() -> str | None:
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def current_token() -> ApiToken | None:
    """The live token the request carries, or None; looked up once per request."""
    if "api_token" not in g:
        secret = _secret()
        try:
            g.api_token = api_tokens.authenticate(secret) if secret else None
        except InvalidToken:
            g.api_token = None
    return g.api_token


def rate_limit_key() -> str:
    """Requests are counted per token; those without a valid one per client address (they
    are refused anyway, and so are guesses at tokens beyond the limit)."""
    token = current_token()
    if token is None:
        return "api-anonymous:" + (get_remote_address() or "")
    return f"api-token:{token.id}"


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate() -> None:
    """Before every API request: a live token with the scope the method needs, or 401/403."""
    token = current_token()
    if token is None:
        detail = (
            _("This token is unknown, expired or revoked.")
            if _secret()
            else _("Send a personal access token: Authorization: Bearer <token>.")
        )
        abort(401, detail=detail)
    if not permissions.token_permits(token, writing=request.method not in READING_METHODS):
        abort(
            403,
            detail=_("This token may only read: create one with write access to change data."),
            headers={"WWW-Authenticate": 'Bearer realm="diaspora", error="insufficient_scope"'},
        )
    g.api_user = token.user


def actor() -> User:
    """The token's owner: the user every service call of the request acts as."""
    return g.api_user


def roles(*allowed: str):
    """Operations for some roles only, as the pages have them: others get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if actor().role not in allowed:
                abort(403, detail=_("Your role does not give access to this operation."))
            return view(*args, **kwargs)

        return wrapper

    return decorator
