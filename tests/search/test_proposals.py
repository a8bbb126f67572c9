"""A member proposes an expert found by a search for one of the institution's published
projects: a suggestion marked as theirs, in the admins' review queue, and nothing written to
anyone before an admin approves it."""

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchSource, MatchStatus, Project, ProjectStatus
from diaspora.models.base import utcnow
from diaspora.services import suggestions

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

NOTE = "Salma a dépisté la rétinopathie à Paris : exactement notre besoin."
BACK = "skill=computer+vision&country=FR"


def propose(client, project, ref="E-SALMA", note=NOTE):
    return client.post(
        f"/search/experts/{ref}/propose?{BACK}",
        data={"project_id": str(project.id), "note": note},
    )


def proposals() -> list[Match]:
    db.session.expire_all()
    return Match.query.filter_by(source=MatchSource.INSTITUTION).all()


def test_a_proposal_lands_in_the_review_queue_and_nothing_is_emailed(pool, login_as, outbox):
    member = login_as(pool.member)
    page = member.get(f"/search/experts/E-SALMA/propose?{BACK}")
    assert page.status_code == 200 and pool.project.title in page.text
    response = propose(member, pool.project)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/search/experts?{BACK}"
    assert "review queue" in member.get(response.headers["Location"]).text
    [match] = proposals()
    assert (match.status, match.proposed_by_id, match.proposal_note) == (
        MatchStatus.SUGGESTED,
        pool.member.id,
        NOTE,
    )
    assert match.explanation["required"] and 0 < match.score <= 1  # the engine's own
    assert outbox() == []

    queue = login_as(pool.admin).get("/matches/review").text
    assert "Salma Bennani" in queue and "Proposed by the institution" in queue
    assert "exactement notre besoin" in queue and "Note from Nadia" in queue
    details = login_as(pool.admin).get(f"/matches/{match.id}").text
    assert "exactement notre besoin" in details
    assert outbox() == []


def test_the_expert_hears_of_it_only_once_an_admin_approves(pool, login_as, outbox):
    propose(login_as(pool.member), pool.project)
    [match] = proposals()
    expert = login_as(pool.profiles["E-SALMA"].user)
    assert "Rétinopathie" not in expert.get("/matches/invitations").text
    admin = login_as(pool.admin)
    assert admin.post(f"/matches/{match.id}/approve").status_code == 302
    [email] = outbox(kind="invitation")
    assert (email.kind, email.to_address) == ("invitation", "e-salma@example.org")
    assert "Rétinopathie" in expert.get("/matches/invitations").text


def test_recomputes_keep_the_proposal(pool, login_as):
    propose(login_as(pool.member), pool.project)
    suggestions.recompute_all()
    suggestions.refresh_project(pool.project.id)
    [match] = proposals()
    assert (match.status, match.proposal_note) == (MatchStatus.SUGGESTED, NOTE)


@pytest.mark.parametrize(
    "status, message",
    [
        (MatchStatus.SUGGESTED, "already waits for an administrator&#39;s review"),
        (MatchStatus.INVITED, "already been invited to this project"),
        (MatchStatus.DECLINED, "already considered for this project"),
    ],
)
def test_a_pair_already_on_the_list_is_refused_with_a_clear_message(
    pool, login_as, status, message
):
    db.session.add(
        Match(
            project_id=pool.project.id,
            expert_id=pool.profiles["E-SALMA"].id,
            status=status,
            invited_at=None if status == MatchStatus.SUGGESTED else utcnow(),
        )
    )
    db.session.commit()
    response = propose(login_as(pool.member), pool.project)
    assert response.status_code == 400
    assert message in response.text
    assert proposals() == []


def test_twice_the_same_proposal_is_refused(pool, login_as):
    member = login_as(pool.member)
    propose(member, pool.project)
    response = propose(member, pool.project)
    assert response.status_code == 400 and "already waits" in response.text
    assert len(proposals()) == 1


def test_only_a_published_project_of_ones_own_institution(pool, login_as, make_institution):
    other = Project(
        ref="P-0002",
        institution=make_institution(name="Autre", domain="a.ma"),
        title="Autre",
        sector="health",
        mode="remote",
        status="published",
    )
    draft = Project(
        ref="P-0003",
        institution=pool.institution,
        title="Brouillon",
        sector="health",
        mode="remote",
    )
    db.session.add_all([other, draft])
    db.session.commit()
    member = login_as(pool.member)
    page = member.get("/search/experts/E-SALMA/propose").text
    assert "Brouillon" not in page and "Autre" not in page
    for project in (other, draft):
        response = propose(member, project)
        assert response.status_code == 400
        assert "Choose one of your institution&#39;s published projects." in response.text
    assert proposals() == []


@pytest.mark.parametrize("note, message", [("", "Say in a few words"), ("x" * 1001, "under 1000")])
def test_a_proposal_needs_a_short_note(pool, login_as, note, message):
    response = propose(login_as(pool.member), pool.project, note=note)
    assert response.status_code == 400 and message in response.text
    assert proposals() == []


@pytest.mark.parametrize("ref", ["E-PRIVATE", "E-NOCONSENT", "E-STALE", "E-CLOSED", "E-NOBODY"])
def test_experts_a_search_cannot_find_cannot_be_proposed(pool, login_as, ref):
    member = login_as(pool.member)
    assert member.get(f"/search/experts/{ref}/propose").status_code == 404
    assert propose(member, pool.project, ref=ref).status_code == 404
    assert proposals() == []


@pytest.mark.parametrize("who", ["admin", "unverified_member", "expert"])
def test_proposals_are_for_members_of_verified_institutions(pool, login_as, who):
    user = pool.profiles["E-KARIM"].user if who == "expert" else getattr(pool, who)
    client = login_as(user)
    assert client.get("/search/experts/E-SALMA/propose").status_code == 403
    assert propose(client, pool.project).status_code == 403
    assert proposals() == []


def test_results_offer_a_proposal_while_the_member_has_a_published_project(pool, login_as):
    member = login_as(pool.member)
    page = member.get(f"/search/experts?{BACK}").text
    assert "Propose for a project" in page and "publish a project first" not in page

    pool.project.status = ProjectStatus.CLOSED
    db.session.commit()
    page = member.get(f"/search/experts?{BACK}").text
    assert "Salma Bennani" in page
    assert "Propose for a project" not in page and "publish a project first" in page
