"""A small world for the review and invitation tests: an admin, a verified institution with two
members, a published project, experts, and suggestions stored as the engine stores them."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertProfile, Institution, Match, Project, Role, User
from diaspora.models.base import utcnow
from diaspora.services import match_states

ENGINE_VERSION = "matching-1.0"
WEIGHTS = {"required_skills": 0.6, "nice_skills": 0.15, "text": 0.1, "sector": 0.05,
           "hours": 0.05, "timezone": 0.05}


def explanation(score=0.82):
    """What the engine stores with a suggestion (shared/interchange.md)."""
    return {
        "engine_version": ENGINE_VERSION,
        "score": score,
        "weights": WEIGHTS,
        "factors": {
            "required_skills": {"value": 0.9, "weight": 0.6, "contribution": 0.54},
            "sector": {"value": 1.0, "weight": 0.05, "contribution": 0.05},
            "hours": {"value": 0.75, "weight": 0.05, "contribution": 0.0375},
        },
        "required": [
            {"skill": "esco:computer-vision", "label": "computer vision", "min_level": 3,
             "met": True, "credit": 1.0,
             "via": {"skill": "esco:computer-vision", "label": "vision par ordinateur",
                     "level": 4, "how": "exact"}},
            {"skill": "esco:deep-learning", "label": "deep learning", "min_level": 3,
             "met": True, "credit": 0.5,
             "via": {"skill": "esco:machine-learning", "label": "machine learning",
                     "level": 4, "how": "hierarchy"}},
        ],
        "nice": [{"skill": "esco:python", "label": "Python", "min_level": 2, "met": False,
                  "credit": 0.0}],
        "missing": ["Python"],
        "exposure_penalty": 0.0,
        "constraints": {"consent": True, "language": True, "mode": True},
    }


@dataclass
class World:
    admin: User
    institution: Institution
    member: User
    colleague: User
    project: Project
    expert: ExpertProfile
    other_expert: ExpertProfile


@pytest.fixture
def make_expert(make_user):
    def make(email, name="Salma Bennani", locale="en", has_password=True, ref=None):
        user = make_user(email, role=Role.EXPERT, name=name, locale=locale)
        if not has_password:
            user.password_hash = None  # an imported expert who never claimed the account
        expert = ExpertProfile(user=user, ref=ref or f"E-{user.id:06d}",
                               headline="Computer vision researcher", country="AE",
                               city="Dubai", consent_matching=True,
                               linkedin=f"https://www.linkedin.com/in/{email.split('@')[0]}")
        db.session.add(expert)
        db.session.commit()
        return expert

    return make


@pytest.fixture
def make_project(app):
    def make(institution, title="Détection précoce de la rétinopathie diabétique",
             sector="health", seats=2, status="published", ref=None):
        project = Project(ref=ref or f"P-{Project.query.count() + 1:04d}",
                          institution=institution, title=title, sector=sector, mode="remote",
                          description="Screen retinal images in regional hospitals.",
                          seats=seats, status=status, hours_per_month=8,
                          published_at=utcnow() if status == "published" else None)
        db.session.add(project)
        db.session.commit()
        return project

    return make


@pytest.fixture
def make_match(app):
    def make(project, expert, status="suggested", score=0.82, age_days=0, **fields):
        match = Match(project_id=project.id, expert_id=expert.id, status=status, score=score,
                      explanation=explanation(score), engine_version=ENGINE_VERSION,
                      weights=WEIGHTS, created_at=utcnow() - timedelta(days=age_days), **fields)
        db.session.add(match)
        db.session.commit()
        return match

    return make


@pytest.fixture
def world(make_user, make_institution, make_expert, make_project):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin")
    institution = make_institution()
    member = make_user("nadia@sante.gov.ma", role=Role.INSTITUTION, institution=institution,
                       name="Nadia Berrada", locale="fr")
    colleague = make_user("omar@sante.gov.ma", role=Role.INSTITUTION, institution=institution,
                          name="Omar Tazi", locale="ar")
    project = make_project(institution)
    expert = make_expert("salma@example.org")
    other_expert = make_expert("karim@example.org", name="Karim Alaoui", locale="fr")
    return World(admin, institution, member, colleague, project, expert, other_expert)


@pytest.fixture
def clock(monkeypatch):
    """clock.advance(days=...) moves the time every match rule reads."""

    class Clock:
        offset = timedelta()

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(match_states, "now", lambda: utcnow() + c.offset)
    return c


def fresh(obj):
    """`obj` as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
