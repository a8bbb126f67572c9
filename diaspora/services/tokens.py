"""Signed, expiring tokens for links sent by email."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from diaspora.services.errors import InvalidToken


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"diaspora.{purpose}")


def fingerprint(value: str | None) -> str:
    """A short digest of state that must not have changed when the token is used (single use)."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make(purpose: str, payload: dict) -> str:
    """A signed token carrying `payload` for links of this `purpose`."""
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int) -> dict:
    """The payload of a token of this `purpose` younger than `max_age` seconds, or InvalidToken."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as e:
        raise InvalidToken("expired") from e
    except BadSignature as e:
        raise InvalidToken("invalid") from e
    if not isinstance(payload, dict):
        raise InvalidToken("invalid")
    return payload
