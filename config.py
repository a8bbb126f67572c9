"""Settings, one class per environment; every value can be overridden from the environment.

`create_app()` picks the class named by `DIASPORA_CONFIG` (development, testing, production).
"""

import os
from datetime import timedelta
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


DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
# Keys that are public (in this file, the tests or the docs) and so sign nothing.
KNOWN_SECRET_KEYS = {DEVELOPMENT_SECRET_KEY, "testing", "secret", "changeme", "change-me"}
MIN_SECRET_KEY_LENGTH = 32


class Config:
    SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    # Development's seed-demo and the like refuse to run where this is true.
    PRODUCTION = False
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
    # How long a manager's invitation to a colleague may be followed.
    MEMBER_INVITE_MAX_AGE = env_int("MEMBER_INVITE_MAX_AGE", 7 * 24 * 3600)

    # Throttling: Flask-Limiter; Redis in production (RATELIMIT_STORAGE_URI=redis://...).
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    # The 429 handler writes Retry-After itself, from the limit or the log-in delay that was
    # hit: Flask-Limiter's headers would report the window of a limit that was not.
    RATELIMIT_HEADERS_ENABLED = False
    # Limits per client address (IP).
    LOGIN_LIMIT = env("LOGIN_LIMIT", "10 per minute;50 per hour")
    RESET_LIMIT = env("RESET_LIMIT", "5 per minute;20 per hour")
    SIGNUP_LIMIT = env("SIGNUP_LIMIT", "10 per hour")
    # The public check of certificate codes: enough for people, too few to guess codes.
    CERTIFICATE_CHECK_LIMIT = env("CERTIFICATE_CHECK_LIMIT", "30 per minute;300 per hour")
    # Messages from the contact page: enough to write again, too few to flood the admins.
    CONTACT_LIMIT = env("CONTACT_LIMIT", "5 per hour;20 per day")
    CV_UPLOAD_LIMIT = env("CV_UPLOAD_LIMIT", "10 per minute;60 per hour")
    # Log-in delays per (account, client address): after this many wrong passwords each further
    # try from that address waits LOGIN_DELAY_SECONDS, doubling up to LOGIN_DELAY_MAX_SECONDS.
    # Nobody else is slowed down, so a guesser cannot lock the owner out.
    LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 3)
    LOGIN_DELAY_SECONDS = env_int("LOGIN_DELAY_SECONDS", 2)
    LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 15 * 60)
    # Emails of one kind (reset link, confirmation link, "you already have an account") that one
    # address may receive per window, whoever asks and from wherever: no email bombing.
    ADDRESS_EMAIL_LIMIT = env_int("ADDRESS_EMAIL_LIMIT", 3)
    ADDRESS_EMAIL_WINDOW_MINUTES = env_int("ADDRESS_EMAIL_WINDOW_MINUTES", 60)
    # Requests per personal access token to the JSON API (/api/v1).
    API_RATE_LIMIT = env("API_RATE_LIMIT", "300 per minute;5000 per hour")
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (ProxyFix):
    # 0 when clients connect directly, 1 behind one TLS proxy. Too few and every visitor shares
    # the proxy's address (one rate-limit bucket for all); too many and clients can pick theirs.
    TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)

    # Operations. Logs: one JSON object per line, one line per request. The X-Request-ID a
    # proxy sets is kept only when trusted (a client could otherwise pick the id its actions
    # are logged under); else each request gets a new one.
    LOG_LEVEL = env("LOG_LEVEL", "INFO")
    TRUST_REQUEST_ID = env_bool("TRUST_REQUEST_ID", False)
    # /metrics answers these addresses or networks (after ProxyFix), or a client that sends
    # `Authorization: Bearer <METRICS_TOKEN>`; nobody else.
    METRICS_ALLOW_FROM = env("METRICS_ALLOW_FROM", "127.0.0.1,::1")
    METRICS_TOKEN = env("METRICS_TOKEN")
    # /readyz fails when the oldest due email waits longer than this (seconds); 0: the lag is
    # reported, never failed on (a stuck mail worker should page someone, not take the web
    # workers out of the load balancer).
    READY_MAX_OUTBOX_LAG_SECONDS = env_int("READY_MAX_OUTBOX_LAG_SECONDS", 0)

    # Signed-in sessions live server-side (table login_sessions): logging out ends them. Without
    # "keep me logged in" a session ends after LOGIN_IDLE_HOURS unused; with it, the remember-me
    # cookie and its session last REMEMBER_DAYS.
    LOGIN_IDLE_HOURS = env_int("LOGIN_IDLE_HOURS", 12)
    REMEMBER_COOKIE_DURATION = timedelta(days=env_int("REMEMBER_DAYS", 30))

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
    # An expert whose remaining monthly hours (offered minus committed) fall short of a
    # project's by up to this share of the project's hours is still proposed, lower in the
    # ranking; beyond it they are left out. 0.75 keeps the labelled dev split's nDCG@10 at
    # 0.942 (its hours are drawn at random, unrelated to relevance: 0.25 gives 0.905); an
    # expert with no hours left is never proposed.
    MATCH_HOURS_MARGIN = float(env("MATCH_HOURS_MARGIN", "0.75"))
    # The day the weights in force were set (YYYY-MM-DD), said on the public page "how matching
    # works": change it with MATCH_WEIGHTS. The engine's default weights date from 2026-11-23.
    MATCH_WEIGHTS_SINCE = env("MATCH_WEIGHTS_SINCE", "2026-11-23")
    # A weight set an admin adopted (`flask matching learn-weights`, /admin/weights) replaces
    # MATCH_WEIGHTS. Each process reads which one is in force at most this often, and at once
    # when it builds its matching index again (adopting a set makes every process do so).
    WEIGHTS_MAX_AGE_SECONDS = env_int("WEIGHTS_MAX_AGE_SECONDS", 30)

    # A request for a human review of a decision is answered within this many days.
    CONTEST_DAYS = env_int("CONTEST_DAYS", 7)

    # Figures counted over whole tables (the admins' dashboard and insights) are kept this many
    # seconds in each process (services/kept_figures.py); 0 counts them on every view.
    FIGURES_MAX_AGE_SECONDS = env_int("FIGURES_MAX_AGE_SECONDS", 60)

    # Invitations: one reminder after this many days unanswered, expiry after that many.
    INVITATION_REMIND_DAYS = env_int("INVITATION_REMIND_DAYS", 3)
    INVITATION_EXPIRE_DAYS = env_int("INVITATION_EXPIRE_DAYS", 14)

    # Alerts: at most this many experts are emailed about one newly published project (the
    # best fits first), so that publishing stays quick (about 10 ms an email).
    PROJECT_ALERTS_MAX = env_int("PROJECT_ALERTS_MAX", 200)

    # Version of the consent text experts agree to; bump it when the text changes, and say
    # in CONSENT_CHANGES what changed (per version, in each language; the first version's
    # entry says it is the first). Experts who agreed to an older version are no longer
    # suggested until they accept the new one; run `flask notifications consent` after
    # deploying to tell them (services/consent.py).
    CONSENT_VERSION = env("CONSENT_VERSION", "2026-11")
    CONSENT_CHANGES: dict[str, dict[str, str]] = {
        "2026-11": {
            "fr": "C'est la première version du texte de consentement : notre moteur de mise en "
            "relation compare votre profil aux projets des institutions, un administrateur "
            "examine chaque suggestion avant que quiconque ne vous contacte, et vous pouvez "
            "changer d'avis à tout moment.",
            "ar": "هذه هي النسخة الأولى من نص الموافقة: يقارن محرك المطابقة لدينا ملفك الشخصي "
            "بمشاريع المؤسسات، ويراجع أحد المسؤولين كل اقتراح قبل أن يتواصل معك أي أحد، "
            "ويمكنك تغيير رأيك في أي وقت.",
            "en": "This is the first version of the consent text: our matching engine compares "
            "your profile with institutions' projects, an administrator reviews every "
            "suggestion before anyone contacts you, and you can change your mind at any time.",
        },
    }


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
    FIGURES_MAX_AGE_SECONDS = 0  # a test reads the figures its changes make


class ProductionConfig(Config):
    PRODUCTION = True
    TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1)  # behind one TLS proxy
    TRUST_REQUEST_ID = env_bool("TRUST_REQUEST_ID", True)  # which that proxy sets
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
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
        refusals = unsafe_production_settings(self.SECRET_KEY, self.RATELIMIT_STORAGE_URI)
        if refusals:
            raise RuntimeError("Production refuses to start: " + " ".join(refusals))


def unsafe_production_settings(secret_key: str, ratelimit_storage_uri: str) -> list[str]:
    """What makes these settings unsafe for production, in words (empty when they are safe)."""
    refusals = []
    if secret_key in KNOWN_SECRET_KEYS:
        refusals.append(
            "SECRET_KEY is a publicly known value; generate one, e.g. with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH:
        refusals.append(
            f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters; "
            "generate a long random one."
        )
    if not ratelimit_storage_uri or ratelimit_storage_uri.startswith("memory://"):
        refusals.append(
            "RATELIMIT_STORAGE_URI must name a store shared by every app process, "
            "e.g. redis://127.0.0.1:6379/0 (memory:// counts per process, so limits "
            "and log-in delays would not hold)."
        )
    return refusals


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
