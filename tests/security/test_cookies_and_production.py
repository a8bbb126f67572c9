"""Cookie flags everywhere, and the production settings: cookies only over HTTPS, HSTS, and
no start at all without a real secret key and database."""

import re

import pytest

from config import ProductionConfig
from diaspora import create_app
from tests.conftest import PASSWORD


def cookie(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert found, f"no {name} cookie set"
    return found[0]


def flags(set_cookie: str) -> set[str]:
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


def test_the_session_cookie_is_out_of_reach_of_scripts_and_of_other_sites(client, make_user):
    make_user("salma@example.org")
    response = client.post(
        "/auth/login", data={"email": "salma@example.org", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        assert {"httponly", "samesite=lax"} <= flags(cookie(response, name)), name


PRODUCTION_SECRET = "a-long-random-production-secret-of-48-characters"


@pytest.fixture
def production_env(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/5")


def test_production_sends_cookies_only_over_https(production_env, make_user):
    settings = ProductionConfig()
    assert settings.SESSION_COOKIE_SECURE and settings.REMEMBER_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.REMEMBER_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert settings.SECRET_KEY == PRODUCTION_SECRET

    make_user("salma@example.org")
    # Counted in this process: the test needs no Redis server.
    client = create_app("production", RATELIMIT_STORAGE_URI="memory://").test_client()
    https = "https://diaspora.gov.ma"
    page = client.get("/auth/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    # Over HTTPS Flask-WTF also wants a same-site Referer, which same-origin policy still sends.
    response = client.post(
        "/auth/login",
        base_url=https,
        headers={"Referer": https + "/"},
        data={
            "email": "salma@example.org",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        assert {"secure", "httponly", "samesite=lax"} <= flags(cookie(response, name)), name
    assert int(response.headers["Strict-Transport-Security"].split("=")[1]) >= 180 * 24 * 3600


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secret_or_database(
    production_env, monkeypatch, missing
):
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app("production")
    monkeypatch.setenv(missing, "")
    with pytest.raises(RuntimeError, match=missing):
        ProductionConfig()
