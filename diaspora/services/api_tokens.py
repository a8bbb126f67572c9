"""Personal access tokens of the JSON API: made and revoked by their owner on the account page,
presented as ``Authorization: Bearer <token>``.

A token is a random secret shown once; the database keeps its SHA-256 digest (the secret has
256 bits of entropy, so a fast digest is enough: nothing is left to guess) and a short prefix
its owner recognises it by. A token acts as its owner, with the owner's role and rights, within
its scope (`permissions.token_permits`), until it expires or is revoked.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import ApiToken, TokenScope, User
from diaspora.models.base import utcnow
from diaspora.rules import text
from diaspora.services import audit
from diaspora.services.errors import InvalidToken, NotFound, ValidationFailed

# What every token starts with: secret scanners and people recognise it.
TOKEN_MARK = "dsp_"
PREFIX_LENGTH = len(TOKEN_MARK) + 8
LIFETIMES_DAYS = (30, 90, 365)
MAX_NAME = 100
# Live tokens one person may hold: enough for every tool they use, few enough to review.
MAX_LIVE_TOKENS = 20
# How often a token's last use is written down: exact enough to tell a token in use from a
# forgotten one, without a write per API request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` exists only here, to be shown once."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def is_live(token: ApiToken, now=None) -> bool:
    """Not revoked and not expired."""
    now = now or utcnow()
    return token.revoked_at is None and now < token.expires_at


def _live(user: User):
    return select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()
    )


def list_for(user: User) -> list[ApiToken]:
    """The user's tokens not revoked, newest first (expired ones included, marked so by
    `is_live`)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create(user: User, name: str, scope: str, lifetime_days: int) -> NewToken:
    """Make a token for `user`: `scope` read or write, expiring after one of LIFETIMES_DAYS.
    The secret is in the result and nowhere else."""
    name = text.clean_line(name or "")
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the token after the tool that will use it.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("At most %(n)d characters.", n=MAX_NAME)]
    if scope not in TokenScope.ALL:
        errors["scope"] = [_("Choose read or write.")]
    if lifetime_days not in LIFETIMES_DAYS:
        errors["lifetime_days"] = [_("Choose how long the token lasts from the list.")]
    live = db.session.scalar(select(func.count()).select_from(_live(user).subquery()))
    if live >= MAX_LIVE_TOKENS:
        errors[""] = [_("You have %(n)d tokens: revoke one first.", n=live)]
    if errors:
        raise ValidationFailed(errors)
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        user,
        "api_token.created",
        token,
        name=name,
        scope=scope,
        prefix=token.prefix,
        expires_at=token.expires_at.isoformat(),
    )
    db.session.commit()
    return NewToken(token, secret)


def revoke(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (NotFound for anyone else's); it stops working at
    once. Revoking a revoked token changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("api token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(user, "api_token.revoked", token, name=token.name, prefix=token.prefix)
        db.session.commit()
    return token


def authenticate(secret: str) -> ApiToken:
    """The live token with this secret, its owner active; InvalidToken otherwise (unknown,
    revoked, expired, or its owner's account closed). Notes when it was last used."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest(secret or "")))
    now = utcnow()
    user = token.user if token is not None else None
    # SQLite ignores ON DELETE CASCADE and reuses the highest id of a deleted row: a token may
    # outlive its user, or be older than the account that now has that id.
    if user is None or token.created_at < user.created_at or not user.active:
        raise InvalidToken("invalid")
    if not is_live(token, now):
        raise InvalidToken("expired" if token.revoked_at is None else "revoked")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return token
