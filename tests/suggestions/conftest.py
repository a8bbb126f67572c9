"""Experts and a published project as the engine reads them from the database."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import ExpertLanguage, ExpertProfile, ExpertSkill, Project, ProjectSkill
from diaspora.models.base import utcnow
from diaspora.taxonomy import get_taxonomy


def concept(name):
    return get_taxonomy().normalise(name).concept_id


@pytest.fixture
def make_expert(make_user):
    def make(
        ref,
        skills,
        consent=True,
        languages=(("fr", "C1"),),
        modes=("remote",),
        confirmed_days_ago=1,
        country="FR",
    ):
        user = make_user(f"{ref.lower()}@example.org")
        profile = ExpertProfile(
            user=user,
            ref=ref,
            country=country,
            city="Paris",
            timezone="Europe/Paris",
            modes=list(modes),
            sectors=["health"],
            hours_per_month=10,
            consent_matching=consent,
            confirmed_at=utcnow() - timedelta(days=confirmed_days_ago),
        )
        profile.languages = [ExpertLanguage(code=c, level=lv) for c, lv in languages]
        profile.skills = [ExpertSkill(name=n, level=lv, concept_id=concept(n)) for n, lv in skills]
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


def published(institution, ref, **fields):
    """A published remote project in French, with `fields` on top."""
    return Project(
        ref=ref,
        institution=institution,
        title="Rétinopathie diabétique",
        description="Détection précoce",
        sector="health",
        mode="remote",
        languages=["fr"],
        hours_per_month=8,
        seats=1,
        status="published",
        **fields,
    )


@pytest.fixture
def project(make_institution):
    project = published(make_institution(), "P-1")
    project.skills = [
        ProjectSkill(
            name="computer vision", level=3, required=True, concept_id=concept("computer vision")
        ),
        ProjectSkill(
            name="machine learning", level=3, required=True, concept_id=concept("machine learning")
        ),
        ProjectSkill(name="Python", level=2, required=False, concept_id=concept("Python")),
    ]
    db.session.add(project)
    db.session.commit()
    return project
