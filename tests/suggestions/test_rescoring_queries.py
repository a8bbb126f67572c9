"""Rescoring one expert reads the open projects in a fixed number of queries, however many."""

from datetime import timedelta

import pytest

from diaspora.extensions import db
from diaspora.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Match,
    Project,
    ProjectSkill,
)
from diaspora.models.base import utcnow
from diaspora.services import match_index, suggestions
from tests.statements import counted_statements

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False)


def open_projects(institution, count, first=0, level=3):
    for n in range(first, first + count):
        project = Project(
            ref=f"P-{n}",
            institution=institution,
            title=f"Projet {n}",
            sector="health",
            mode="remote",
            languages=["fr"],
            hours_per_month=8,
            seats=1,
            status="published",
        )
        project.skills = [ProjectSkill(name="machine learning", level=level, required=True)]
        db.session.add(project)
    db.session.commit()


def expert(make_user, ref, consent=True, level=4):
    profile = ExpertProfile(
        user=make_user(f"{ref.lower()}@example.org"),
        ref=ref,
        country="FR",
        city="Paris",
        timezone="Europe/Paris",
        modes=["remote"],
        sectors=["health"],
        hours_per_month=10,
        consent_matching=consent,
        confirmed_at=utcnow() - timedelta(days=1),
    )
    profile.languages = [ExpertLanguage(code="fr", level="C1")]
    profile.skills = [ExpertSkill(name="machine learning", level=level)]
    db.session.add(profile)
    db.session.commit()
    return profile


def statements_to_rescore(profile) -> int:
    match_index.current_index()  # built once per process, not per rescoring
    with counted_statements() as statements:
        suggestions.refresh_expert(profile.id)
    return len(statements)


@pytest.mark.config(MATCH_TOP_K=1)
@pytest.mark.parametrize(
    "weaker",
    [{"consent": False}, {"level": 2}],
    ids=["objects to matching", "outranked everywhere"],
)
def test_rescoring_an_expert_does_not_query_once_per_open_project(
    app, make_user, make_institution, weaker
):
    institution = make_institution()
    expert(make_user, "E-1")
    profile = expert(make_user, "E-2", **weaker)
    open_projects(institution, 2)
    suggestions.recompute_all()  # E-1 holds every project's one place: E-2 enters none
    few = statements_to_rescore(profile)
    open_projects(institution, 10, first=2)
    suggestions.recompute_all()
    assert statements_to_rescore(profile) == few
    assert Match.query.filter_by(expert_id=profile.id).count() == 0
