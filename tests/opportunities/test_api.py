"""The API's door to the same services: the ranking of /api/v1/me/projects is the projects page's,
an interest posted there lands in the review queue like one sent from the page, and an admin
rejecting through the API may share the reason."""

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchSource, MatchStatus
from tests.api.conftest import api, token_for  # noqa: F401  (fixtures)
from tests.conftest import PASSWORD
from tests.opportunities.test_projects_for_experts import titles

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


@pytest.fixture
def expert_token(world, token_for):  # noqa: F811
    return token_for(world.expert.user)


def test_the_ranking_is_the_pages(api, client, world, expert_token):  # noqa: F811
    ranked = api.get("/api/v1/me/projects?unfit=true", expert_token)
    assert ranked.status_code == 200
    body = ranked.get_json()
    assert (body["fitting"], body["hidden"], body["needs_consent"]) == (2, 2, False)
    client.post("/auth/login", data={"email": world.expert.user.email, "password": PASSWORD})
    page = client.get("/opportunities/?unfit=1").get_data(as_text=True)
    assert [p["project"]["title"] for p in body["projects"]] == titles(page)
    onsite = next(p for p in body["projects"] if p["project"]["id"] == world.onsite.id)
    assert not onsite["fits"] and not onsite["can_express"]
    assert any("does not offer it" in reason for reason in onsite["reasons"])
    assert body["projects"][0]["can_express"] and body["projects"][0]["explanation"]["required"]


def test_filters_and_refusals_of_odd_values(api, world, expert_token):  # noqa: F811
    health = api.get("/api/v1/me/projects?sector=health&city=RABAT", expert_token).get_json()
    assert [p["project"]["id"] for p in health["projects"]] == [world.vision.id]
    assert api.get("/api/v1/me/projects?sector=moon", expert_token).status_code == 422
    assert api.get("/api/v1/me/projects?page=0", expert_token).status_code == 422


def test_no_ranking_without_consent(api, world, expert_token):  # noqa: F811
    world.expert.consent_matching = False
    db.session.commit()
    body = api.get("/api/v1/me/projects", expert_token).get_json()
    assert body["needs_consent"] and body["projects"] == []


def test_interest_through_the_api_waits_for_review(api, world, expert_token, outbox):  # noqa: F811
    url = f"/api/v1/me/projects/{world.vision.id}/interest"
    created = api.post(url, expert_token, json={"note": "Je connais ce domaine."})
    assert created.status_code == 201
    assert created.get_json()["status"] == "suggested"
    match = Match.query.filter_by(project_id=world.vision.id, expert_id=world.expert.id).one()
    assert match.source == MatchSource.EXPERT and match.proposal_note == "Je connais ce domaine."
    assert outbox() == []
    again = api.post(url, expert_token, json={"note": "Encore."})
    assert again.status_code == 422 and "already expressed" in again.get_data(as_text=True)
    assert api.post(url, expert_token, json={"note": ""}).status_code == 422
    assert api.post(url, expert_token, json={"note": "x", "extra": 1}).status_code == 422
    draft = f"/api/v1/me/projects/{world.draft.id}/interest"
    assert api.post(draft, expert_token, json={"note": "x"}).status_code == 404


def test_only_experts_use_these_doors(api, world, token_for):  # noqa: F811
    member = token_for(world.member)
    assert api.get("/api/v1/me/projects", member).status_code == 403
    url = f"/api/v1/me/projects/{world.vision.id}/interest"
    assert api.post(url, member, json={"note": "x"}).status_code == 403
    reader = token_for(world.expert.user, "read")
    assert api.post(url, reader, json={"note": "x"}).status_code == 403


def test_an_admin_shares_the_reason_through_the_api(api, world, expert_token, token_for, outbox):  # noqa: F811
    api.post(f"/api/v1/me/projects/{world.vision.id}/interest", expert_token, json={"note": "Moi."})
    match = Match.query.filter_by(project_id=world.vision.id, expert_id=world.expert.id).one()
    admin = token_for(world.admin)
    rejected = api.post(
        f"/api/v1/review/suggestions/{match.id}/reject",
        admin,
        json={"reason": "Un profil clinique est attendu.", "share_reason": True},
    )
    assert rejected.status_code == 200 and rejected.get_json()["status"] == MatchStatus.REJECTED
    [email] = outbox(kind="interest_not_taken")
    assert "Un profil clinique est attendu." in email.body_text
