"""Propose who goes where across all open projects at once.

Ranking each project alone can hand the same strong expert to ten projects. The allocation picks,
among the suggested pairs, the set that maximises the total score subject to each project's seats
and each expert's monthly hours: a 0/1 integer programme solved exactly by scipy's HiGHS
(``scipy.optimize.milp``). Hours make it a knapsack-like problem, which a plain assignment
(``linear_sum_assignment``) cannot express; at a few thousand pairs HiGHS solves it in well
under a second. The result is a proposal for the admin, not a decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .inputs import CandidateId, ProjectNeed, RankedCandidate


@dataclass(frozen=True)
class Allocation:
    """Chosen candidates per project id (best score first), their total score, solver status."""

    assignments: dict[CandidateId, list[CandidateId]]
    total_score: float
    status: str


def allocate(
    projects: Sequence[ProjectNeed],
    suggestions: Mapping[CandidateId, Sequence[RankedCandidate]],
    expert_hours: Mapping[CandidateId, float | None],
    *,
    time_limit: float = 60.0,
) -> Allocation:
    """Assign suggested candidates to projects, maximising the summed score.

    Each project gets at most ``seats`` candidates; the hours of the projects an expert is given
    never exceed their ``expert_hours`` (an expert whose hours are unknown is not limited).
    Only pairs present in ``suggestions`` (e.g. from ``Index.rank_all``) can be chosen.
    """
    pairs: list[tuple[int, CandidateId, float, str]] = []
    for p, project in enumerate(projects):
        for s in suggestions.get(project.id, ()):
            if s.score > 0:
                pairs.append((p, s.candidate_id, float(s.score), s.ref))
    assignments: dict[CandidateId, list[CandidateId]] = {p.id: [] for p in projects}
    if not pairs:
        return Allocation(assignments, 0.0, "no candidate pairs")

    experts = sorted({c for _, c, _, _ in pairs}, key=str)
    expert_row = {c: i for i, c in enumerate(experts)}
    n_pairs, n_projects = len(pairs), len(projects)
    cols = np.arange(n_pairs)
    seat_rows = np.array([p for p, _, _, _ in pairs])
    seats = sp.csr_matrix((np.ones(n_pairs), (seat_rows, cols)), shape=(n_projects, n_pairs))
    project_hours = np.array([float(projects[p].hours_per_month or 0.0) for p, _, _, _ in pairs])
    hour_rows = np.array([expert_row[c] for _, c, _, _ in pairs])
    hours = sp.csr_matrix((project_hours, (hour_rows, cols)), shape=(len(experts), n_pairs))
    budget = np.array(
        [np.inf if expert_hours.get(c) is None else float(expert_hours[c]) for c in experts]
    )
    result = milp(
        c=-np.array([s for _, _, s, _ in pairs]),
        integrality=np.ones(n_pairs),
        bounds=Bounds(0, 1),
        constraints=[
            LinearConstraint(seats, -np.inf, np.array([max(0, p.seats) for p in projects])),
            LinearConstraint(hours, -np.inf, budget),
        ],
        options={"time_limit": time_limit},
    )
    if result.x is None:
        raise RuntimeError(f"allocation failed: {result.message}")
    chosen = [pairs[i] for i in np.flatnonzero(result.x > 0.5)]
    chosen.sort(key=lambda pair: (-pair[2], pair[3]))
    for p, candidate_id, _, _ in chosen:
        assignments[projects[p].id].append(candidate_id)
    return Allocation(assignments, float(sum(s for _, _, s, _ in chosen)), result.message)
