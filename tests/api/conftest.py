"""A small world for the API tests, with a personal access token per role.

`world.tokens[role]` is a write token; `token_for(user, scope)` makes others. `api` sends
requests with `Authorization: Bearer`, as a partner system would, and no cookie.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    ExpertSkill,
    Institution,
    Match,
    MatchStatus,
    Project,
    ProjectSkill,
    ProjectStatus,
    Role,
    User,
)
from diaspora.models.base import utcnow
from diaspora.services import api_tokens
from tests.explanations import engine_explanation


@pytest.fixture
def token_for(app):
    def make(user: User, scope: str = "write", days: int = 30) -> str:
        return api_tokens.create(user, f"{scope} token", scope, days).secret

    return make


class ApiClient:
    """Requests to the API with a token in the Authorization header (and no cookie)."""

    def __init__(self, client):
        self._client = client

    def open(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self._client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, token=None, **kwargs):
        return self.open("GET", path, token, **kwargs)

    def post(self, path, token=None, **kwargs):
        return self.open("POST", path, token, **kwargs)

    def put(self, path, token=None, **kwargs):
        return self.open("PUT", path, token, **kwargs)


@pytest.fixture
def api(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return ApiClient(client)


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    institution: Institution
    other_institution: Institution
    published: Project  # of the member's institution
    draft: Project  # of the member's institution
    other_draft: Project  # of the other member's institution
    suggestion: Match  # the engine's, for `published`, waiting for review (other expert)
    invitation: Match  # the expert's, approved, waiting for an answer
    profiles: dict[str, ExpertProfile] = field(default_factory=dict)


ROLES = ("expert", "other expert", "member", "other member", "admin")


def _project(institution, member, ref, status, title="Vision for hospitals") -> Project:
    project = Project(
        ref=ref,
        institution=institution,
        created_by=member,
        title=title,
        sector="health",
        mode="remote",
        description="Screen retinal images in regional hospitals.",
        hours_per_month=8,
        seats=2,
        starts_on=date.today() + timedelta(days=30),
        status=status,
        published_at=utcnow() if status == ProjectStatus.PUBLISHED else None,
    )
    project.skills = [ProjectSkill(name="computer vision", level=3, required=True)]
    db.session.add(project)
    return project


def _profile(user: User, ref: str) -> ExpertProfile:
    profile = ExpertProfile(
        user=user,
        ref=ref,
        headline="Computer vision researcher",
        country="AE",
        city="Dubai",
        sectors=["health"],
        modes=["remote"],
        hours_per_month=10,
        consent_matching=True,
        confirmed_at=utcnow(),
    )
    profile.skills = [ExpertSkill(name="computer vision", level=4)]
    db.session.add(profile)
    return profile


@pytest.fixture
def world(make_user, make_institution, token_for):
    institution = make_institution()
    other_institution = make_institution(name="Agence Autre", domain="autre.ma")
    users = {
        "expert": make_user("salma@example.org", name="Salma Bennani"),
        "other expert": make_user("karim@example.org", name="Karim Alaoui"),
        "member": make_user(
            "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name="Nadia"
        ),
        "other member": make_user(
            "omar@autre.ma", role=Role.INSTITUTION, institution=other_institution, name="Omar"
        ),
        "admin": make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin"),
    }
    profiles = {
        "expert": _profile(users["expert"], "E-SALMA"),
        "other expert": _profile(users["other expert"], "E-KARIM"),
    }
    published = _project(institution, users["member"], "P-1", ProjectStatus.PUBLISHED)
    draft = _project(institution, users["member"], "P-2", ProjectStatus.DRAFT, "Draft")
    other_draft = _project(
        other_institution, users["other member"], "P-3", ProjectStatus.DRAFT, "Theirs"
    )
    db.session.flush()
    suggestion = Match(
        project=published,
        expert=profiles["other expert"],
        status=MatchStatus.SUGGESTED,
        score=0.7,
        explanation=engine_explanation(),
    )
    invitation = Match(
        project=published,
        expert=profiles["expert"],
        status=MatchStatus.INVITED,
        score=0.8,
        explanation=engine_explanation(),
        invited_at=utcnow(),
        expires_at=utcnow() + timedelta(days=14),
    )
    db.session.add_all([suggestion, invitation])
    db.session.commit()
    tokens = {role: token_for(user) for role, user in users.items()}
    return World(
        users=users,
        tokens=tokens,
        institution=institution,
        other_institution=other_institution,
        published=published,
        draft=draft,
        other_draft=other_draft,
        suggestion=suggestion,
        invitation=invitation,
        profiles=profiles,
    )
