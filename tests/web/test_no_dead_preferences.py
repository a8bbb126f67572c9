"""The account page offers only choices that something follows: each rhythm it offers for an
optional kind of email has a message behind it, and the weekly one a digest job for cron."""

from tests.conftest import PASSWORD


def test_the_account_page_offers_a_rhythm_per_optional_kind_and_nothing_else(
    client, auth, make_user
):
    user = make_user("reader@example.org")
    auth.login(user.email, PASSWORD)
    page = client.get("/auth/account").get_data(as_text=True)
    assert 'name="pref-locale"' in page
    assert 'name="kind-collaboration_update"' in page  # experts' optional kinds
    assert 'name="kind-consent_changed"' not in page  # transactional: always sent
    assert 'name="kind-admin_daily"' not in page  # another role's


def test_the_weekly_rhythm_has_a_digest_job_for_cron(runner):
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "digests written" in result.output
