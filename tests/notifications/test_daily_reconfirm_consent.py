"""The admins' daily summary, the reminder to reconfirm a profile with its one-click link, and
consent re-acceptance when the consent text's version changes."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from diaspora.extensions import db
from diaspora.models import Institution, Match, Notification
from diaspora.models.base import utcnow
from diaspora.services import engine_inputs, match_index, suggestions
from tests.conftest import PASSWORD, link_in
from tests.matches.conftest import fresh


def run(runner, *args):
    result = runner.invoke(args=["notifications", *args])
    assert result.exit_code == 0, result.output
    return result.output


# -- the admins' daily summary ------------------------------------------------------------------


def test_no_summary_when_nothing_waits(runner, world, outbox):
    run(runner, "daily")
    assert outbox(kind="admin_daily") == []


def test_each_admin_gets_one_summary_a_day_with_counts_and_links(
    runner, world, make_user, make_match, outbox
):
    second_admin = make_user("yassine@diaspora.ma", role="admin", locale="ar")
    db.session.add(Institution(name="Université Nouvelle", kind="university"))
    db.session.commit()
    make_match(world.project, world.expert, age_days=4)  # waiting for more than 3 days
    make_match(world.project, world.other_expert, age_days=1)  # not yet
    run(runner, "daily")
    run(runner, "daily")  # cron ran twice: nobody told twice
    [amina] = outbox(kind="admin_daily", to=world.admin.email)
    assert "Institutions to verify: 1" in amina.body_text
    assert "Suggestions waiting for more than 3 days: 1" in amina.body_text
    assert "/admin/institutions" in amina.body_text and "/matches/review" in amina.body_text
    [yassine] = outbox(kind="admin_daily", to=second_admin.email)
    assert yassine.locale == "ar" and "Institutions to verify" not in yassine.body_text
    assert amina.unsubscribe_url  # an optional email
    assert outbox(kind="admin_daily", to=world.member.email) == []


# -- reconfirmation -----------------------------------------------------------------------------


@pytest.fixture
def ageing(world):
    """The expert confirmed eleven months and ten days ago: they drop out in about 20 days."""
    world.expert.confirmed_at = utcnow() - timedelta(days=345)
    world.other_expert.confirmed_at = utcnow() - timedelta(days=30)  # not due
    db.session.commit()
    return world.expert


def test_an_expert_is_reminded_once_thirty_days_before_dropping_out(runner, ageing, outbox):
    run(runner, "daily")
    run(runner, "daily")
    [reminder] = outbox(kind="reconfirm_reminder")
    assert reminder.to_address == ageing.user.email
    assert "/expert/reconfirm/" in reminder.body_text
    # Dates in words, in the reader's language, never ISO.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", reminder.subject + reminder.body_text)


def test_the_link_confirms_without_logging_in_once(client, runner, ageing, outbox):
    run(runner, "daily")
    link = link_in(outbox(kind="reconfirm_reminder")[0].body_text, "/expert/reconfirm/")
    before = ageing.confirmed_at
    assert client.get(link).status_code == 200
    assert fresh(ageing).confirmed_at == before  # reading the link confirms nothing
    assert client.post(link).status_code == 200
    assert fresh(ageing).confirmed_at > before
    assert client.post(link).status_code == 400  # used
    assert client.get(link).status_code == 400


def test_a_tampered_link_is_refused(client, runner, ageing, outbox):
    run(runner, "daily")
    link = link_in(outbox(kind="reconfirm_reminder")[0].body_text, "/expert/reconfirm/")
    assert client.post(link[:-3] + "abc").status_code == 400
    assert fresh(ageing).confirmed_at < utcnow() - timedelta(days=300)


def test_a_new_confirmation_starts_a_new_cycle(runner, ageing, outbox):
    run(runner, "daily")
    ageing = fresh(ageing)
    ageing.confirmed_at = utcnow() - timedelta(days=340)  # confirmed again, then aged again
    db.session.commit()
    run(runner, "daily")
    assert len(outbox(kind="reconfirm_reminder")) == 2


# -- consent re-acceptance ------------------------------------------------------------------


@pytest.fixture
def old_consent(world):
    for expert in (world.expert, world.other_expert):
        expert.consent_version, expert.consent_at = "2025-01", utcnow()
        expert.confirmed_at = utcnow()
        expert.modes = ["remote"]
    world.other_expert.consent_version = "2026-11"  # accepted the current text
    db.session.commit()
    match_index.forget_index()
    return world.expert


def consenting(expert_id):
    return {c.id: c.consent for c in engine_inputs.expert_candidates()}[expert_id]


def test_an_expert_on_an_older_text_is_never_suggested(world, old_consent):
    assert consenting(old_consent.id) is False and consenting(world.other_expert.id) is True
    suggestions.refresh_project(world.project.id)
    suggested = {m.expert_id for m in Match.query.filter_by(project_id=world.project.id)}
    assert old_consent.id not in suggested and world.other_expert.id in suggested


def test_paused_experts_are_told_once_and_the_dashboard_asks(
    client, auth, runner, world, old_consent, outbox
):
    run(runner, "consent")
    run(runner, "consent")
    [notice] = outbox(kind="consent_changed")
    assert notice.to_address == old_consent.user.email and notice.unsubscribe_url is None
    assert "This is the first version of the consent text" in notice.body_text
    assert Notification.query.filter_by(kind="consent_changed").count() == 1
    auth.login(old_consent.user.email)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "The consent text has changed" in page
    assert client.post("/expert/consent/accept").status_code == 302
    assert fresh(old_consent).consent_version == "2026-11"
    assert consenting(old_consent.id) is True
    assert "The consent text has changed" not in client.get("/dashboard").get_data(as_text=True)


def test_the_notice_is_in_the_experts_language(runner, world, old_consent, outbox):
    old_consent.user.locale = "ar"
    db.session.commit()
    run(runner, "consent")
    [notice] = outbox(kind="consent_changed")
    assert notice.locale == "ar" and "النسخة الأولى من نص الموافقة" in notice.body_text


def test_the_emailed_link_leads_after_log_in_to_where_the_new_text_is_accepted(
    client, runner, world, old_consent, outbox
):
    run(runner, "consent")
    [notice] = outbox(kind="consent_changed")
    link = link_in(notice.body_text, "/expert/consent")
    assert Notification.query.filter_by(kind="consent_changed").one().link == link
    asked = client.get(link)  # logged out: the log-in page, which remembers where to go
    assert asked.location == "/auth/login?next=%2Fexpert%2Fconsent"
    email = old_consent.user.email
    logged_in = client.post(asked.location, data={"email": email, "password": PASSWORD})
    assert logged_in.location == "/expert/consent"
    page = client.get(logged_in.location).get_data(as_text=True)
    assert "The consent text has changed" in page
    assert "This is the first version of the consent text" in page
    assert 'action="/expert/consent/accept"' in page
    assert client.post("/expert/consent/accept").status_code == 302
    assert fresh(old_consent).consent_version == "2026-11"
    # Once accepted, an old email's link shows the consent as it stands, on the profile.
    assert client.get(link).location == "/expert/profile#consent-title"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/expert/consent", "//evil.example/expert/consent"]
)
def test_the_log_in_never_sends_anyone_off_the_site(client, world, old_consent, next_url):
    logged_in = client.post(
        f"/auth/login?next={quote(next_url, safe='')}",
        data={"email": old_consent.user.email, "password": PASSWORD},
    )
    assert logged_in.location == "/dashboard"
