"""With CSRF protection on (as in production), a POST without the page's token, or with a forged
one, is refused with 400 on every route, as every role, and changes nothing in the database;
the same POST with the token works."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.security.conftest import log_in, snapshot, urls_for

pytestmark = pytest.mark.config(WTF_CSRF_ENABLED=True)

ROLES = ["guest", "expert", "member", "admin"]


def plausible_form(site) -> dict:
    """What the app's forms would accept, so only the missing token stands in the way."""
    return {
        "email": "new.person@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "current_password": PASSWORD,
        "full_name": "New Person",
        "locale": "en",
        "action": "password",
        "lang": "ar",
        "next": "/",
        "reason": "Not a fit",
        "expert_id": str(site.expert.id),
        "match_id": str(site.suggestion.id),
        "status": "closed",
        "target": "closed",
        "back": "queue",
    }


def token_in(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("forged", [False, True], ids=["no token", "forged token"])
@pytest.mark.parametrize("role", ROLES)
def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(
    app, client, site, role, forged
):
    data = plausible_form(site) | ({"csrf_token": "forged"} if forged else {})
    before = snapshot()
    answers = {}
    for rule in app.url_map.iter_rules():
        # The API v1 opens with a token, never a cookie: there is no session to forge a request
        # with (tests/api/test_tokens.py).
        if "POST" not in rule.methods or rule.rule.startswith("/api/v1/"):
            continue
        for url in urls_for(app, site, rule):
            log_in(client, site.users[role])
            response = client.post(url, data=data)
            answers[url] = response.status_code
            # One-click unsubscribing (RFC 8058) is a mail client's POST without a page: the
            # signed link is its proof, and a junk one is refused with its own message.
            if rule.rule == "/unsubscribe/<token>":
                continue
            if response.status_code == 400:
                assert "Your form expired" in response.get_data(as_text=True), url
    assert {url for url, status in answers.items() if status != 400} == set()
    assert len(answers) >= 20
    assert snapshot() == before


def test_logging_out_without_the_token_keeps_the_session(client, site):
    log_in(client, site.member)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_the_same_posts_with_the_pages_token_work(client, site):
    log_in(client, site.member)
    token = token_in(client.get("/dashboard").get_data(as_text=True))
    response = client.post("/language", data={"lang": "ar", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard").status_code == 302  # sent to log in


def test_logging_in_needs_the_login_pages_token(client, site):
    assert (
        client.post(
            "/auth/login", data={"email": site.member.email, "password": PASSWORD}
        ).status_code
        == 400
    )
    token = token_in(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": site.member.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
