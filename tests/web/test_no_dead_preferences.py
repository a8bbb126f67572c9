"""The account page offers only choices that something follows: the weekly digest is chosen
where its messages are (saved searches, project alerts), not as an account-wide rhythm. The
digest job itself is tested with saved searches (tests/search/test_saved_searches.py)."""

from tests.conftest import PASSWORD


def test_the_account_page_offers_no_digest_rhythm(client, auth, make_user):
    user = make_user("reader@example.org")
    auth.login(user.email, PASSWORD)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "weekly digest" not in page.lower()
    assert 'name="pref-locale"' in page
