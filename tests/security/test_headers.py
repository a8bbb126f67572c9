"""Security headers on every kind of answer: pages, the JSON API, error pages; what may be kept
in a browser's cache; HSTS only where the site is served over HTTPS."""

import pytest

from diaspora.models import Role
from tests.security.conftest import log_in

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_protected(response):
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_carry_the_security_headers(client, make_user):
    for url in ("/", "/about", "/auth/login", "/auth/signup/expert"):
        assert_protected(client.get(url))
    log_in(client, make_user("salma@example.org", role=Role.EXPERT))
    assert_protected(client.get("/dashboard"))


def test_the_json_api_carries_them_too(client):
    response = client.get("/api/skills", query_string={"q": "python"})
    assert response.status_code == 200 and response.is_json
    assert_protected(response)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_error_pages_carry_them(client, make_user):
    assert_protected(client.get("/no-such-page"))  # 404
    assert_protected(client.get("/api/no-such-thing"))  # 404 in JSON
    assert_protected(client.get("/auth/logout"))  # 405
    assert_protected(client.post("/auth/login", data={"email": "a@b.org"}))  # 400: no token
    log_in(client, make_user("salma@example.org", role=Role.EXPERT))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert_protected(response)


def test_scripts_and_styles_come_only_from_our_own_files(client):
    csp = policy(client.get("/"))
    assert csp["default-src"] == ["'self'"]
    for directive in (
        "script-src",
        "style-src",
        "font-src",
        "connect-src",
        "form-action",
        "base-uri",
    ):
        assert csp[directive] == ["'self'"], directive
    # data: is for Bootstrap's small SVG icons drawn from its CSS; an image runs no script.
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    every_source = {s for sources in csp.values() for s in sources}
    assert not every_source & {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"}


def test_signed_in_pages_are_never_stored(client, make_user):
    log_in(client, make_user("salma@example.org", role=Role.EXPERT))
    for url in ("/dashboard", "/expert/profile", "/auth/account", "/"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def test_a_guest_page_may_be_cached_and_so_may_static_files(client, make_user):
    assert "no-store" not in client.get("/about").headers.get("Cache-Control", "")
    log_in(client, make_user("salma@example.org", role=Role.EXPERT))
    css = client.get("/static/css/app.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")
    css.close()


def test_pages_opened_from_signed_links_are_never_stored_even_for_guests(client, site):
    for path in (
        site.reset_path,
        site.invitation_path,
        "/auth/reset/forged-token",
        "/auth/verify/forged-token",
        "/matches/invitation/forged-token/decline",
    ):
        response = client.get(path)
        assert response.status_code in (200, 400), path
        assert response.headers.get("Cache-Control") == "no-store", path


def test_signed_links_never_leak_to_other_sites_through_the_referer(client, site):
    # The page of a reset link has no link to another site, and the policy forbids sending
    # its address to one anyway.
    response = client.get(site.reset_path)
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "https://" not in response.get_data(as_text=True)


def test_no_hsts_on_plain_http_in_development_and_tests(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.config(HSTS_SECONDS=31536000)
def test_hsts_when_the_site_is_served_over_https(client):
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"
