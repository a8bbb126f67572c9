"""Experts and a published project as the engine reads them from the database."""

import pytest

from diaspora.extensions import db
from diaspora.models import Project, ProjectSkill
from tests.worlds import concept, expert_profile


@pytest.fixture
def make_expert(make_user):
    """An expert in Paris, working remotely in French (`choices`: tests/worlds.py's
    `expert_profile`)."""

    def make(ref, skills, **choices):
        return expert_profile(make_user(f"{ref.lower()}@example.org"), ref, skills, **choices)

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
