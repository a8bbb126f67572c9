"""Factories for the matching engine's plain inputs (no Flask, no database)."""

from datetime import date

import pytest

from diaspora.matching import Candidate, ProjectNeed

TODAY = date(2026, 6, 1)


def build_candidate(id_=1, **overrides) -> Candidate:
    """A candidate who passes every hard constraint of ``build_project()`` by default."""
    values = {
        "id": id_,
        "ref": f"E-{id_:04d}" if isinstance(id_, int) else str(id_),
        "skills": (("python", 4),),
        "languages": {"fr": "C1", "ar": "native"},
        "modes": frozenset({"remote", "short_mission"}),
        "sectors": frozenset({"health"}),
        "hours_per_month": 10,
        "timezone": "Europe/Paris",
        "consent": True,
        "confirmed_at": date(2026, 1, 15),
        "country": "FR",
    }
    values.update(overrides)
    return Candidate(**values)


def build_project(id_=1, **overrides) -> ProjectNeed:
    values = {
        "id": id_,
        "ref": f"P-{id_:03d}",
        "required": (("python", 3),),
        "languages": ("fr",),
        "mode": "remote",
        "sector": "health",
        "hours_per_month": 8,
    }
    values.update(overrides)
    return ProjectNeed(**values)


@pytest.fixture
def make_candidate():
    return build_candidate


@pytest.fixture
def make_project():
    return build_project
