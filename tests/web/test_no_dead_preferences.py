"""The account page offers only choices that something follows: the "weekly digest" rhythm
of optional messages had no message behind it (nothing produced one), so it is gone until
optional messages exist."""

from tests.conftest import PASSWORD


def test_the_account_page_offers_no_digest_rhythm(client, auth, make_user):
    user = make_user("reader@example.org")
    auth.login(user.email, PASSWORD)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "weekly digest" not in page.lower()
    assert 'name="pref-locale"' in page


def test_there_is_no_digest_job_for_cron(runner):
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code != 0 and "No such command" in result.output
