"""Allocation across projects: respects seats and hours, maximises the total score."""

import pytest
from conftest import build_project

from diaspora.matching import RankedCandidate, allocate


def s(candidate_id, score):
    return RankedCandidate(candidate_id, f"E-{candidate_id}", score, {}, {})


def test_allocation_respects_seats_and_maximises_total_score():
    # Greedy would give expert 1 to project A (0.9) and leave B with 0.2; the optimum swaps.
    a = build_project(1, seats=1, hours_per_month=5)
    b = build_project(2, seats=1, hours_per_month=5)
    suggestions = {1: [s(1, 0.9), s(2, 0.85)], 2: [s(1, 0.88), s(3, 0.2)]}
    result = allocate([a, b], suggestions, {1: 5, 2: 5, 3: 5})
    assert result.assignments == {1: [2], 2: [1]}
    assert result.total_score == pytest.approx(0.85 + 0.88)


def test_allocation_never_exceeds_an_experts_hours():
    projects = [build_project(i, seats=2, hours_per_month=6) for i in (1, 2, 3)]
    suggestions = {p.id: [s(7, 0.9), s(8, 0.5)] for p in projects}
    result = allocate(projects, suggestions, {7: 12, 8: 6})
    given = {c: sum(c in chosen for chosen in result.assignments.values()) for c in (7, 8)}
    assert given == {7: 2, 8: 1}
    assert all(len(chosen) <= 2 for chosen in result.assignments.values())


def test_unknown_hours_do_not_limit_and_zero_seats_get_nobody():
    projects = [build_project(1, seats=0), build_project(2, seats=3, hours_per_month=None)]
    suggestions = {1: [s(1, 0.9)], 2: [s(1, 0.7), s(2, 0.6), s(3, 0.0)]}
    result = allocate(projects, suggestions, {1: None, 2: 0})
    assert result.assignments == {1: [], 2: [1, 2]}


def test_allocation_without_pairs():
    assert allocate([build_project(1)], {}, {}).assignments == {1: []}
