"""Optional messages follow each person's preference; invitations never wait for a digest."""

from datetime import datetime, timedelta

from diaspora.extensions import db
from diaspora.models import OutboxMessage
from diaspora.notifications.delivery import send_pending
from diaspora.notifications.digest import next_digest_at, notify_optional, send_digests
from tests.matches.test_invitations import invite


def test_the_digest_goes_out_on_the_next_monday_morning():
    assert next_digest_at(datetime(2026, 11, 23, 7, 59)) == datetime(2026, 11, 23, 8, 0)  # Monday
    assert next_digest_at(datetime(2026, 11, 23, 8, 0)) == datetime(2026, 11, 30, 8, 0)
    assert next_digest_at(datetime(2026, 11, 26, 15, 0)) == datetime(2026, 11, 30, 8, 0)


def test_weekly_readers_get_optional_messages_in_one_digest_once(world, make_project, outbox):
    user = world.expert.user
    user.notification_mode = "weekly"
    second = make_project(world.institution, title="Tutoring in Amazigh")
    notify_optional(user, "new_project", project=world.project, url="https://x.ma/")
    notify_optional(user, "new_project", project=second, url="https://x.ma/")
    db.session.commit()

    assert send_pending() == (0, 0)  # held back, not sent one by one
    assert send_digests() == 0  # not Monday yet
    monday = next_digest_at(datetime.now()) + timedelta(minutes=1)
    assert send_digests(monday) == 1
    assert send_digests(monday) == 0  # twice in a row: nothing twice
    [digest] = outbox(kind="digest")
    assert digest.to_address == user.email
    assert "Détection précoce" in digest.body_text and "Tutoring in Amazigh" in digest.body_text
    held = OutboxMessage.query.filter_by(kind="optional.new_project").all()
    assert {m.status for m in held} == {"digested"}


def test_immediate_readers_get_optional_messages_at_once(world, outbox):
    notify_optional(world.expert.user, "new_project", project=world.project, url="https://x.ma/")
    db.session.commit()
    assert send_pending() == (1, 0)
    assert send_digests(datetime.now() + timedelta(days=8)) == 0


def test_invitations_are_immediate_even_for_weekly_readers(world, make_match, outbox):
    world.expert.user.notification_mode = "weekly"
    db.session.commit()
    invite(world, make_match(world.project, world.expert))
    [message] = outbox(kind="invitation")
    assert message.status == "pending"
    assert send_pending() == (1, 0)


def test_the_digest_command_prints_how_many_it_wrote(runner, world):
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and result.output.strip() == "digests 0"
