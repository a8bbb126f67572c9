"""Experts answer invitations through signed single-use links or their dashboard; each side
sees the other's contact details only after an acceptance."""

import re

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Collaboration, OutboxMessage
from diaspora.services import reviews
from tests.conftest import link_in
from tests.matches.conftest import fresh


def invite(world, match):
    reviews.approve(world.admin, match.id)
    [message] = [
        m
        for m in OutboxMessage.query.filter_by(kind="invitation").all()
        if m.to_address == match.expert.user.email
    ]
    return link_in(message.body_text, "/accept"), link_in(message.body_text, "/decline")


def snapshot(match):
    """What a refused request must leave untouched."""
    match = fresh(match)
    return (match.status, match.answered_at, OutboxMessage.query.count(), AuditEntry.query.count())


def test_imported_expert_without_password_accepts_through_the_link(
    client, world, make_expert, make_match, outbox
):
    imported = make_expert("imported@example.org", name="Yasmine Imported", has_password=False)
    match = make_match(world.project, imported)
    accept_link, _ = invite(world, match)

    page = client.get(accept_link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Accept the invitation" in text and "Meets «computer vision»" in text
    assert fresh(match).status == "invited"  # opening the link (a mail scanner may) changes nothing

    done = client.post(accept_link)
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "You accepted the invitation" in text
    assert "nadia@sante.gov.ma" in text and "omar@sante.gov.ma" in text  # the team's contacts
    assert fresh(match).status == "accepted"
    told = {m.to_address: m for m in outbox(kind="invitation_accepted")}
    assert set(told) == {"nadia@sante.gov.ma", "omar@sante.gov.ma"}
    assert "imported@example.org" in told["nadia@sante.gov.ma"].body_text
    assert told["omar@sante.gov.ma"].locale == "ar"
    entry = AuditEntry.query.filter_by(action="match.accepted").one()
    assert entry.actor_id == imported.user_id


def test_the_thank_you_page_leads_to_the_collaboration_the_yes_began(
    client, auth, world, make_match
):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    auth.login(world.expert.user.email)
    page = client.post(accept_link).get_data(as_text=True)
    collaboration = Collaboration.query.filter_by(match_id=match.id).one()
    link = f'href="/collaborations/{collaboration.id}"'
    assert "You accepted the invitation" in page and link in page
    followed = client.get(f"/collaborations/{collaboration.id}")
    assert followed.status_code == 200 and world.project.title in followed.get_data(as_text=True)


def test_a_visitor_not_logged_in_is_led_to_the_collaboration_through_the_log_in(
    client, world, make_match
):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    page = client.post(accept_link).get_data(as_text=True)
    collaboration = Collaboration.query.filter_by(match_id=match.id).one()
    assert f'href="/collaborations/{collaboration.id}"' in page
    followed = client.get(f"/collaborations/{collaboration.id}")
    assert followed.status_code == 302 and "/auth/login" in followed.location
    assert f"collaborations%2F{collaboration.id}" in followed.location  # back there after


def test_a_decline_leads_to_no_collaboration(client, world, make_match):
    match = make_match(world.project, world.expert)
    _, decline_link = invite(world, match)
    page = client.post(decline_link).get_data(as_text=True)
    assert "You declined the invitation" in page
    assert "/collaborations/" not in page and Collaboration.query.count() == 0


def test_a_link_used_twice_is_refused_and_changes_nothing(client, world, make_match):
    match = make_match(world.project, world.expert)
    accept_link, decline_link = invite(world, match)
    assert client.post(accept_link).status_code == 200
    before = snapshot(match)
    for link in (accept_link, decline_link):
        for method in (client.get, client.post):
            response = method(link)
            assert response.status_code == 409
            assert "You already accepted this invitation." in response.get_data(as_text=True)
    assert snapshot(match) == before


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link.replace("/accept", "x/accept"),
        lambda link: link[:-12] + "AAAA/accept",
        lambda link: "/matches/invitation/not-a-token/accept",
        lambda link: "/matches/invitation/" + "A" * 5000 + "/accept",
    ],
)
def test_a_tampered_link_is_refused_and_changes_nothing(client, world, make_match, tamper):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    before = snapshot(match)
    for method in (client.get, client.post):
        response = method(tamper(accept_link))
        assert response.status_code == 400
        assert "It is incomplete or was changed." in response.get_data(as_text=True)
    assert snapshot(match) == before


def test_a_link_for_another_user_is_refused_and_changes_nothing(
    client, auth, world, make_match, make_expert
):
    match = make_match(world.project, world.expert)
    accept_link, decline_link = invite(world, match)
    make_expert("leila@example.org", name="Leila Amrani")
    auth.login("leila@example.org")
    before = snapshot(match)
    for link in (accept_link, decline_link):
        for method in (client.get, client.post):
            response = method(link)
            assert response.status_code == 403
            assert "another account" in response.get_data(as_text=True)
    assert snapshot(match) == before


def test_the_expert_logged_in_can_follow_their_own_link(client, auth, world, make_match):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    auth.login(world.expert.user.email)
    assert client.post(accept_link).status_code == 200
    assert fresh(match).status == "accepted"


def test_declining_with_a_message_tells_the_institution(client, world, make_match, outbox):
    match = make_match(world.project, world.expert)
    _, decline_link = invite(world, match)
    page = client.get(decline_link)
    assert "A word for the institution" in page.get_data(as_text=True)
    response = client.post(decline_link, data={"reason": "Not before June, sorry."})
    assert "You declined the invitation" in response.get_data(as_text=True)
    match = fresh(match)
    assert match.status == "declined" and match.answer_reason == "Not before June, sorry."
    messages = outbox(kind="invitation_declined")
    assert {m.to_address for m in messages} == {"nadia@sante.gov.ma", "omar@sante.gov.ma"}
    assert all("Not before June, sorry." in m.body_text for m in messages)
    assert "salma@example.org" not in messages[0].body_text  # no contact after a decline


def test_a_decline_message_that_is_too_long_changes_nothing(client, world, make_match):
    match = make_match(world.project, world.expert)
    _, decline_link = invite(world, match)
    before = snapshot(match)
    response = client.post(decline_link, data={"reason": "x" * 5000})
    assert response.status_code == 400
    assert snapshot(match) == before


def test_links_work_with_csrf_protection_for_a_visitor_without_account(
    app, client, world, make_match
):
    app.config["WTF_CSRF_ENABLED"] = True
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    assert client.post(accept_link).status_code == 400  # no token: refused
    assert fresh(match).status == "invited"
    page = client.get(accept_link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(accept_link, data={"csrf_token": token}).status_code == 200
    assert fresh(match).status == "accepted"


def test_the_expert_answers_from_the_dashboard(client, auth, world, make_match, make_project):
    match = make_match(world.project, world.expert)
    invite(world, match)
    auth.login(world.expert.user.email)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Invitations waiting for your answer" in dashboard
    assert "Détection précoce" in dashboard

    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Your answer" in page
    assert "nadia@sante.gov.ma" not in page  # no contacts before accepting

    response = client.post(f"/matches/{match.id}/accept", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "nadia@sante.gov.ma" in text and "Omar Tazi" in text
    assert fresh(match).status == "accepted"

    history = client.get("/matches/invitations").get_data(as_text=True)
    assert "History" in history and "Accepted" in history


def test_an_expert_cannot_see_or_answer_what_is_not_theirs(client, auth, world, make_match):
    others = make_match(world.project, world.other_expert)
    invite(world, others)
    not_yet = make_match(world.project, world.expert)  # suggested: not reviewed yet
    auth.login(world.expert.user.email)
    before = snapshot(others)
    for match_id in (others.id, not_yet.id, 987654):
        assert client.get(f"/matches/{match_id}").status_code == 404
        assert client.post(f"/matches/{match_id}/accept").status_code == 404
        assert client.post(f"/matches/{match_id}/decline").status_code == 404
    assert snapshot(others) == before
    assert fresh(not_yet).status == "suggested"
    assert "Détection précoce" not in client.get("/matches/invitations").get_data(as_text=True)


def test_contacts_are_hidden_from_both_sides_until_the_expert_accepts(
    client, auth, world, make_match
):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)

    auth.login(world.member.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Salma Bennani" in page
    assert "salma@example.org" not in page and "linkedin.com/in/salma" not in page
    auth.logout()
    auth.login(world.expert.user.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "nadia@sante.gov.ma" not in page
    auth.logout()

    client.post(accept_link)

    auth.login(world.member.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "salma@example.org" in page and "linkedin.com/in/salma" in page
    auth.logout()
    auth.login(world.expert.user.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "nadia@sante.gov.ma" in page and "omar@sante.gov.ma" in page


def test_another_institution_cannot_see_the_match(
    client, auth, world, make_match, make_user, make_institution
):
    match = make_match(world.project, world.expert)
    invite(world, match)
    elsewhere = make_institution(name="Université Mohammed V", domain="um5.ac.ma")
    make_user("prof@um5.ac.ma", role="institution", institution=elsewhere)
    auth.login("prof@um5.ac.ma")
    assert client.get(f"/matches/{match.id}").status_code == 404


def test_when_the_seats_are_filled_the_others_are_told_kindly_and_closed(
    client, world, make_match, make_expert, outbox
):
    world.project.seats = 1
    db.session.commit()
    waiting = make_expert("leila@example.org", name="Leila Amrani")
    unseen = make_expert("driss@example.org", name="Driss Unseen")
    first = make_match(world.project, world.expert)
    second = make_match(world.project, waiting)
    suggestion = make_match(world.project, unseen)
    accept_link, _ = invite(world, first)
    second_accept, _ = invite(world, second)

    client.post(accept_link)
    assert [fresh(m).status for m in (first, second, suggestion)] == [
        "accepted",
        "closed",
        "closed",
    ]
    [kind_word] = outbox(kind="invitation_closed")
    assert kind_word.to_address == "leila@example.org"
    assert "taken by other experts" in kind_word.body_text
    assert outbox(to="driss@example.org") == []  # never invited, so never told anything
    closed = AuditEntry.query.filter_by(action="match.closed").all()
    assert {e.details["reason"] for e in closed} == {"seats_filled"}

    response = client.post(second_accept)
    assert response.status_code == 409
    assert "This invitation is closed" in response.get_data(as_text=True)


def test_an_arabic_reader_gets_the_answer_page_right_to_left(client, world, make_match):
    match = make_match(world.project, world.expert)
    accept_link, _ = invite(world, match)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    page = client.get(accept_link).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "bootstrap.rtl.min.css" in page
