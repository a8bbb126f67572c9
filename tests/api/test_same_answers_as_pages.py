"""The API is another door to the same house: for every operation, every role and the objects
of others (another institution's project, another expert's invitation), the API answers what
the page answers. One table of expected answers is checked through both doors.

"ok" is a page shown (200) or a form that went through (302 to where it leads), and an API
answer 2xx; 403 and 404 are the same on both sides.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import Match, MatchStatus, Project, ProjectStatus, User
from diaspora.services import accounts

ROLES = ("expert", "other expert", "member", "other member", "admin")
START = (date.today() + timedelta(days=60)).isoformat()

PROJECT_JSON = {
    "title": "Triage of chest X-rays",
    "sector": "health",
    "mode": "remote",
    "hours_per_month": 10,
    "seats": 2,
    "starts_on": START,
    "skills": [{"name": "computer vision", "level": 3, "required": True}],
}
PROJECT_FORM = {
    "title": "Triage of chest X-rays",
    "sector": "health",
    "mode": "remote",
    "hours_per_month": "10",
    "seats": "2",
    "starts_on": START,
    "skills-0-name": "computer vision",
    "skills-0-level": "3",
    "skills-0-need": "required",
}
PROFILE_JSON = {
    "country": "FR",
    "city": "Paris",
    "headline": "Data scientist",
    "consent_matching": True,
    "visibility": "institutions",
    "skills": [{"name": "computer vision", "level": 4}],
}
PROFILE_FORM = {
    "country": "FR",
    "city": "Paris",
    "headline": "Data scientist",
    "consent_matching": "y",
    "visibility": "institutions",
    "skills-0-name": "computer vision",
    "skills-0-level": "4",
}


@dataclass(frozen=True)
class Door:
    method: str
    url: str  # {published}, {draft}, {other_draft}, {invitation}, {suggestion} are filled in
    body: dict | None = None


@dataclass(frozen=True)
class Case:
    name: str
    page: Door
    api: Door
    answers: tuple  # in the order of ROLES


OK = "ok"
# fmt: off
CASES = [
    # answers, in the order of ROLES: expert, other expert, member, other member, admin
    Case("list projects",
         Door("GET", "/projects/"),
         Door("GET", "/api/v1/projects"),
         (403, 403, OK, OK, OK)),
    Case("read a published project",
         Door("GET", "/projects/{published}"),
         Door("GET", "/api/v1/projects/{published}"),
         (OK, OK, OK, OK, OK)),
    Case("read a draft of the member's institution",
         Door("GET", "/projects/{draft}"),
         Door("GET", "/api/v1/projects/{draft}"),
         (404, 404, OK, 404, OK)),
    Case("read a draft of the other institution",
         Door("GET", "/projects/{other_draft}"),
         Door("GET", "/api/v1/projects/{other_draft}"),
         (404, 404, 404, OK, OK)),
    Case("create a project",
         Door("POST", "/projects/new", PROJECT_FORM),
         Door("POST", "/api/v1/projects", PROJECT_JSON),
         (403, 403, OK, OK, 403)),
    Case("change a draft of the member's institution",
         Door("POST", "/projects/{draft}/edit", PROJECT_FORM),
         Door("PUT", "/api/v1/projects/{draft}", PROJECT_JSON),
         (404, 404, OK, 404, OK)),
    Case("change a published project of the member's institution",
         Door("POST", "/projects/{published}/edit", PROJECT_FORM),
         Door("PUT", "/api/v1/projects/{published}", PROJECT_JSON),
         (403, 403, OK, 403, OK)),
    Case("publish a draft of the member's institution",
         Door("POST", "/projects/{draft}/status", {"to": "published"}),
         Door("POST", "/api/v1/projects/{draft}/publish"),
         (404, 404, OK, 404, OK)),
    Case("publish a draft of the other institution",
         Door("POST", "/projects/{other_draft}/status", {"to": "published"}),
         Door("POST", "/api/v1/projects/{other_draft}/publish"),
         (404, 404, 404, OK, OK)),
    Case("close a published project of the member's institution",
         Door("POST", "/projects/{published}/status", {"to": "closed"}),
         Door("POST", "/api/v1/projects/{published}/close"),
         (403, 403, OK, 403, OK)),
    Case("read a project's pipeline",
         Door("GET", "/matches/projects/{published}/pipeline"),
         Door("GET", "/api/v1/projects/{published}/pipeline"),
         (403, 403, OK, 404, OK)),
    Case("read the pipelines of one's institutions",
         Door("GET", "/matches/pipeline"),
         Door("GET", "/api/v1/pipelines"),
         (403, 403, OK, OK, 403)),
    Case("read one's profile",
         Door("GET", "/expert/profile"),
         Door("GET", "/api/v1/me/profile"),
         (OK, OK, 403, 403, 403)),
    Case("save one's profile",
         Door("POST", "/expert/profile/edit", PROFILE_FORM),
         Door("PUT", "/api/v1/me/profile", PROFILE_JSON),
         (OK, OK, 403, 403, 403)),
    Case("list one's invitations",
         Door("GET", "/matches/invitations"),
         Door("GET", "/api/v1/me/invitations"),
         (OK, OK, 403, 403, 403)),
    Case("accept the expert's invitation",
         Door("POST", "/matches/{invitation}/accept"),
         Door("POST", "/api/v1/me/invitations/{invitation}/accept"),
         (OK, 404, 403, 403, 403)),
    Case("decline the expert's invitation",
         Door("POST", "/matches/{invitation}/decline", {"reason": "Busy"}),
         Door("POST", "/api/v1/me/invitations/{invitation}/decline", {"reason": "Busy"}),
         (OK, 404, 403, 403, 403)),
    Case("list the projects ranked for oneself",
         Door("GET", "/opportunities/?unfit=1"),
         Door("GET", "/api/v1/me/projects?unfit=true"),
         (OK, OK, 403, 403, 403)),
    Case("express interest in a draft",
         Door("POST", "/opportunities/{draft}/interest", {"note": "Je peux aider."}),
         Door("POST", "/api/v1/me/projects/{draft}/interest", {"note": "Je peux aider."}),
         (404, 404, 403, 403, 403)),
    Case("read the review queue",
         Door("GET", "/matches/review"),
         Door("GET", "/api/v1/review/suggestions"),
         (403, 403, 403, 403, OK)),
    Case("approve a suggestion",
         Door("POST", "/matches/{suggestion}/approve"),
         Door("POST", "/api/v1/review/suggestions/{suggestion}/approve"),
         (403, 403, 403, 403, OK)),
    Case("reject a suggestion",
         Door("POST", "/matches/{suggestion}/reject", {"reason": "Not a fit"}),
         Door("POST", "/api/v1/review/suggestions/{suggestion}/reject", {"reason": "Not a fit"}),
         (403, 403, 403, 403, OK)),
    Case("search the taxonomy",
         Door("GET", "/api/skills?q=computer"),
         Door("GET", "/api/v1/taxonomy/skills?q=computer"),
         (OK, OK, OK, OK, OK)),
    Case("search the experts",
         Door("GET", "/search/experts?skill=computer+vision&mode=remote&mode=short_mission"),
         Door("GET", "/api/v1/experts/search?skill=computer+vision&mode=remote&mode=short_mission"),
         (403, 403, OK, OK, OK)),
]
# fmt: on


def _url(door: Door, world) -> str:
    return door.url.format(
        published=world.published.id,
        draft=world.draft.id,
        other_draft=world.other_draft.id,
        invitation=world.invitation.id,
        suggestion=world.suggestion.id,
    )


def _through_the_page(client, world, role: str, door: Door) -> int:
    with client.session_transaction() as session:
        session["_user_id"] = accounts.start_session(world.users[role])
        session["_fresh"] = True
    db.session.rollback()
    response = client.open(_url(door, world), method=door.method, data=door.body)
    if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
        return 401
    return OK if response.status_code in (200, 302) else response.status_code


def _through_the_api(api, world, role: str, door: Door) -> int:
    response = api.open(door.method, _url(door, world), world.tokens[role], json=door.body)
    if response.status_code >= 400:
        assert response.content_type == "application/problem+json"
        return response.status_code
    return OK


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_api_answers_as_the_page_does(client, api, world, case, role, door):
    expected = case.answers[ROLES.index(role)]
    if door == "page":
        answer = _through_the_page(client, world, role, case.page)
    else:
        answer = _through_the_api(api, world, role, case.api)
    assert answer == expected, f"{role} through the {door}: {answer}, expected {expected}"


def test_every_operation_of_the_api_is_in_the_table(app):
    adapter = app.url_map.bind("localhost")
    ids = dict.fromkeys(("published", "draft", "other_draft", "invitation", "suggestion"), 1)
    tested = {
        adapter.match(case.api.url.split("?")[0].format(**ids), method=case.api.method)[0]
        for case in CASES
    }
    operations = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint.split(".")[0] != "api_docs"
    }
    # Reading a concept has no page of its own: its answers are tested in test_api.py; the
    # collaboration actions' answers for every side and stranger in test_collaborations_api.py.
    assert operations - tested == {
        "api_taxonomy.concept",
        "api-docs.openapi_json",
        "api_collaborations.cancel_collaboration",
        "api_collaborations.complete_collaboration",
    }


def test_an_institution_reads_in_a_pipeline_only_the_experts_an_admin_approved(api, world):
    answer = api.get(f"/api/v1/projects/{world.published.id}/pipeline", world.tokens["member"])
    body = answer.get_json()
    assert [e["expert"]["ref"] for e in body["experts"]] == ["E-SALMA"]
    assert body["counts"]["suggested"] == 1  # Karim waits for review: counted, never named
    assert "E-KARIM" not in answer.get_data(as_text=True)


def test_an_expert_lists_only_their_own_invitations(api, world):
    mine = api.get("/api/v1/me/invitations", world.tokens["expert"]).get_json()
    theirs = api.get("/api/v1/me/invitations", world.tokens["other expert"]).get_json()
    assert [i["id"] for i in mine] == [world.invitation.id]
    assert theirs == []  # Karim's suggestion was never approved: no invitation to see


def test_a_project_created_through_the_api_is_the_pages_project(api, client, world):
    answer = api.post("/api/v1/projects", world.tokens["member"], json=PROJECT_JSON)
    assert answer.status_code == 201
    project = db.session.get(Project, answer.get_json()["id"])
    assert project.status == ProjectStatus.DRAFT
    assert project.institution_id == world.institution.id
    assert project.created_by_id == world.users["member"].id


def test_accepting_through_the_api_tells_the_institution_and_closes_the_door(api, world, outbox):
    answer = api.post(
        f"/api/v1/me/invitations/{world.invitation.id}/accept", world.tokens["expert"]
    )
    assert answer.status_code == 200
    assert answer.get_json()["contacts"]["institution"][0]["email"] == "nadia@sante.gov.ma"
    assert outbox(kind="invitation_accepted", to="nadia@sante.gov.ma")
    again = api.post(f"/api/v1/me/invitations/{world.invitation.id}/accept", world.tokens["expert"])
    assert again.status_code == 409
    db.session.expire_all()
    assert db.session.get(Match, world.invitation.id).status == MatchStatus.ACCEPTED


def test_approving_through_the_api_invites_the_expert(api, world, outbox):
    answer = api.post(
        f"/api/v1/review/suggestions/{world.suggestion.id}/approve", world.tokens["admin"]
    )
    assert answer.status_code == 200 and answer.get_json()["status"] == "invited"
    assert outbox(kind="invitation", to="karim@example.org")
    twice = api.post(
        f"/api/v1/review/suggestions/{world.suggestion.id}/reject",
        world.tokens["admin"],
        json={"reason": "Changed my mind"},
    )
    assert twice.status_code == 409


def test_the_api_acts_as_the_tokens_owner_in_the_audit_log(api, world):
    from diaspora.models import AuditEntry

    api.post(f"/api/v1/projects/{world.draft.id}/publish", world.tokens["member"])
    entry = AuditEntry.query.filter_by(action="project.published").one()
    assert entry.actor_id == world.users["member"].id
    assert isinstance(db.session.get(User, entry.actor_id), User)
