"""A pool of experts for the search tests: who fits "computer vision" and who must never be
found, an admin, a verified institution with a member and a published project, and a member
of an unverified institution."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Institution,
    Project,
    ProjectSkill,
    Role,
    User,
    Visibility,
)
from diaspora.models.base import utcnow
from diaspora.taxonomy import get_taxonomy
from tests.api.conftest import api, token_for  # noqa: F401  (fixtures of the API tests)
from tests.conftest import PASSWORD

# The engine's text factor would load a sentence encoder; searches do not use it.
pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

# ref: (name, country, city, time zone, skills, languages, modes, sectors, hours)
# fmt: off
FOUND = {
    "E-SALMA": (
        "Salma Bennani", "FR", "Paris", "Europe/Paris",
        {"computer vision": 5, "machine learning": 4, "Python": 4},
        {"ar": "native", "fr": "C2"}, ["remote", "short_mission"], ["health"], 20,
    ),
    "E-KARIM": (
        "Karim Alaoui", "CA", "Montréal", "America/Toronto",
        {"vision par ordinateur": 3, "deep learning": 4, "Python": 3},
        {"fr": "C1", "en": "C1"}, ["remote"], ["education"], 10,
    ),
    "E-LEILA": (
        "Leila Idrissi", "AE", "Dubai", "Asia/Dubai",
        {"الرؤية الحاسوبية": 4, "natural language processing": 3, "SQL": 2},
        {"ar": "native", "en": "B2"}, ["remote", "long_term"], ["health", "education"], 40,
    ),
    "E-YOUSSEF": (
        "Youssef Tazi", "FR", "Lyon", "Europe/Paris",
        {"accounting": 4, "financial analysis": 4, "Excel": 3},
        {"fr": "native", "ar": "B1"}, ["remote"], ["finance"], 8,
    ),
}
# fmt: on
# Each fits "computer vision" as well as Salma, and must never be found.
NEVER = {
    "E-PRIVATE": {"visibility": Visibility.PRIVATE},
    "E-NOCONSENT": {"consent_matching": False},
    "E-STALE": {"confirmed_at": utcnow() - timedelta(days=400)},
    "E-CLOSED": {"active": False},
}


@dataclass
class Pool:
    admin: User
    member: User
    other_member: User  # of another verified institution
    unverified_member: User
    institution: Institution
    project: Project  # published, of the member's institution
    profiles: dict[str, ExpertProfile]


def profile(user, ref, name, country, city, zone, skills, languages, modes, sectors, hours):
    taxonomy = get_taxonomy()
    profile = ExpertProfile(
        user=user,
        ref=ref,
        headline=f"{name.split()[0]}'s headline",
        bio="A bio long enough to read as one, about the work this expert does for a living.",
        country=country,
        city=city,
        timezone=zone,
        modes=modes,
        sectors=sectors,
        hours_per_month=hours,
        consent_matching=True,
        visibility=Visibility.INSTITUTIONS,
        available_from=date(2020, 1, 1),
        confirmed_at=utcnow() - timedelta(days=1),
        linkedin=f"https://www.linkedin.com/in/{ref.lower()}",
    )
    profile.skills = [
        ExpertSkill(name=skill, level=level, concept_id=taxonomy.normalise(skill).concept_id)
        for skill, level in skills.items()
    ]
    profile.languages = [ExpertLanguage(code=c, level=lv) for c, lv in languages.items()]
    return profile


@pytest.fixture
def pool(make_user, make_institution) -> Pool:
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin")
    institution = make_institution()
    member = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name="Nadia"
    )
    other = make_institution(name="Agence Autre", domain="autre.ma")
    other_member = make_user("omar@autre.ma", role=Role.INSTITUTION, institution=other)
    unverified = make_institution(name="Agence Nouvelle", domain="nouvelle.ma", verified=False)
    unverified_member = make_user("new@nouvelle.ma", role=Role.INSTITUTION, institution=unverified)
    profiles = {}
    for ref, values in FOUND.items():
        user = make_user(f"{ref.lower()}@example.org", name=values[0])
        profiles[ref] = profile(user, ref, *values)
        db.session.add(profiles[ref])
    for ref, changes in NEVER.items():
        user = make_user(f"{ref.lower()}@example.org", name=ref.title())
        hidden = profile(user, ref, ref.title(), *FOUND["E-SALMA"][1:])
        for name, value in changes.items():
            setattr(user if name == "active" else hidden, name, value)
        profiles[ref] = hidden
        db.session.add(hidden)
    project = Project(
        ref="P-0001",
        institution=institution,
        title="Rétinopathie diabétique",
        description="Dépister la rétinopathie sur les images de fond d'œil.",
        sector="health",
        mode="remote",
        hours_per_month=8,
        seats=2,
        status="published",
        published_at=utcnow(),
    )
    concept = get_taxonomy().normalise("machine learning").concept_id
    project.skills = [ProjectSkill(name="machine learning", level=3, concept_id=concept)]
    db.session.add(project)
    db.session.commit()
    return Pool(admin, member, other_member, unverified_member, institution, project, profiles)


@pytest.fixture
def login_as(app):
    """login_as(user) -> a test client of its own, logged in as `user`, reading English."""

    def login(user):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        return client

    return login


def found(html: str) -> list[str]:
    """The refs of the experts a results page lists, in its order."""
    results = html.split('id="results-title"', 1)[-1] if 'id="results-title"' in html else ""
    return list(dict.fromkeys(re.findall(r'href="/expert/profiles/([\w-]+)"', results)))
