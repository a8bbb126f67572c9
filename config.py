"""Settings, one class per environment; every value can be overridden from the environment.

`create_app()` picks the class named by `DIASPORA_CONFIG` (development, testing, production).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("DIASPORA_INSTANCE_DIR", BASE_DIR / "instance"))


def env(name: str, default=None):
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'diaspora.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Languages: French first (the default), Arabic right-to-left, English.
    LANGUAGES = ("fr", "ar", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Casablanca"

    # Mail. MAIL_BACKEND "smtp" sends through Flask-Mail; "file" writes .eml files to MAIL_DIR.
    MAIL_BACKEND = env("MAIL_BACKEND", "smtp")
    MAIL_DIR = env("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env("MAIL_DEFAULT_SENDER", "Diaspora <no-reply@diaspora.gov.ma>")
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10)
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 30)
    # The admin outbox shows the personal links of emails (reset, verification, invitation)
    # only in development, where it stands in for a mail server; elsewhere they are hidden.
    OUTBOX_SHOWS_LINKS = False

    # Absolute base of links in emails (emails are rendered outside any request).
    PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    # Signed links: email verification and password reset lifetimes, in seconds.
    VERIFY_TOKEN_MAX_AGE = env_int("VERIFY_TOKEN_MAX_AGE", 3 * 24 * 3600)
    RESET_TOKEN_MAX_AGE = env_int("RESET_TOKEN_MAX_AGE", 3600)

    # Throttling: Flask-Limiter; Redis in production (RATELIMIT_STORAGE_URI=redis://...).
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT = env("LOGIN_LIMIT", "10 per minute;50 per hour")
    RESET_LIMIT = env("RESET_LIMIT", "5 per minute;20 per hour")
    SIGNUP_LIMIT = env("SIGNUP_LIMIT", "10 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open while travelling should still submit
    # Strict-Transport-Security max-age in seconds; 0 sends none (plain HTTP in development).
    HSTS_SECONDS = 0

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # uploads of import files

    # Matching: how many suggestions each open project keeps for review, the weights of the
    # score's factors (None: the engine's defaults, recorded with every suggestion), the fair
    # exposure penalty, and whether bios and descriptions are compared by a sentence encoder.
    MATCH_TOP_K = env_int("MATCH_TOP_K", 20)
    MATCH_WEIGHTS: dict | None = None
    MATCH_EXPOSURE: dict = {}
    MATCH_USE_TEXT = env_bool("MATCH_USE_TEXT", True)

    # Invitations: one reminder after this many days unanswered, expiry after that many.
    INVITATION_REMIND_DAYS = env_int("INVITATION_REMIND_DAYS", 3)
    INVITATION_EXPIRE_DAYS = env_int("INVITATION_EXPIRE_DAYS", 14)

    # Version of the consent text experts agree to; bump it when the text changes.
    CONSENT_VERSION = env("CONSENT_VERSION", "2026-11")


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_BACKEND = env("MAIL_BACKEND", "file")
    OUTBOX_SHOWS_LINKS = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = env("TEST_DATABASE_URL", "sqlite://")
    MAIL_BACKEND = "file"
    WTF_CSRF_ENABLED = False  # tests that exercise CSRF switch it back on
    RATELIMIT_ENABLED = False  # throttling tests switch it back on
    OUTBOX_BACKOFF_SECONDS = 0
    MATCH_USE_TEXT = False  # loading the sentence encoder per test is slow; its tests opt in


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    PREFERRED_URL_SCHEME = "https"

    def __init__(self):
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            names = ", ".join(missing)
            raise RuntimeError(f"Production needs these environment variables: {names}")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
