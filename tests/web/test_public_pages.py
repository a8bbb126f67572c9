"""The pages a public service owes everyone: in every language offered, with the right lang and
dir, a description for search engines, and a contact form that reaches the administrators
without telling who has an account."""

import re

import pytest

from diaspora.models import Role

PUBLIC_PAGES = ("/", "/statistics", "/privacy", "/terms", "/accessibility", "/auth/login")
DIRECTIONS = {"fr": "ltr", "ar": "rtl", "en": "ltr", "zgh": "ltr"}


@pytest.mark.parametrize("lang", DIRECTIONS)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_answers_in_each_language_with_its_lang_and_dir(app, lang, path):
    browser = app.test_client()
    browser.post("/language", data={"lang": lang})
    response = browser.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{DIRECTIONS[lang]}">' in page
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description and len(description.group(1)) > 40


def test_tamazight_shows_tifinagh_on_public_pages_and_french_elsewhere(app, make_user):
    browser = app.test_client()
    browser.post("/language", data={"lang": "zgh"})
    home = browser.get("/").get_data(as_text=True)
    assert re.search("[\u2d30-\u2d7f]{4}", home)  # Tifinagh letters
    # A page outside the public ones is in French, and says so.
    contact = browser.get("/contact").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in contact
    assert "Contacter les administrateurs" in contact


def test_tamazight_never_becomes_an_accounts_email_language(app, make_user, auth, client):
    user = make_user("salma@example.org", locale="ar")
    auth.login("salma@example.org")
    client.post("/language", data={"lang": "zgh"})
    assert user.locale == "ar"


def test_the_tifinagh_font_is_served_with_its_licence(client):
    assert client.get("/static/fonts/NotoSansTifinagh-Regular.ttf").status_code == 200
    licence = client.get("/static/fonts/LICENSE-NotoSansTifinagh.txt").get_data(as_text=True)
    assert "SIL Open Font License" in licence or "OFL" in licence


def test_the_footer_links_the_service_pages(client):
    page = client.get("/").get_data(as_text=True)
    for path in ("/statistics", "/privacy", "/terms", "/accessibility", "/contact"):
        assert f'href="{path}"' in page


def test_the_privacy_notice_names_the_law_the_authority_and_the_retention(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "09-08" in page and "CNDP" in page
    assert "14 days" in page and "12 months" in page
    assert 'href="/contact"' in page


VALID = {
    "name": "Nadia Amrani",
    "email": "nadia@example.org",
    "topic": "accessibility",
    "message": "The chart on the statistics page is hard to read with my screen reader.",
}


def test_a_contact_message_reaches_every_administrator(client, make_user, outbox):
    make_user("admin1@example.org", role=Role.ADMIN, locale="fr")
    make_user("admin2@example.org", role=Role.ADMIN, locale="ar")
    make_user("gone@example.org", role=Role.ADMIN, active=False)
    make_user("expert@example.org")
    response = client.post("/contact", data=VALID, follow_redirects=True)
    assert "your message reached the administrators" in response.get_data(as_text=True)
    sent = outbox(kind="contact_message")
    assert sorted(m.to_address for m in sent) == ["admin1@example.org", "admin2@example.org"]
    assert all("hard to read with my screen reader" in m.body_text for m in sent)
    assert "nadia@example.org" in sent[0].body_text


def test_an_incomplete_contact_message_is_refused_and_sends_nothing(client, make_user, outbox):
    make_user("admin1@example.org", role=Role.ADMIN)
    response = client.post("/contact", data={**VALID, "email": "not an address", "message": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write your message." in page
    assert outbox(kind="contact_message") == []


def test_the_contact_form_says_the_same_whether_the_address_has_an_account(client, make_user):
    make_user("admin1@example.org", role=Role.ADMIN)
    make_user("known@example.org")
    known = client.post("/contact", data={**VALID, "email": "known@example.org"})
    unknown = client.post("/contact", data={**VALID, "email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    first = client.get("/contact").get_data(as_text=True)
    assert "reached the administrators" in first


@pytest.mark.config(RATELIMIT_ENABLED=True, CONTACT_LIMIT="2 per hour")
def test_the_contact_form_is_rate_limited(client, make_user, outbox):
    make_user("admin1@example.org", role=Role.ADMIN)
    assert client.post("/contact", data=VALID).status_code == 302
    assert client.post("/contact", data=VALID).status_code == 302
    assert client.post("/contact", data=VALID).status_code == 429
    assert len(outbox(kind="contact_message")) == 2


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_the_contact_form_needs_its_csrf_token(client, make_user, outbox):
    make_user("admin1@example.org", role=Role.ADMIN)
    response = client.post("/contact", data=VALID)
    assert response.status_code == 400
    assert outbox(kind="contact_message") == []
