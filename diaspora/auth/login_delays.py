"""Progressive log-in delays per (account, client address).

A lock on the account after some wrong passwords would let anyone lock its owner out from
anywhere. Here only the address that keeps guessing waits: after LOGIN_FREE_FAILURES wrong
passwords for one account, each further try from that address must wait LOGIN_DELAY_SECONDS,
doubling with each failure up to LOGIN_DELAY_MAX_SECONDS. The owner, from their own address,
is not slowed down. Unknown addresses count like known ones (no enumeration).

The counts live in Flask-Limiter's storage (Redis in production), shared by every process.
"""

import hashlib
import math
import time

from flask import current_app
from werkzeug.exceptions import TooManyRequests

from diaspora.extensions import limiter

# Failures are forgotten a day after the first one of a series (or at a successful log-in).
FAILURE_MEMORY_SECONDS = 24 * 3600


def _keys(email: str, address: str) -> tuple[str, str]:
    # Digested: the storage need not hold people's email addresses.
    who = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()
    return f"login-failures/{who}", f"login-wait/{who}"


def check(email: str, address: str) -> None:
    """Refuse (429, with the seconds to wait) a try that comes before this address's delay for
    this account is over."""
    if not limiter.enabled:
        return
    _, wait_key = _keys(email, address)
    if limiter.storage.get(wait_key):
        seconds = math.ceil(limiter.storage.get_expiry(wait_key) - time.time())
        raise TooManyRequests(retry_after=max(seconds, 1))


def failed(email: str, address: str) -> None:
    """Count a wrong password from `address` for `email`; past the free ones, start a delay."""
    if not limiter.enabled:
        return
    config = current_app.config
    failures_key, wait_key = _keys(email, address)
    failures = limiter.storage.incr(failures_key, FAILURE_MEMORY_SECONDS)
    beyond = failures - config["LOGIN_FREE_FAILURES"]
    if beyond >= 0:
        delay = config["LOGIN_DELAY_SECONDS"] * 2 ** min(beyond, 30)
        delay = min(delay, config["LOGIN_DELAY_MAX_SECONDS"])
        limiter.storage.clear(wait_key)
        limiter.storage.incr(wait_key, delay)


def succeeded(email: str, address: str) -> None:
    """The right password: this address starts afresh for this account."""
    if not limiter.enabled:
        return
    for key in _keys(email, address):
        limiter.storage.clear(key)
