"""The API's document, its docs page, its errors (one shape: RFC 9457 problem details) and the
operations the page table does not cover."""

import pytest
from sqlalchemy import func, select

from diaspora.extensions import db
from diaspora.models import Project
from diaspora.services import skills
from diaspora.services.errors import NotFound
from tests.odd_values import ODD_JSON_BODIES

PROBLEM_KEYS = {"type", "title", "status"}


def _problem(answer, status: int) -> dict:
    assert answer.status_code == status
    assert answer.content_type == "application/problem+json"
    body = answer.get_json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == status
    return body


def test_the_openapi_document_is_served_and_names_every_operation(api):
    document = api.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"/api/v1/projects", "/api/v1/me/profile", "/api/v1/review/suggestions"} <= set(
        document["paths"]
    )
    problem = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_the_docs_are_served_from_our_own_files(api):
    page = api.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = [
        src
        for src in __import__("re").findall(r'(?:src|href)="([^"]+)"', html)
        if not src.startswith("/")
    ]
    assert sources == []  # no CDN: every script and style is ours
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js"):
        answer = api.get(f"/api/v1/docs/assets/{asset}")
        assert answer.status_code == 200 and len(answer.get_data()) > 10_000
    assert api.get("/static/js/api-docs.js").status_code == 200
    _problem(api.get("/api/v1/docs/assets/index.html"), 404)


def test_the_skill_autocomplete_of_the_pages_still_answers(client):
    answer = client.get("/api/skills?q=machine%20lea&lang=en")
    assert answer.status_code == 200
    assert "machine learning" in [s["matched"] for s in answer.get_json()]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nothing-here", 404),
        ("GET", "/api/v1/projects/987654321", 404),
        ("GET", "/api/v1/projects/99999999999999999999", 404),
        ("DELETE", "/api/v1/projects", 405),
        ("GET", "/api/v1/taxonomy/concepts/no-such-concept", 404),
    ],
)
def test_every_error_is_a_problem(api, world, method, path, status):
    body = _problem(api.open(method, path, world.tokens["admin"]), status)
    assert body["type"] == "about:blank"


def test_a_method_not_allowed_says_which_are(api, world):
    answer = api.open("DELETE", "/api/v1/projects", world.tokens["member"])
    _problem(answer, 405)
    assert {"GET", "POST"} <= {m.strip() for m in answer.headers["Allow"].split(",")}


def test_refused_input_names_each_field(api, world):
    answer = api.post(
        "/api/v1/projects",
        world.tokens["member"],
        json={"title": "", "sector": "astrology", "seats": "two", "extra": 1},
    )
    body = _problem(answer, 422)
    assert {"title", "sector", "seats", "extra", "mode", "hours_per_month"} <= body["errors"].keys()


def test_a_rule_the_schema_cannot_say_is_refused_by_the_service_with_its_field(api, world):
    project = {
        "title": "On site",
        "sector": "health",
        "mode": "short_mission",  # on site: needs a location
        "hours_per_month": 10,
        "seats": 1,
    }
    body = _problem(api.post("/api/v1/projects", world.tokens["member"], json=project), 422)
    assert "location" in body["errors"]


@pytest.mark.parametrize("body", list(ODD_JSON_BODIES.values()), ids=list(ODD_JSON_BODIES))
def test_a_body_json_cannot_read_is_refused_and_stores_nothing(api, world, body):
    json_type = {"Content-Type": "application/json"}
    before = db.session.scalar(select(func.count()).select_from(Project))
    for method, path, role in (
        ("POST", "/api/v1/projects", "member"),
        ("PUT", f"/api/v1/projects/{world.draft.id}", "member"),
        ("PUT", "/api/v1/me/profile", "expert"),
    ):
        answer = api.open(method, path, world.tokens[role], data=body, headers=json_type)
        assert "Invalid JSON body." in _problem(answer, 400)["errors"]["_schema"], path
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Project)) == before
    assert world.draft.title == "Draft"
    assert world.profiles["expert"].headline == "Computer vision researcher"


def test_problems_are_in_the_readers_language(api, world):
    answer = api.get("/api/v1/projects", world.tokens["expert"], headers={"Accept-Language": "fr"})
    assert "rôle" in _problem(answer, 403)["detail"]


def test_an_expert_saves_their_profile_and_reads_it_back(api, world):
    profile = {
        "country": "FR",
        "city": "Lyon",
        "headline": "Machine learning engineer",
        "skills": [{"name": "machine learning", "level": 4}, {"name": "Python", "level": 5}],
        "languages": [{"code": "fr", "level": "native"}],
        "consent_matching": True,
        "visibility": "private",
    }
    saved = api.put("/api/v1/me/profile", world.tokens["other expert"], json=profile)
    assert saved.status_code == 200
    body = api.get("/api/v1/me/profile", world.tokens["other expert"]).get_json()
    assert body["city"] == "Lyon" and body["visibility"] == "private"
    assert body["timezone"] == "Europe/Paris"  # derived, as on the page
    assert [s["name"] for s in body["skills"]] == ["machine learning", "Python"]
    assert all(s["concept_id"] for s in body["skills"])


def test_the_taxonomy_is_searched_and_read(api, world):
    found = api.get("/api/v1/taxonomy/skills?q=machine%20lea&lang=en", world.tokens["expert"])
    concept_id = next(s["id"] for s in found.get_json() if s["matched"] == "machine learning")
    concept = api.get(f"/api/v1/taxonomy/concepts/{concept_id}?lang=fr", world.tokens["expert"])
    body = concept.get_json()
    assert body["id"] == concept_id and body["labels"]["en"]
    assert body["label"] == body["labels"]["fr"]


def test_the_taxonomy_service_refuses_an_unknown_concept():
    with pytest.raises(NotFound):
        skills.concept("no-such-concept", "fr")


def test_the_taxonomy_service_finds_nothing_for_a_blank_query():
    assert skills.search("  \u200b ", "fr", 5) == []
