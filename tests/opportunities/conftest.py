"""A world for the experts' side of discovery, scored by the real engine (without the text
factor, which would load a sentence encoder): an expert in Dubai who works remotely in French
and Arabic on computer vision, and open projects that fit them well, less well or not at all,
beside projects nobody may join (a draft, a closed one, a full one, one of an institution no
longer verified)."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import (
    ExpertProfile,
    Institution,
    Match,
    MatchStatus,
    Project,
    ProjectSkill,
    Role,
    User,
)
from diaspora.models.base import utcnow
from diaspora.services import match_index
from tests.worlds import concept, expert_profile

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)

# The world's expert, unless a test says otherwise.
IN_DUBAI = {
    "headline": "Computer vision researcher",
    "country": "AE",
    "city": "Dubai",
    "timezone": "Asia/Dubai",
    "languages": (("fr", "C1"), ("ar", "native")),
    "modes": ("remote", "short_mission"),
    "confirmed_days_ago": 10,
}


@pytest.fixture
def make_expert(make_user):
    """`choices`: tests/worlds.py's `expert_profile`, over `IN_DUBAI`."""

    def make(
        email,
        skills=(("computer vision", 4), ("machine learning", 4), ("Python", 4)),
        *,
        name="Salma Bennani",
        locale="en",
        alert_min_score=70,
        **choices,
    ):
        user = make_user(email, role=Role.EXPERT, name=name, locale=locale)
        profile = expert_profile(user, f"E-{user.id:04d}", skills, **(IN_DUBAI | choices))
        profile.alert_min_score = alert_min_score  # after the insert: None would take the default
        db.session.commit()
        match_index.forget_index()  # rows written behind the services' back: read them again
        return profile

    return make


@pytest.fixture
def make_project(app):
    def make(
        institution,
        title,
        *,
        required=(("computer vision", 3), ("machine learning", 3)),
        nice=(("Python", 2),),
        sector="health",
        mode="remote",
        location="Rabat",
        languages=("fr",),
        status="published",
        seats=2,
        days_ago=1,
    ):
        project = Project(
            ref=f"P-{Project.query.count() + 1:04d}",
            institution=institution,
            title=title,
            description="Internal notes: budget 40k MAD, contact Dr Alami on 0600000000.",
            sector=sector,
            mode=mode,
            location=location,
            languages=list(languages),
            hours_per_month=8,
            seats=seats,
            status=status,
            starts_on=date.today() + timedelta(days=30),
            published_at=utcnow() - timedelta(days=days_ago) if status != "draft" else None,
        )
        project.skills = [
            ProjectSkill(name=n, level=lv, required=req, concept_id=concept(n))
            for req, wanted in ((True, required), (False, nice))
            for n, lv in wanted
        ]
        db.session.add(project)
        db.session.commit()
        return project

    return make


@dataclass
class World:
    admin: User
    member: User
    institution: Institution
    expert: ExpertProfile
    vision: Project  # fits the expert best
    farm: Project  # fits, less well (other sector, skills half met)
    onsite: Project  # asks to move to Morocco: the expert works remotely only
    german: Project  # works in German, which the expert does not speak
    draft: Project
    closed: Project
    full: Project  # its one place is taken
    orphan: Project  # published by an institution whose verification was revoked


@pytest.fixture
def world(make_user, make_institution, make_expert, make_project):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin")
    institution = make_institution()
    revoked = make_institution(name="Agence Révoquée", domain="revoquee.ma", verified=False)
    member = make_user(
        "nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution, name="Nadia Berrada"
    )
    expert = make_expert("salma@example.org")
    other = make_expert("karim@example.org", name="Karim Alaoui")
    p = make_project
    world = World(
        admin=admin,
        member=member,
        institution=institution,
        expert=expert,
        vision=p(institution, "Détection de la rétinopathie diabétique"),
        farm=p(
            institution,
            "Prévision des récoltes",
            required=(("machine learning", 3), ("statistics", 4)),
            nice=(),
            sector="agriculture",
            location="Meknès",
            days_ago=2,
        ),
        onsite=p(
            institution,
            "Laboratoire d'imagerie",
            mode="long_term",
            location="Casablanca",
            days_ago=3,
        ),
        german=p(institution, "Kooperation Bildanalyse", languages=("de",), days_ago=4),
        draft=p(institution, "Projet en préparation", status="draft"),
        closed=p(institution, "Projet terminé", status="closed"),
        full=p(institution, "Projet complet", seats=1),
        orphan=p(revoked, "Projet d'une agence révoquée"),
    )
    db.session.add(
        Match(project=world.full, expert=other, status=MatchStatus.ACCEPTED, invited_at=utcnow())
    )
    db.session.commit()
    return world
