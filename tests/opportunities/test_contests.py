"""Contesting a decision: an expert whose interest was rejected, or a member of the institution
whose project an expert is invited to, asks for a human review; an admin answers in writing
within the deadline, the answer can change the decision, and every step is audited and told."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Contest, Match, MatchStatus
from diaspora.services import match_states
from tests.opportunities.test_interest import as_user, express, fresh_match

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False, CONTEST_DAYS=7)

MESSAGE = "Mon profil clinique a été mis à jour : je pense correspondre au projet."
ANSWER = "Après relecture, votre profil correspond : la demande repart en revue."


def rejected_interest(client, world):
    express(as_user(client, world.expert.user), world.vision)
    match = fresh_match(world, world.vision)
    admin = as_user(client, world.admin)
    form = {"reason": "Profil trop éloigné.", "share_reason": "y"}
    assert admin.post(f"/matches/{match.id}/reject", data=form).status_code == 302
    return match


def contest(client, match, message=MESSAGE):
    return client.post(f"/contests/match/{match.id}", data={"message": message})


def answer(client, contest_row, text=ANSWER, outcome="upheld"):
    return client.post(
        f"/admin/contests/{contest_row.id}", data={"answer": text, "outcome": outcome}
    )


def test_an_expert_contests_a_rejection_and_the_answer_reopens_it(client, world, outbox):
    match = rejected_interest(client, world)
    [not_taken] = outbox(kind="interest_not_taken")
    assert f"/contests/match/{match.id}" in not_taken.body_text  # the email offers the review

    expert = as_user(client, world.expert.user)
    interest_page = expert.get(f"/opportunities/{world.vision.id}/interest").get_data(as_text=True)
    assert "Ask for a human review" in interest_page
    assert "Say what you think" in contest(expert, match, "  ").get_data(as_text=True)
    response = contest(expert, match)
    assert response.status_code == 302
    row = Contest.query.one()
    assert row.contested_status == MatchStatus.REJECTED and row.message == MESSAGE
    assert row.deadline - row.opened_at == timedelta(days=7)
    page = expert.get(response.location).get_data(as_text=True)
    assert MESSAGE.replace("'", "&#39;") in page and "Waiting for an answer" in page

    admin = as_user(client, world.admin)
    queue = admin.get("/admin/contests").get_data(as_text=True)
    assert "Your interest in" in queue and world.expert.user.email in queue
    case = admin.get(f"/admin/contests/{row.id}").get_data(as_text=True)
    assert "match.rejected" in case and "contest.opened" in case  # the history
    assert "Profil trop éloigné." in case and "Required skills" in case  # reason, explanation
    assert answer(admin, row, outcome="changed").status_code == 302

    db.session.expire_all()
    assert fresh_match(world, world.vision).status == MatchStatus.SUGGESTED  # back in review
    assert row.outcome == "changed" and row.answered_by_id == world.admin.id
    actions = [e.action for e in AuditEntry.query.order_by(AuditEntry.id)]
    assert actions[-3:] == ["contest.opened", "match.suggested", "contest.answered"]
    [email] = outbox(kind="contest_answered")
    assert email.to_address == world.expert.user.email and email.locale == "en"
    assert (
        ANSWER in email.body_text and "goes back to the administrators' review" in email.body_text
    )
    assert "/how-matching-works" in email.body_text

    expert = as_user(client, world.expert.user)
    page = expert.get(f"/contests/{row.id}").get_data(as_text=True)
    assert ANSWER in page and "Decision changed" in page
    queue = as_user(client, world.admin).get("/matches/review").get_data(as_text=True)
    assert "Asked by the expert" in queue  # the request waits for review again


def test_an_upheld_answer_changes_nothing_and_is_told_in_the_persons_language(
    client, world, outbox
):
    match = rejected_interest(client, world)
    world.expert.user.locale = "ar"
    db.session.commit()
    contest(as_user(client, world.expert.user), match)
    row = Contest.query.one()
    answer(as_user(client, world.admin), row, text="Le projet reste clinique.")
    db.session.expire_all()
    assert fresh_match(world, world.vision).status == MatchStatus.REJECTED
    assert row.outcome == "upheld"
    [email] = outbox(kind="contest_answered")
    assert email.locale == "ar" and "Le projet reste clinique." in email.body_text
    # Answered once: a second answer is refused, changing nothing.
    again = answer(as_user(client, world.admin), row, text="Autre chose", outcome="changed")
    assert again.status_code == 200 and "Autre chose" not in (row.answer or "")
    assert fresh_match(world, world.vision).status == MatchStatus.REJECTED


def test_one_open_request_per_decision(client, world):
    match = rejected_interest(client, world)
    expert = as_user(client, world.expert.user)
    contest(expert, match)
    second = contest(expert, match, "Encore")
    assert second.status_code == 302  # sent to the request already open
    assert Contest.query.count() == 1


def test_a_member_contests_an_invitation_and_the_answer_withdraws_it(client, world, outbox):
    match = Match(
        project=world.vision,
        expert=world.expert,
        score=0.7,
        status=MatchStatus.INVITED,
        invited_at=match_states.now(),
        expires_at=match_states.now() + timedelta(days=14),
    )
    db.session.add(match)
    db.session.commit()
    member = as_user(client, world.member)
    page = member.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Ask for a human review" in page
    assert contest(member, match, "Cet expert a déjà travaillé avec nous.").status_code == 302
    row = Contest.query.one()
    answer(as_user(client, world.admin), row, text="Invitation retirée.", outcome="changed")
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == MatchStatus.CLOSED
    [told] = outbox(kind="contest_answered")
    assert told.to_address == world.member.email
    [closed] = outbox(kind="invitation_closed")
    assert closed.to_address == world.expert.user.email
    assert "After a human review" in closed.body_text
    page = as_user(client, world.member).get(f"/matches/{match.id}").get_data(as_text=True)
    assert "Invitation retirée." in page  # the answer on the match page


def test_a_decision_moved_meanwhile_can_only_be_upheld(client, world):
    match = rejected_interest(client, world)
    contest(as_user(client, world.expert.user), match)
    row = Contest.query.one()
    db.session.expire_all()
    match_states.transition(db.session.get(Match, match.id), MatchStatus.SUGGESTED, world.admin)
    db.session.commit()
    refused = answer(as_user(client, world.admin), row, outcome="changed")
    assert refused.status_code == 400 and "has changed since it was contested" in refused.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Contest, row.id).answered_at is None


@pytest.mark.parametrize("who", ["other expert", "member", "admin", "guest"])
def test_nobody_contests_someone_elses_decision(client, world, make_expert, who):
    match = rejected_interest(client, world)
    client.post("/auth/logout")
    if who == "other expert":
        as_user(client, make_expert("other@example.org").user)
    elif who == "member":
        as_user(client, world.member)  # the institution never saw the expert's interest
    elif who == "admin":
        as_user(client, world.admin)  # admins answer; they do not ask
    response = contest(client, match)
    expected = {"other expert": 404, "member": 404, "admin": 403, "guest": 302}[who]
    assert response.status_code == expected
    assert Contest.query.count() == 0


def test_someone_elses_request_is_not_found(client, world):
    match = rejected_interest(client, world)
    contest(as_user(client, world.expert.user), match)
    row = Contest.query.one()
    as_user(client, world.member)
    assert client.get(f"/contests/{row.id}").status_code == 404
    assert client.get(f"/admin/contests/{row.id}").status_code == 403
    assert answer(client, row).status_code == 403


def test_overdue_requests_are_flagged_and_counted(client, world, monkeypatch):
    match = rejected_interest(client, world)
    contest(as_user(client, world.expert.user), match)
    later = match_states.now() + timedelta(days=8)
    monkeypatch.setattr(match_states, "now", lambda: later)
    admin = as_user(client, world.admin)
    queue = admin.get("/admin/contests").get_data(as_text=True)
    assert "Overdue" in queue and "1 past its deadline" in queue
    public = client.get("/how-matching-works").get_data(as_text=True)
    assert "Waiting past their deadline" in public
    row = Contest.query.one()
    answer(admin, row)
    queue = admin.get("/admin/contests").get_data(as_text=True)
    assert "Answered late" in queue
