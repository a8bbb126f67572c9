"""Pages in French by default, Arabic right-to-left, English; the choice remembered on the
account; error pages for browsers and API clients; our own assets, no CDN."""

import re

import pytest

from diaspora.extensions import db
from diaspora.models import Role, User

STYLESHEET_OR_SCRIPT = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"')


def html_tag(response):
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_home_page_is_in_french_left_to_right_by_default(app):
    browser = app.test_client()  # no Accept-Language at all
    response = browser.get("/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="fr" dir="ltr">'
    assert "bootstrap.min.css" in response.get_data(as_text=True)
    assert "bootstrap.rtl.min.css" not in response.get_data(as_text=True)


def test_choosing_arabic_turns_the_site_right_to_left(client):
    response = client.post("/language", data={"lang": "ar", "next": "/about"})
    assert response.status_code == 302 and response.location.endswith("/about")
    page = client.get("/about")
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "bootstrap.rtl.min.css" in page.get_data(as_text=True)
    # The choice sticks to the session, page after page.
    assert html_tag(client.get("/")) == '<html lang="ar" dir="rtl">'


def test_choosing_english_then_french(client):
    client.post("/language", data={"lang": "en"})
    assert html_tag(client.get("/")) == '<html lang="en" dir="ltr">'
    client.post("/language", data={"lang": "fr"})
    assert html_tag(client.get("/")) == '<html lang="fr" dir="ltr">'


@pytest.mark.parametrize("lang", ["de", "", "ar\x00", "x" * 1000])
def test_an_unknown_language_changes_nothing(client, lang):
    response = client.post("/language", data={"lang": lang})
    assert response.status_code in (302, 400)
    assert html_tag(client.get("/")) == '<html lang="en" dir="ltr">'


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"lang": "ar", "next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.location


def test_a_logged_in_users_choice_is_kept_on_their_account(app, client, auth, make_user):
    make_user("salma@example.org", locale="fr")
    auth.login("salma@example.org")
    client.post("/language", data={"lang": "ar"})
    assert (
        db.session.scalar(db.select(User.locale).where(User.email == "salma@example.org")) == "ar"
    )

    # Another device, whose browser prefers English: the account's language wins.
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other.post(
        "/auth/login", data={"email": "salma@example.org", "password": "correct horse battery"}
    )
    assert html_tag(other.get("/dashboard")) == '<html lang="ar" dir="rtl">'


def test_missing_page_is_a_404_page_for_browsers_and_json_for_api_clients(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "This page does not exist" in page.get_data(as_text=True)
    assert html_tag(page) == '<html lang="en" dir="ltr">'

    api = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.mimetype == "application/json"
    assert api.get_json()["status"] == 404 and api.get_json()["error"]


def test_forbidden_page_is_a_403_page_for_browsers_and_json_for_api_clients(
    client, auth, make_user
):
    make_user("expert@example.org", role=Role.EXPERT)
    auth.login("expert@example.org")
    page = client.get("/admin/")
    assert page.status_code == 403 and page.mimetype == "text/html"
    assert "You do not have access to this page." in page.get_data(as_text=True)

    api = client.get("/admin/", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.get_json() == {
        "error": "You do not have access to this page.",
        "status": 403,
    }


def test_error_page_speaks_arabic_right_to_left_when_arabic_is_chosen(client):
    client.post("/language", data={"lang": "ar"})
    assert html_tag(client.get("/no/such/page")) == '<html lang="ar" dir="rtl">'


@pytest.mark.parametrize(
    "asset",
    [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.rtl.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "css/app.css",
    ],
)
def test_assets_are_served_by_us(client, asset):
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200 and len(response.data) > 100


@pytest.mark.parametrize("role", [None, Role.EXPERT, Role.INSTITUTION, Role.ADMIN])
def test_no_page_loads_scripts_or_styles_from_another_site(
    app, client, auth, make_user, make_institution, role
):
    if role:
        institution = make_institution() if role == Role.INSTITUTION else None
        make_user("someone@sante.gov.ma", role=role, institution=institution)
        auth.login("someone@sante.gov.ma")
    for lang in ("fr", "ar"):
        client.post("/language", data={"lang": lang})
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
                continue
            response = client.get(rule.rule)
            if response.mimetype != "text/html":
                continue
            for url in STYLESHEET_OR_SCRIPT.findall(response.get_data(as_text=True)):
                assert not re.match(r"^(https?:)?//", url), f"{rule.rule} loads {url}"
                if url.startswith("/static/"):
                    assert client.get(url).status_code == 200, f"{rule.rule}: {url} missing"
