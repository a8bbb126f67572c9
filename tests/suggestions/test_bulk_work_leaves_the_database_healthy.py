"""Bulk work (recompute, import) writes only what changed and leaves fresh statistics behind."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

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
from diaspora.services import expert_changes, match_index, suggestions
from diaspora.services.imports import import_and_rescore
from tests.conftest import DEV_SET

pytestmark = pytest.mark.config(MATCH_USE_TEXT=False, MATCH_TOP_K=3)

SKILLS = ("machine learning", "computer vision", "python", "statistics")


@contextmanager
def rows_written_to_matches():
    """Rows inserted, updated or deleted in `matches`, as the database reports them."""
    written = {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
    writes = re.compile(r"\s*(INSERT|UPDATE|DELETE)\s+(?:INTO\s+|FROM\s+)?matches\b", re.I)

    def count(conn, cursor, statement, parameters, context, executemany):
        if found := writes.match(statement):
            written[found.group(1).upper()] += max(cursor.rowcount, 0)

    event.listen(db.engine, "after_cursor_execute", count)
    try:
        yield written
    finally:
        event.remove(db.engine, "after_cursor_execute", count)


@pytest.fixture
def population(make_user, make_institution):
    """Five open projects and twelve experts, each with two of four skills."""
    institution = make_institution()
    for n in range(5):
        project = Project(
            ref=f"P-{n}",
            institution=institution,
            title=f"Projet {n}",
            sector="health",
            mode="remote",
            languages=["fr"],
            hours_per_month=8,
            status="published",
        )
        project.skills = [
            ProjectSkill(name=SKILLS[n % 4], level=3, required=True),
            ProjectSkill(name=SKILLS[(n + 1) % 4], level=2, required=False),
        ]
        db.session.add(project)
    experts = []
    for n in range(12):
        profile = ExpertProfile(
            user=make_user(f"e{n}@example.org"),
            ref=f"E-{n:02d}",
            country="FR",
            timezone="Europe/Paris",
            modes=["remote"],
            sectors=["health"],
            hours_per_month=4 + n,
            consent_matching=True,
            confirmed_at=utcnow() - timedelta(days=1),
        )
        profile.languages = [ExpertLanguage(code="fr", level="C1")]
        profile.skills = [
            ExpertSkill(name=SKILLS[n % 4], level=1 + n % 5),
            ExpertSkill(name=SKILLS[(n + 2) % 4], level=1 + (n + 3) % 5),
        ]
        db.session.add(profile)
        experts.append(profile)
    db.session.commit()
    return experts


def stored_suggestions() -> dict:
    return {
        (m.project_id, m.expert_id): (m.id, m.score, m.rank, m.explanation)
        for m in db.session.scalars(select(Match))
    }


def test_a_recompute_with_nothing_changed_writes_no_row(app, population):
    suggestions.recompute_all()
    stored = stored_suggestions()
    assert len(stored) == 15
    match_index.forget_index()  # as `flask suggestions recompute` does: a process of its own
    with rows_written_to_matches() as written:
        suggestions.recompute_all()
    assert written == {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
    assert stored_suggestions() == stored


def test_a_recompute_after_one_profile_changed_rewrites_only_the_suggestions_that_moved(
    app, population
):
    suggestions.recompute_all()
    before = stored_suggestions()
    expert = population[0]  # now the best for the projects that want these skills
    expert.skills[0].level = 5
    expert.skills[1].name, expert.skills[1].level = SKILLS[1], 5
    expert.hours_per_month = 40
    expert_changes.note(expert.id)
    db.session.commit()
    with rows_written_to_matches() as written:
        suggestions.recompute_all()
    after = stored_suggestions()
    moved = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert sum(written.values()) > 0
    assert written["UPDATE"] == len(moved)
    assert written["INSERT"] == len(after.keys() - before.keys())
    assert written["DELETE"] == len(before.keys() - after.keys())
    assert sum(written.values()) < len(before)  # the rest stayed as it was


def postgresql_statistics(table: str):
    db.session.execute(text("SELECT pg_stat_clear_snapshot()"))
    return db.session.execute(
        text(
            "SELECT last_analyze, last_vacuum, n_dead_tup FROM pg_stat_user_tables "
            "WHERE relname = :table"
        ),
        {"table": table},
    ).one()


def test_imports_and_recomputes_leave_fresh_statistics_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the statistics of the planner are PostgreSQL's")
    import_and_rescore(DEV_SET / "projects.jsonl", "projects")
    assert postgresql_statistics("projects").last_analyze is not None
    import_and_rescore(DEV_SET / "experts.jsonl", "experts")
    for table in ("expert_profiles", "expert_skills", "users", "matches"):
        assert postgresql_statistics(table).last_analyze is not None, table
    assert db.session.scalar(select(db.func.count()).select_from(Match)) > 0
    suggestions.recompute_all()
    assert postgresql_statistics("matches").n_dead_tup == 0
