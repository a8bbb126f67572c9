"""Production refuses to start with settings that would let strangers in: a secret key that is
public or short (anyone could sign session cookies and email links), rate limits counted per
process (each worker would grant its own allowance, and the log-in delays would not hold); and
`flask seed-demo`, whose accounts share a published password, refuses to run there."""

import pytest

from config import DEVELOPMENT_SECRET_KEY, DevelopmentConfig, ProductionConfig
from diaspora import create_app
from diaspora.models import User

STRONG_KEY = "kq3J8vN2xR5tW9zB4mC7fH1dL6pS0gYe-uA2oI8wQ"
REDIS = "redis://127.0.0.1:6379/5"


@pytest.fixture
def production_env(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS)


def test_sound_settings_start(production_env):
    settings = ProductionConfig()
    assert settings.SECRET_KEY == STRONG_KEY and settings.RATELIMIT_STORAGE_URI == REDIS


@pytest.mark.parametrize(
    "key", [DEVELOPMENT_SECRET_KEY, "testing", "secret", "change-me", "short", "x" * 31]
)
def test_a_known_or_short_secret_key_is_refused(production_env, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


@pytest.mark.parametrize("storage", ["memory://", "", None])
def test_rate_limits_counted_per_process_are_refused(production_env, monkeypatch, storage):
    if storage is None:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    else:
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI.*redis://"):
        create_app("production")


def test_every_refusal_is_told_at_once(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "testing")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match="SECRET_KEY.*RATELIMIT_STORAGE_URI"):
        ProductionConfig()


def test_production_trusts_one_proxy_and_development_none(production_env):
    assert ProductionConfig().TRUSTED_PROXY_HOPS == 1
    assert DevelopmentConfig.TRUSTED_PROXY_HOPS == 0


def test_seed_demo_refuses_to_run_in_production(production_env, app):
    production = create_app("production", RATELIMIT_STORAGE_URI="memory://")
    with production.app_context():  # the command runs in it, not in the test app's
        result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses to run in production" in result.output
    assert User.query.count() == 0
