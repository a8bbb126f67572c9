"""`flask invitations tick`: one reminder after 3 days, expiry after 14, safe to run from cron."""

import pytest

from diaspora.models import AuditEntry
from tests.matches.conftest import fresh
from tests.matches.test_invitations import invite, snapshot


def tick(runner):
    result = runner.invoke(args=["invitations", "tick"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_one_reminder_after_three_days_and_never_a_second(runner, world, make_match, clock, outbox):
    match = make_match(world.project, world.expert)
    invite(world, match)
    clock.advance(days=2, hours=23)
    assert tick(runner) == "reminded 0, expired 0"
    clock.advance(hours=2)
    assert tick(runner) == "reminded 1, expired 0"
    assert tick(runner) == "reminded 0, expired 0"
    clock.advance(days=5)
    assert tick(runner) == "reminded 0, expired 0"
    [reminder] = outbox(kind="invitation_reminder")
    assert reminder.to_address == "salma@example.org"
    assert "/matches/invitation/" in reminder.body_text and "only reminder" in reminder.body_text
    assert fresh(match).reminded_at is not None
    assert AuditEntry.query.filter_by(action="match.reminded").count() == 1


def test_unanswered_invitations_expire_after_fourteen_days_once(
    runner, world, make_match, clock, outbox
):
    match = make_match(world.project, world.expert)
    invite(world, match)
    clock.advance(days=14, minutes=1)
    # Past the deadline a reminder would be pointless: the invitation just expires.
    assert tick(runner) == "reminded 0, expired 1"
    assert tick(runner) == "reminded 0, expired 0"
    assert fresh(match).status == "expired"
    assert outbox(kind="invitation_reminder") == []
    entry = AuditEntry.query.filter_by(action="match.expired").one()
    assert entry.actor_id is None and entry.details["reason"] == "no_answer"


def test_an_expired_link_is_refused_and_changes_nothing(client, runner, world, make_match, clock):
    match = make_match(world.project, world.expert)
    accept_link, decline_link = invite(world, match)
    clock.advance(days=15)
    tick(runner)
    before = snapshot(match)
    for link in (accept_link, decline_link):
        response = client.post(link)
        assert response.status_code == 409
        assert "This invitation has expired" in response.get_data(as_text=True)
    assert snapshot(match) == before


def test_a_link_past_its_deadline_is_refused_even_before_the_job_runs(
    client, world, make_match, clock
):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    clock.advance(days=14, seconds=1)
    before = snapshot(match)
    response = client.post(accept_link)
    assert response.status_code == 409
    assert "This invitation has expired" in response.get_data(as_text=True)
    assert snapshot(match) == before


@pytest.mark.config(INVITATION_REMIND_DAYS=1, INVITATION_EXPIRE_DAYS=2)
def test_the_delays_come_from_the_settings(runner, world, make_match, clock):
    match = make_match(world.project, world.expert)
    invite(world, match)
    clock.advance(days=1, minutes=1)
    assert tick(runner) == "reminded 1, expired 0"
    clock.advance(days=1)
    assert tick(runner) == "reminded 0, expired 1"
    assert fresh(match).status == "expired"


def test_answered_invitations_are_neither_reminded_nor_expired(
    client, runner, world, make_match, clock
):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    client.post(accept_link)
    clock.advance(days=30)
    assert tick(runner) == "reminded 0, expired 0"
    assert fresh(match).status == "accepted"
