"""In-app notifications and their emails: who is told, in which language, exactly once, and
nothing by email for kinds switched off; the bell, the list, and who may open what."""

import re

import pytest

from diaspora.extensions import db
from diaspora.models import DigestItem, Notification, NotificationPreference
from diaspora.services import invitations, notifications, reviews
from tests.conftest import PASSWORD, link_in
from tests.matches.conftest import fresh


def told(user, kind=None):
    query = Notification.query.filter_by(user_id=user.id)
    return query.filter_by(kind=kind).all() if kind else query.all()


def emails(outbox, kind, to):
    return [m for m in outbox(kind=kind) if m.to_address == to]


def test_members_hear_an_expert_was_invited_each_once_in_their_language(world, make_match, outbox):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    [nadia] = emails(outbox, "project_invited", world.member.email)
    [omar] = emails(outbox, "project_invited", world.colleague.email)
    assert nadia.locale == "fr" and "Un expert a été invité" in nadia.subject
    assert omar.locale == "ar" and omar.subject != nadia.subject
    assert "salma@example.org" not in nadia.body_text  # contacts wait for an acceptance
    assert len(told(world.member, "project_invited")) == 1
    assert told(world.expert.user, "project_invited") == []


def test_acceptance_and_decline_with_its_reason_reach_every_member_once(
    world, make_match, make_expert, outbox
):
    first = make_match(world.project, world.expert)
    reviews.approve(world.admin, first.id)
    invitations.answer(world.expert.user, first.id, True)
    leila = make_expert("leila@example.org", name="Leila Idrissi")
    second = make_match(world.project, leila)
    reviews.approve(world.admin, second.id)
    invitations.answer(leila.user, second.id, False, "Pas cette année.")
    for member in (world.member, world.colleague):
        assert len(emails(outbox, "invitation_accepted", member.email)) == 1
        [declined] = emails(outbox, "invitation_declined", member.email)
        assert "Pas cette année." in declined.body_text
        [note] = told(member, "invitation_declined")
        assert (
            note.params["reason"] == "Pas cette année." and note.params["expert"] == "Leila Idrissi"
        )


def test_an_expired_invitation_is_told_to_members_once(world, make_match, outbox, clock):
    match = make_match(world.project, world.expert)
    reviews.approve(world.admin, match.id)
    clock.advance(days=15)
    invitations.tick()
    invitations.tick()
    assert len(emails(outbox, "invitation_expired", world.member.email)) == 1
    assert len(told(world.colleague, "invitation_expired")) == 1


def test_a_kind_switched_off_is_listed_in_app_but_never_emailed(world, make_match, outbox):
    notifications.set_preferences(world.member, {"project_invited": "off"})
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    assert emails(outbox, "project_invited", world.member.email) == []
    assert len(told(world.member, "project_invited")) == 1
    assert len(emails(outbox, "project_invited", world.colleague.email)) == 1


def test_weekly_kinds_wait_for_the_digest_which_tells_them_once(runner, world, make_match, outbox):
    notifications.set_preferences(world.member, {"project_invited": "weekly"})
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    assert emails(outbox, "project_invited", world.member.email) == []
    for _ in range(2):  # cron ran it twice
        assert runner.invoke(args=["notifications", "digest"]).exit_code == 0
    [weekly] = emails(outbox, "digest", world.member.email)
    assert "Un expert a été invité pour votre projet" in weekly.body_text
    assert "/notifications/" in weekly.body_text and weekly.unsubscribe_url
    assert DigestItem.query.filter(DigestItem.sent_at.is_(None)).count() == 0


def test_the_unsubscribe_link_of_an_optional_email_switches_that_kind_off(
    client, world, make_match, outbox
):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    [email] = emails(outbox, "project_invited", world.member.email)
    assert client.post(link_in(email.body_text, "/unsubscribe/")).status_code == 200
    pref = db.session.get(NotificationPreference, (world.member.id, "project_invited"))
    assert pref.frequency == "off"
    assert client.post(link_in(email.body_text, "/unsubscribe/")).status_code == 200  # again: same


def test_the_account_page_offers_optional_kinds_and_lists_transactional_ones(client, auth, world):
    auth.login(world.member.email)
    client.post("/language", data={"lang": "en"})
    page = client.get("/auth/account").get_data(as_text=True)
    assert 'name="kind-project_invited"' in page and 'name="kind-reconfirm_reminder"' not in page
    assert "In the weekly digest" in page and "Resetting your password" in page
    answer = client.post("/notifications/preferences", data={"kind-invitation_declined": "weekly"})
    assert answer.status_code == 302
    assert notifications.frequency(fresh(world.member), "invitation_declined") == "weekly"


@pytest.mark.parametrize(
    "choice", [{"kind-consent_changed": "off"}, {"kind-project_invited": "sometimes"}]
)
def test_transactional_kinds_and_unknown_rhythms_cannot_be_chosen(client, auth, world, choice):
    auth.login(world.member.email)
    client.post("/language", data={"lang": "en"})
    page = client.post("/notifications/preferences", data=choice, follow_redirects=True)
    assert "Choose one of the options" in page.get_data(as_text=True)
    assert NotificationPreference.query.count() == 0


def test_the_bell_counts_unread_and_the_list_opens_and_marks_them_read(
    client, auth, world, make_match
):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    [note] = told(world.member)
    auth.login(world.member.email)
    client.post("/language", data={"lang": "en"})
    home = client.get("/").get_data(as_text=True)
    assert re.search(r"badge[^>]*>1<", home) and "1 unread notification" in home
    listing = client.get("/notifications").get_data(as_text=True)
    assert "An expert was invited for your project" in listing
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302 and opened.location == note.link
    assert fresh(note).read_at is not None
    assert "unread notification" not in client.get("/").get_data(as_text=True)


def test_mark_all_read_works_without_javascript(client, auth, world, make_match):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    auth.login(world.colleague.email)
    assert client.post("/notifications/read").status_code == 302
    assert all(n.read_at for n in told(fresh(world.colleague)))


def test_nobody_opens_anothers_notification(client, auth, world, make_match):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    [note] = told(world.member)
    auth.login(world.colleague.email)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert fresh(note).read_at is None
    auth.logout()
    assert client.get("/notifications").status_code == 302  # to the log-in page
    assert client.get(f"/notifications/{note.id}").status_code == 302


def test_the_list_is_worded_in_the_readers_language(client, auth, world, make_match):
    reviews.approve(world.admin, make_match(world.project, world.expert).id)
    auth.login(world.member.email, PASSWORD)
    client.post("/language", data={"lang": "fr"})
    assert "Un expert a été invité" in client.get("/notifications").get_data(as_text=True)
