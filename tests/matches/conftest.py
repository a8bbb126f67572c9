"""A small world for the review and invitation tests: an admin, a verified institution with two
members, a published project, experts, and suggestions stored as the engine stores them (the
explanation is the engine's own, for the pair described in tests/explanations.py)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.matching import ENGINE_VERSION, Weights
from diaspora.models import ExpertProfile, Institution, Match, Project, Role, User
from diaspora.models.base import utcnow
from diaspora.services import match_states
from tests.explanations import engine_explanation

WEIGHTS = Weights().as_dict()


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
        expert = ExpertProfile(
            user=user,
            ref=ref or f"E-{user.id:06d}",
            headline="Computer vision researcher",
            country="AE",
            city="Dubai",
            consent_matching=True,
            linkedin=f"https://www.linkedin.com/in/{email.split('@')[0]}",
        )
        db.session.add(expert)
        db.session.commit()
        return expert

    return make


@pytest.fixture
def make_project(app):
    def make(
        institution,
        title="Détection précoce de la rétinopathie diabétique",
        sector="health",
        seats=2,
        status="published",
        ref=None,
    ):
        project = Project(
            ref=ref or f"P-{Project.query.count() + 1:04d}",
            institution=institution,
            title=title,
            sector=sector,
            mode="remote",
            description="Screen retinal images in regional hospitals.",
            seats=seats,
            status=status,
            hours_per_month=8,
            published_at=utcnow() if status == "published" else None,
        )
        db.session.add(project)
        db.session.commit()
        return project

    return make


@pytest.fixture
def make_match(app):
    def make(project, expert, status="suggested", score=None, age_days=0, **fields):
        """A stored suggestion with the engine's explanation; ``score`` overrides its score
        (to order the queue, say)."""
        explanation = engine_explanation()
        match = Match(
            project_id=project.id,
            expert_id=expert.id,
            status=status,
            score=explanation["score"] if score is None else score,
            explanation=explanation,
            engine_version=ENGINE_VERSION,
            weights=WEIGHTS,
            created_at=utcnow() - timedelta(days=age_days),
            **fields,
        )
        db.session.add(match)
        db.session.commit()
        return match

    return make


@pytest.fixture
def world(make_user, make_institution, make_expert, make_project):
    admin = make_user("admin@diaspora.ma", role=Role.ADMIN, name="Amina Admin")
    institution = make_institution()
    member = make_user(
        "nadia@sante.gov.ma",
        role=Role.INSTITUTION,
        institution=institution,
        name="Nadia Berrada",
        locale="fr",
    )
    colleague = make_user(
        "omar@sante.gov.ma",
        role=Role.INSTITUTION,
        institution=institution,
        name="Omar Tazi",
        locale="ar",
    )
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
