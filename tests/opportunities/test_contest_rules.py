"""Who may contest what, in every project state: an invitation (open, expired or closed) for its
expert and the project's institution, the end of what a person asked for (an expert's interest,
an institution's proposal) for that person. Anyone else is told nothing (404) or refused (403),
never a server error. In an open project an answer can change a rejection (back to review), an
open invitation (withdrawn) or an expired one (reopened); otherwise it is given in writing, and
the pages say which before anyone asks."""

import html
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Contest, Match, MatchSource, MatchStatus, Role
from diaspora.services import contests, match_states
from tests.opportunities.test_interest import as_user

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False, CONTEST_DAYS=7)

S, SRC = MatchStatus, MatchSource

# kind -> (status, source, approved by an admin)
KINDS = {
    "invitation": (S.INVITED, SRC.ENGINE, True),
    "expired invitation": (S.EXPIRED, SRC.ENGINE, True),
    "closed invitation": (S.CLOSED, SRC.ENGINE, True),
    "accepted invitation": (S.ACCEPTED, SRC.ENGINE, True),
    "declined invitation": (S.DECLINED, SRC.ENGINE, True),
    "suggestion": (S.SUGGESTED, SRC.ENGINE, False),
    "rejected suggestion": (S.REJECTED, SRC.ENGINE, False),
    "interest in review": (S.SUGGESTED, SRC.EXPERT, False),
    "rejected interest": (S.REJECTED, SRC.EXPERT, False),
    "closed interest": (S.CLOSED, SRC.EXPERT, False),
    "rejected proposal": (S.REJECTED, SRC.INSTITUTION, False),
    "closed proposal": (S.CLOSED, SRC.INSTITUTION, False),
}
INVITATIONS = {"invitation", "expired invitation", "closed invitation"}
MAY_CONTEST = {
    "expert": INVITATIONS | {"rejected interest", "closed interest"},
    "member": INVITATIONS | {"rejected proposal", "closed proposal"},
}
KNOWS = {
    "expert": {k for k, (_, src, approved) in KINDS.items() if approved or src == SRC.EXPERT},
    "member": {k for k, (_, src, approved) in KINDS.items() if approved or src == SRC.INSTITUTION},
    "admin": set(KINDS),
}
# In a published project, with what the person is told changing it would do.
CHANGEABLE = {
    "invitation": "the invitation is withdrawn",
    "expired invitation": "the invitation is reopened: a new invitation email is sent",
    "rejected interest": "the request goes back to the administrators' review",
    "rejected proposal": "the request goes back to the administrators' review",
}
ROLES = ("expert", "member", "other expert", "other member", "admin", "guest")


def make_match(world, project, kind):
    status, source, approved = KINDS[kind]
    now = match_states.now()
    match = Match(
        project=project,
        expert=world.expert,
        score=0.6,
        status=status,
        source=source,
        proposed_by_id=world.member.id if source == SRC.INSTITUTION else None,
        invited_at=now - timedelta(days=20) if approved else None,
        expires_at=now + timedelta(days=1) if approved else None,
    )
    db.session.add(match)
    db.session.commit()
    return match


def expected_status(role, kind):
    if role == "guest":
        return 302  # to the log-in page
    if kind in MAY_CONTEST.get(role, ()):
        return 200
    return 403 if kind in KNOWS.get(role, ()) else 404


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", ["published", "closed", "draft"])
def test_who_may_contest_each_decision(
    client, world, make_expert, make_user, make_institution, state, kind
):
    project = {"published": world.vision, "closed": world.closed, "draft": world.draft}[state]
    match = make_match(world, project, kind)
    elsewhere = make_institution(name="Ministère de l'Éducation", domain="enseignement.gov.ma")
    people = {
        "expert": world.expert.user,
        "member": world.member,
        "other expert": make_expert("autre@example.org").user,
        "other member": make_user(
            "omar@enseignement.gov.ma",
            role=Role.INSTITUTION,
            institution=elsewhere,
        ),
        "admin": world.admin,
    }
    for role in ROLES:
        if role == "guest":
            client.post("/auth/logout")
        else:
            as_user(client, people[role])
        before = Contest.query.count()
        form = client.get(f"/contests/match/{match.id}")
        expected = expected_status(role, kind)
        assert form.status_code == expected, role
        if expected == 200 and kind in INVITATIONS:  # the match page offers it
            shown = client.get(f"/matches/{match.id}").get_data(as_text=True)
            assert "Ask for a human review" in shown, role
        sent = client.post(f"/contests/match/{match.id}", data={"message": f"Je conteste ({role})"})
        if expected != 200:
            assert sent.status_code == expected, role
            assert Contest.query.count() == before, role
            continue
        changeable = state == "published" and kind in CHANGEABLE
        page = html.unescape(form.get_data(as_text=True))
        assert ("They can change the decision" in page) == changeable, role
        assert ("can no longer be changed" in page) == (not changeable), role
        for what_changing_does in set(CHANGEABLE.values()):
            said = changeable and what_changing_does == CHANGEABLE[kind]
            assert (what_changing_does in page) == said, role
        cannot_reopen = kind == "expired invitation" and state != "published"
        assert ("the expired invitation cannot be reopened" in page) == cannot_reopen, role
        assert sent.status_code == 302 and "/contests/" in sent.location, role
        contest = Contest.query.filter_by(opened_by_id=people[role].id).one()
        # The expert's request is answered in writing, the member's changes what it can.
        assert_answer(client, world, contest, changeable, change=role == "member")


def assert_answer(client, world, contest, changeable, change):
    """The admin sees the change offered only when it can happen, with what it does; asking for
    it otherwise is refused and changes nothing; the written answer always goes through, and
    changes the decision only when asked to."""
    status = contest.contested_status
    admin = as_user(client, world.admin)
    case = html.unescape(admin.get(f"/admin/contests/{contest.id}").get_data(as_text=True))
    assert ('value="changed"' in case) == changeable
    assert ("Changing it reopens the invitation" in case) == (changeable and status == "expired")
    if not changeable:
        refused = admin.post(
            f"/admin/contests/{contest.id}", data={"answer": "Non.", "outcome": "changed"}
        )
        refusal = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "answer in writing" in refusal
        assert ("cannot be reopened" in refusal) == (status == "expired")
    outcome = "changed" if change and changeable else "upheld"
    done = admin.post(
        f"/admin/contests/{contest.id}", data={"answer": "Réponse écrite.", "outcome": outcome}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).answer == "Réponse écrite."
    now = db.session.get(Match, contest.match_id).status
    assert now == (contests.CHANGES[status] if outcome == "changed" else status)
