"""The whole path through a real SMTP server on 127.0.0.1: a project is published with a
suggestion, an admin approves, the invitation arrives with working links, the expert answers,
the institution hears of it, and contacts appear (or not) on both sides."""

import pytest

from tests.conftest import link_in
from tests.matches.conftest import fresh
from tests.notifications.conftest import SmtpServer


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=5
    )
    yield server
    server.stop()


def deliver(runner):
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "failed 0" in result.output, result.output


def received(smtp, to):
    """Plain-text bodies of the emails the server received for `to`, oldest first."""
    return [
        (m["Subject"], m.get_body(preferencelist=("plain",)).get_content())
        for rcpt, m in smtp.messages
        if to in rcpt
    ]


def as_english(client):
    client.post("/language", data={"lang": "en"})


def publish_and_approve(client, auth, runner, smtp, world, make_match):
    """The institution's project is published with a suggestion; an admin approves it on the
    review page; the worker delivers the invitation. Returns (match, accept, decline links)."""
    match = make_match(world.project, world.expert)  # what the engine stores on publication
    auth.login(world.admin.email)
    queue = client.get("/matches/review").get_data(as_text=True)
    assert "Salma Bennani" in queue and "Détection précoce" in queue
    assert client.post(f"/matches/{match.id}/approve", data={"back": "queue"}).status_code == 302
    auth.logout()
    assert received(smtp, "salma@example.org") == []  # written to the outbox, not yet sent
    deliver(runner)
    [(subject, body)] = received(smtp, "salma@example.org")
    assert "Détection précoce" in subject
    assert "Meets «computer vision»" in body  # why she was suggested
    # The institution hears that an expert was invited, without learning who yet.
    [(told, told_body)] = received(smtp, "nadia@sante.gov.ma")
    assert "invité" in told and "salma@example.org" not in told_body
    return match, link_in(body, "/accept"), link_in(body, "/decline")


def test_accepting_reaches_the_institution_and_opens_contacts(
    client, auth, runner, smtp, world, make_match
):
    match, accept_link, _ = publish_and_approve(client, auth, runner, smtp, world, make_match)

    assert client.get(accept_link).status_code == 200
    done = client.post(accept_link)
    assert done.status_code == 200 and "nadia@sante.gov.ma" in done.get_data(as_text=True)
    deliver(runner)
    _invited, (subject, body) = received(smtp, "nadia@sante.gov.ma")
    assert "Salma Bennani" in subject and "salma@example.org" in body
    assert len(received(smtp, "omar@sante.gov.ma")) == 2

    auth.login(world.member.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "salma@example.org" in page and "linkedin.com/in/salma" in page
    auth.logout()
    auth.login(world.expert.user.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "nadia@sante.gov.ma" in page and "omar@sante.gov.ma" in page

    assert client.post(accept_link).status_code == 409  # used twice: refused
    deliver(runner)
    assert len(received(smtp, "nadia@sante.gov.ma")) == 2  # and nobody told twice


def test_declining_tells_the_institution_and_keeps_contacts_hidden(
    client, auth, runner, smtp, world, make_match
):
    match, _, decline_link = publish_and_approve(client, auth, runner, smtp, world, make_match)

    response = client.post(decline_link, data={"reason": "Teaching all semester, sorry."})
    assert response.status_code == 200
    deliver(runner)
    _invited, (subject, body) = received(smtp, "nadia@sante.gov.ma")
    assert "declined" in subject.lower() or "Salma Bennani" in subject
    assert "Teaching all semester, sorry." in body and "salma@example.org" not in body

    auth.login(world.member.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "salma@example.org" not in page
    auth.logout()
    auth.login(world.expert.user.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "nadia@sante.gov.ma" not in page


def test_unanswered_invitation_is_reminded_once_then_expires(
    client, auth, runner, smtp, world, make_match, clock
):
    match, accept_link, _ = publish_and_approve(client, auth, runner, smtp, world, make_match)

    clock.advance(days=3, minutes=1)
    for _ in range(2):  # cron runs twice in a row: one reminder
        assert runner.invoke(args=["invitations", "tick"]).exit_code == 0
        deliver(runner)
    subjects = [subject for subject, _ in received(smtp, "salma@example.org")]
    assert len(subjects) == 2 and "Reminder" in subjects[1]
    [(_, reminder)] = received(smtp, "salma@example.org")[1:]
    reminder_link = link_in(reminder, "/accept")
    assert client.get(reminder_link).status_code == 200  # works, like the first one

    clock.advance(days=11)
    for _ in range(2):
        assert runner.invoke(args=["invitations", "tick"]).exit_code == 0
        deliver(runner)
    assert fresh(match).status == "expired"
    # One notice that it lapsed, however often cron ran, and how to ask for a review.
    [(subject, notice)] = received(smtp, "salma@example.org")[2:]
    assert "has expired" in subject and f"/contests/match/{match.id}" in notice

    for link in (accept_link, reminder_link):
        response = client.post(link)
        assert response.status_code == 409
        assert "This invitation has expired" in response.get_data(as_text=True)
    assert fresh(match).status == "expired"

    auth.login(world.member.email)
    as_english(client)
    page = client.get(f"/matches/projects/{world.project.id}/pipeline").get_data(as_text=True)
    assert "Expired (1)" in page
