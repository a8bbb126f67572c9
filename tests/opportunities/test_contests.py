"""Contesting a decision: an expert whose interest was rejected, or a member of the institution
whose project an expert is invited to, asks for a human review; an admin answers in writing
within the deadline, the answer can change the decision, and every step is audited and told."""

import html
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import AuditEntry, Contest, Match, MatchStatus
from diaspora.services import invitations, match_states, projects, reviews, suggestions
from tests.conftest import link_in
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


# -- an expired invitation -----------------------------------------------------------------------


@pytest.fixture
def lapsed(world, monkeypatch, outbox):
    """The expert's invitation to the vision project, approved, left unanswered and expired by
    the cron job; returns the match and the accept link of its first email."""
    moment = {"now": match_states.now()}
    monkeypatch.setattr(match_states, "now", lambda: moment["now"])
    match = Match(project=world.vision, expert=world.expert, score=0.7, explanation={})
    db.session.add(match)
    db.session.commit()
    reviews.approve(world.admin, match.id)
    [first] = outbox(kind="invitation")
    moment["now"] += timedelta(days=15)
    assert invitations.tick().expired == 1
    return match, link_in(first.body_text, "/accept")


def test_an_expert_contests_an_expiry_and_the_answer_reopens_the_invitation(
    client, world, outbox, lapsed
):
    match, old_link = lapsed
    [notice] = outbox(kind="invitation_lapsed")
    expert = as_user(client, world.expert.user)
    form = expert.get(link_in(notice.body_text, "/contests/match/"))
    assert (
        "the invitation is reopened: a new invitation email is sent, with 14 days"
        in form.get_data(as_text=True)
    )
    assert contest(expert, match, "J'étais en mission sans accès à mes e-mails.").status_code == 302
    row = Contest.query.one()
    assert row.contested_status == MatchStatus.EXPIRED
    expired_at = db.session.get(Match, match.id).expires_at

    admin = as_user(client, world.admin)
    case = admin.get(f"/admin/contests/{row.id}").get_data(as_text=True)
    assert "Changing it reopens the invitation" in case and "match.expired" in case
    assert answer(admin, row, text="Invitation rouverte.", outcome="changed").status_code == 302

    db.session.expire_all()
    reopened = db.session.get(Match, match.id)
    assert reopened.status == MatchStatus.INVITED and reopened.reminded_at is None
    assert reopened.expires_at - reopened.invited_at == timedelta(days=14)
    assert reopened.expires_at > expired_at + timedelta(days=13)
    # Audited with the request, and shown in the match's history on the case.
    entries = AuditEntry.query.order_by(AuditEntry.id).all()
    assert [e.action for e in entries][-3:] == [
        "contest.opened",
        "match.invited",
        "contest.answered",
    ]
    invited = entries[-2]
    assert invited.actor_id == world.admin.id
    assert invited.details["from"] == "expired" and invited.details["contest"] == row.id
    assert invited.details["reason"] == "contest"
    case = admin.get(f"/admin/contests/{row.id}").get_data(as_text=True)
    assert case.index("match.expired") < case.rindex("match.invited")

    [told] = outbox(kind="contest_answered")
    assert "the invitation is reopened, with a new answer period" in told.body_text
    [_, again] = outbox(kind="invitation")
    assert again.to_address == world.expert.user.email
    assert "After a human review, this invitation is open again" in again.body_text
    assert len(outbox(kind="project_invited")) == 2  # the member hears of it again
    shown = as_user(client, world.expert.user).get(f"/contests/{row.id}").get_data(as_text=True)
    assert "the invitation is reopened" in shown

    client.post("/auth/logout")
    assert client.post(old_link).status_code == 400  # the old links died with the old invitation
    accepted = client.post(link_in(again.body_text, "/accept"))
    assert accepted.status_code == 200 and "You accepted the invitation" in accepted.get_data(
        as_text=True
    )


def test_the_engine_leaves_a_reopened_invitation_alone(client, world, lapsed):
    match, _ = lapsed
    contest(as_user(client, world.member), match, "Nous voulons toujours cette experte.")
    answer(as_user(client, world.admin), Contest.query.one(), outcome="changed")
    db.session.expire_all()
    before = db.session.get(Match, match.id)
    kept = (before.status, before.score, before.explanation, before.expires_at, before.invited_at)
    suggestions.refresh_project(world.vision.id)
    suggestions.refresh_expert(world.expert.id)
    suggestions.recompute_all()
    db.session.expire_all()
    pairs = Match.query.filter_by(project_id=world.vision.id, expert_id=world.expert.id).all()
    assert [m.id for m in pairs] == [match.id]
    after = pairs[0]
    assert (
        after.status,
        after.score,
        after.explanation,
        after.expires_at,
        after.invited_at,
    ) == kept


def test_an_expiry_on_a_project_closed_meanwhile_is_answered_in_writing_only(
    client, world, outbox, lapsed
):
    match, _ = lapsed
    contest(as_user(client, world.expert.user), match)
    row = Contest.query.one()
    projects.close(world.member, world.vision.id)  # after the request, before its answer
    admin = as_user(client, world.admin)
    case = admin.get(f"/admin/contests/{row.id}").get_data(as_text=True)
    assert 'value="changed"' not in case and "cannot be reopened" in case
    refused = answer(admin, row, outcome="changed")
    assert refused.status_code == 400 and "the project is no longer open" in refused.get_data(
        as_text=True
    )
    assert answer(admin, row, text="Le projet est clos.").status_code == 302
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == MatchStatus.EXPIRED
    assert len(outbox(kind="invitation")) == 1  # only the first one
    [told] = outbox(kind="contest_answered")
    assert "Le projet est clos." in told.body_text and "The decision stands." in told.body_text


def test_an_expiry_of_an_expert_who_left_is_not_reopened(client, world, lapsed):
    match, _ = lapsed
    contest(as_user(client, world.member), match, "Nous voulons toujours cette experte.")
    world.expert.user.active = False
    db.session.commit()
    refused = answer(as_user(client, world.admin), Contest.query.one(), outcome="changed")
    assert refused.status_code == 400 and "the expert's account is closed" in html.unescape(
        refused.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == MatchStatus.EXPIRED


def test_an_expiry_is_not_reopened_once_every_seat_is_filled(client, world, lapsed):
    match, _ = lapsed
    contest(as_user(client, world.expert.user), match, "J'étais en mission.")
    db.session.add(Match(project=world.vision, expert=None, status=MatchStatus.ACCEPTED))
    world.vision.seats = 1
    db.session.commit()
    refused = answer(as_user(client, world.admin), Contest.query.one(), outcome="changed")
    assert refused.status_code == 400 and "every seat of the project is filled" in html.unescape(
        refused.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == MatchStatus.EXPIRED


def test_an_admin_cannot_approve_an_expired_invitation_again_without_a_review(
    client, world, lapsed
):
    match, _ = lapsed
    admin = as_user(client, world.admin)
    response = admin.post(f"/matches/{match.id}/approve", follow_redirects=True)
    assert "it cannot become invited" in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == MatchStatus.EXPIRED
