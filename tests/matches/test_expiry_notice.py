"""An invitation that expires tells its expert, once however often cron runs, in their language,
on the platform and by email, with how to ask for a human review of it. A must like the
invitation itself: no email choice switches it off."""

import html

from diaspora.models import Notification, Role
from diaspora.notifications.kinds import optional_kinds
from diaspora.services import notifications
from tests.conftest import link_in
from tests.matches.test_invitations import invite
from tests.matches.test_reminders_and_expiry import tick


def let_it_lapse(runner, world, make_match, expert, clock):
    match = make_match(world.project, expert)
    invite(world, match)
    clock.advance(days=14, minutes=1)
    assert tick(runner) == "reminded 0, expired 1"
    assert tick(runner) == "reminded 0, expired 0"  # cron ran again: nothing more is sent
    return match


def notices(expert):
    return Notification.query.filter_by(user_id=expert.user_id, kind="invitation_lapsed").all()


def test_the_expert_is_told_once_in_french_and_can_ask_for_a_review(
    client, auth, runner, world, make_match, make_expert, clock, outbox
):
    expert = make_expert("youssef@example.org", name="Youssef Amrani", locale="fr")
    match = let_it_lapse(runner, world, make_match, expert, clock)
    [email] = outbox(kind="invitation_lapsed")
    title = world.project.title
    assert email.to_address == "youssef@example.org" and email.locale == "fr"
    assert email.subject == f"Votre invitation à « {title} » a expiré"
    assert "Bonjour Youssef Amrani," in email.body_text
    assert f"à l'invitation de {world.institution.name} au projet « {title} »" in email.body_text
    assert "peut rouvrir l'invitation avec un nouveau délai de réponse" in email.body_text
    assert "sous 7 jours" in email.body_text  # CONTEST_DAYS
    assert email.unsubscribe_url is None  # a must, not a preference
    contest_path = link_in(email.body_text, f"/contests/match/{match.id}")
    body_html = html.unescape(email.body_html)
    assert '<html lang="fr" dir="ltr">' in body_html
    assert contest_path in body_html and "Demander un réexamen humain" in body_html
    assert email.body_text.rstrip().endswith("/opportunities/")  # other projects ranked for them

    [note] = notices(expert)
    assert note.link == f"/matches/{match.id}"
    auth.login(expert.user.email)
    listing = html.unescape(client.get("/notifications").get_data(as_text=True))
    assert f"Votre invitation à « {title} » a expiré sans réponse" in listing
    match_page = html.unescape(client.get(note.link).get_data(as_text=True))
    assert contest_path in match_page  # the review is offered where the notice leads
    form = html.unescape(client.get(contest_path).get_data(as_text=True))
    assert "Demander un réexamen humain" in form


def test_the_expert_is_told_once_in_arabic_right_to_left(
    runner, world, make_match, make_expert, clock, outbox
):
    expert = make_expert("leila@example.org", name="ليلى الإدريسي", locale="ar")
    match = let_it_lapse(runner, world, make_match, expert, clock)
    [email] = outbox(kind="invitation_lapsed")
    assert email.to_address == "leila@example.org" and email.locale == "ar"
    assert email.subject == f"انتهت صلاحية دعوتك إلى «{world.project.title}»"
    assert "مرحبًا ليلى الإدريسي،" in email.body_text
    assert "إعادة فتح الدعوة بمهلة رد جديدة" in email.body_text
    assert "7 أيام" in email.body_text  # the Arabic plural for 3 to 10
    assert f"/contests/match/{match.id}" in email.body_text
    assert '<html lang="ar" dir="rtl">' in email.body_html
    assert len(notices(expert)) == 1


def test_no_email_choice_switches_the_notice_off(
    client, auth, runner, world, make_match, clock, outbox
):
    expert = world.expert
    every_kind_off = {k.name: "off" for k in optional_kinds(Role.EXPERT)}
    notifications.set_preferences(expert.user, every_kind_off)
    let_it_lapse(runner, world, make_match, expert, clock)
    [email] = outbox(kind="invitation_lapsed")
    assert email.to_address == expert.user.email
    auth.login(expert.user.email)
    account = client.get("/auth/account").get_data(as_text=True)
    assert 'name="kind-invitation_lapsed"' not in account  # nothing to choose
    assert "Invitations to projects, their reminder, their expiry and their closing" in account


def test_only_the_unanswered_invitation_sends_the_notice(
    client, runner, world, make_match, clock, outbox
):
    accepted = make_match(world.project, world.expert)
    accept_link, _ = invite(world, accepted)
    client.post(accept_link)
    unanswered = make_match(world.project, world.other_expert)
    invite(world, unanswered)
    clock.advance(days=30)
    assert tick(runner) == "reminded 0, expired 1"
    [email] = outbox(kind="invitation_lapsed")
    assert email.to_address == world.other_expert.user.email
    assert notices(world.expert) == []
