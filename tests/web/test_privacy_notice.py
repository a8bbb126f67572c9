"""A public privacy notice says what is collected, how to export and erase, and exactly what
is kept after erasure; every page links to it."""

import pytest

KEPT = {
    "en": [
        "What is kept after erasure, and why",
        "For each invitation an administrator approved",
        "The audit log entries, without who you are",
        "Nothing else is kept.",
        "What we collect",
        "erase their account, after confirming with their password.",
        "The server's logs: for each request",
        "The server's logs and the database backups, which are not rewritten",
    ],
    "fr": [
        "Ce qui est conservé après l'effacement, et pourquoi",
        "Rien d'autre n'est conservé.",
        "au plus tard après 30 jours",
    ],
    "ar": ["ما يُحتفظ به بعد المحو، ولماذا", "لا يُحتفظ بأي شيء آخر."],
}


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_the_notice_is_public_in_every_language(client, lang):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace("&#39;", "'")
    for sentence in KEPT[lang]:
        assert sentence in page


@pytest.mark.parametrize("url", ["/", "/about", "/auth/login"])
def test_every_page_links_to_the_notice(client, url):
    assert 'href="/privacy"' in client.get(url).get_data(as_text=True)


def test_signed_in_people_find_their_data_page_from_the_notice(client, auth, make_user):
    assert 'href="/my-data"' not in client.get("/privacy").get_data(as_text=True)
    make_user("salma@example.org")
    auth.login("salma@example.org")
    assert 'href="/my-data"' in client.get("/privacy").get_data(as_text=True)
